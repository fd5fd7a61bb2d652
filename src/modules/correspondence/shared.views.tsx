import { errorText as catalogueText } from '../../http/errors.ts';
import type { AppError } from '../../http/problem.ts';
import { ErrorSummary as KitErrorSummary, FieldError as KitFieldError } from '../../web/components/index.ts';
import { FormTextError, formTextMessage } from '../../web/form-text.ts';
import { formatBytes, type Lang, type MessageKey, translator } from '../../web/i18n.ts';
import type { AttachmentLimits } from './attachments.ts';

/** Short, readable names for the accepted file types. */
export const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'text/plain': 'TXT',
  'text/html': 'HTML',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
};

export const typeList = (types: readonly string[]) => types.map((t) => TYPE_NAMES[t] ?? t).join(', ');

/** The `accept` attribute for a file input: types and extensions, so pickers offer the right files. */
export function acceptAttribute(types: readonly string[]): string {
  const ext: Record<string, string> = {
    'application/pdf': '.pdf',
    'text/plain': '.txt',
    'text/html': '.html',
    'image/png': '.png',
    'image/jpeg': '.jpg,.jpeg',
    'image/gif': '.gif',
  };
  return types
    .flatMap((t) => [t, ext[t] ?? ''])
    .filter(Boolean)
    .join(',');
}

const KNOWN = new Set([
  'subject_required',
  'subject_too_long',
  'body_required',
  'body_too_long',
  'too_many_attachments',
  'attachment_too_large',
  'attachments_too_large',
  'attachment_type_not_allowed',
  'attachment_content_mismatch',
  'empty_attachment',
  'attachment_name_not_allowed',
  'document_infected',
  'scanner_unavailable',
  'name_required',
  'name_too_long',
  'description_too_long',
  'invalid_max_attachments',
  'max_attachments_too_high',
  'invalid_max_total_bytes',
  'max_total_bytes_too_high',
  'media_type_not_allowed',
  'media_types_required',
]);

/** A form error in the reader's language, with the limits filled in. */
export function errorText(lang: Lang, error: AppError, limits?: AttachmentLimits, maxFileBytes?: number): string {
  const tr = translator(lang);
  if (error instanceof FormTextError) return formTextMessage(lang, error);
  if (!KNOWN.has(error.code)) return tr('corr.error.other', { detail: catalogueText(error.code, lang) ?? error.code });
  const extra = error.extra as { limitBytes?: number; limit?: number; filename?: string; allowed?: string[] };
  return tr(`corr.error.${error.code}` as MessageKey, {
    filename: extra.filename ?? '',
    size: formatBytes(lang, extra.limitBytes ?? maxFileBytes ?? 0),
    count: extra.limit ?? limits?.maxCount ?? 0,
    types: limits ? typeList(limits.mediaTypes) : '',
    extensions: (extra.allowed ?? []).map((e) => `.${e}`).join(lang === 'da' ? ' eller ' : ' or '),
  });
}

/** Maps an error's field (a JSON pointer) to the form control it belongs to. */
export function controlOf(field: string | undefined): string {
  if (!field) return 'form';
  const name = field.replace(/^\//, '').split('/')[0] ?? '';
  return name || 'form';
}

/** The DKFDS error summary at the top of a form, linking to the field. */
export function ErrorSummary({ lang, text, target }: { lang: Lang; text: string; target: string }) {
  const tr = translator(lang);
  return (
    <KitErrorSummary
      heading={tr('corr.errorSummary')}
      headingId="form-error-heading"
      items={[{ href: `#${target}`, text }]}
    />
  );
}

/** An error message placed by its field, with a visually hidden "Error:" before it. */
export function FieldError({ lang, id, text }: { lang: Lang; id: string; text: string | null }) {
  return <KitFieldError id={id} message={text} prefix={translator(lang)('corr.errorPrefix')} />;
}

/** A small row of links between two or three related pages; the current one is marked aria-current="page". */
export function PageLinks({
  label,
  links,
}: {
  label: string;
  links: readonly { href: string; text: string; current: boolean }[];
}) {
  return (
    <nav class="kuvert-corr-nav mb-5" aria-label={label}>
      <ul class="unstyled-list inline-list">
        {links.map((link) => (
          <li class="mr-5">
            <a href={link.href} aria-current={link.current ? 'page' : undefined} safe>
              {link.text}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
