/** The design system's icon names that Kuvert uses (from dkfds' sprite, all-svg-icons.svg). */
export type IconName =
  | 'chevron-left'
  | 'download'
  | 'lock'
  | 'info'
  | 'language'
  | 'email'
  | 'success'
  | 'warning'
  | 'error'
  | 'reply'
  | 'forward'
  | 'print'
  | 'attach-file'
  | 'calendar-month'
  | 'checklist'
  | 'tune'
  | 'menu'
  | 'close'
  | 'search'
  | 'edit'
  | 'send'
  | 'folder'
  | 'person';

/** A decorative dkfds icon, referenced from the sprite file (no inline SVG sprite, so the CSP stays strict). */
export function Icon({ name, class: extra }: { name: IconName; class?: string }) {
  return (
    <svg class={extra ? `icon-svg ${extra}` : 'icon-svg'} focusable="false" aria-hidden="true">
      <use href={`/assets/dkfds/img/all-svg-icons.svg#${name}`} />
    </svg>
  );
}
