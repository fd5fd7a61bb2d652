import type { Children } from '@kitajs/html';

/**
 * A DKFDS table. `responsive` (the default) stacks rows as cards on small screens (table--responsive-headers:
 * each td needs data-title); `scroll` wraps a compact table in a focusable, labelled scroll area instead.
 * `columns` are the header cells; children are the body rows.
 */
export function DataTable(props: {
  columns: readonly string[];
  class?: string;
  id?: string;
  layout?: 'responsive' | 'scroll';
  label?: string;
  caption?: string;
  children: Children;
}) {
  const scroll = props.layout === 'scroll';
  const table = (
    <table
      class={`table ${scroll ? 'table--compact' : 'table--responsive-headers'}${props.class && !scroll ? ` ${props.class}` : ''}`}
      id={props.id}
    >
      {props.caption ? <caption safe>{props.caption}</caption> : ''}
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th scope="col" safe>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
  if (!scroll) return table;
  return (
    <section
      class={`table--responsive-scroll${props.class ? ` ${props.class}` : ''}`}
      tabindex="0"
      aria-label={props.label}
    >
      {table}
    </section>
  );
}
