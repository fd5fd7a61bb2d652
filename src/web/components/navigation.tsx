import { Icon } from '../icon.tsx';

/** "← Back to …": the DKFDS back link, in its own paragraph. */
export function BackLink({ href, text }: { href: string; text: string }) {
  return (
    <p>
      <a class="back-link" href={href}>
        <Icon name="chevron-left" />
        <span safe>{text}</span>
      </a>
    </p>
  );
}

/**
 * Keyset pagination under a list: "first page" when this is a continuation, "next" (rel=next) when there is
 * more. Renders nothing when neither applies.
 */
export function Pager(props: {
  label: string;
  first?: { href: string; text: string } | false | null;
  next?: { href: string; text: string } | false | null;
}) {
  if (!props.first && !props.next) return '';
  return (
    <nav class="kuvert-pagination" aria-label={props.label}>
      {props.first ? (
        <a href={props.first.href} safe>
          {props.first.text}
        </a>
      ) : (
        ''
      )}
      {props.next ? (
        <a href={props.next.href} rel="next" safe>
          {props.next.text}
        </a>
      ) : (
        ''
      )}
    </nav>
  );
}

/** A page's h1 with an optional lead paragraph. */
export function PageHeader({ title, lead }: { title: string; lead?: string }) {
  return (
    <>
      <h1 safe>{title}</h1>
      {lead ? (
        <p class="font-lead" safe>
          {lead}
        </p>
      ) : (
        ''
      )}
    </>
  );
}
