import { Alert, BackLink, PageHeader } from '../../web/components/index.ts';
import type { Lang } from '../../web/i18n.ts';
import { t } from '../../web/i18n.ts';
import type { ScorecardLineError } from './report-scorecard.ts';

/** The readable text of one CSV line error. */
export function lineErrorText(lang: Lang, error: ScorecardLineError): string {
  const code = error.code === 'not_your_municipality' ? 'unknown_municipality' : error.code;
  return t(lang, `upload.error.${code}`, { field: error.field, value: error.value });
}

/** /statistik/selvbetjening/indberet: the operator's CSV upload, with every error of a refused file by line. */
export function UploadPage({
  lang,
  csrf,
  areas,
  done,
  fileError,
  lineErrors,
}: {
  lang: Lang;
  csrf: JSX.Element;
  areas: { code: string; name: string }[];
  done?: { inserted: number; updated: number; unchanged: number };
  fileError?: string;
  lineErrors?: ScorecardLineError[];
}) {
  const failed = Boolean(fileError || lineErrors?.length);
  return (
    <div class="kuvert-stats">
      <BackLink href="/statistik/selvbetjening" text={t(lang, 'scorecard.back')} />
      <PageHeader title={t(lang, 'upload.title')} />
      {done ? (
        <Alert kind="success" role="status">
          <p class="alert-text" safe>
            {t(lang, 'upload.done', done)}
          </p>
        </Alert>
      ) : (
        ''
      )}
      {failed ? (
        <Alert kind="error" role="alert" tabindex="-1" id="upload-errors">
          <p class="alert-heading" safe>
            {t(lang, 'upload.failed')}
          </p>
          {fileError ? (
            <p class="alert-text" safe>
              {fileError}
            </p>
          ) : (
            ''
          )}
          {lineErrors?.length ? (
            <ul class="alert-text">
              {lineErrors.slice(0, 200).map((error) => (
                <li>
                  <strong safe>{t(lang, 'upload.line', { line: error.line })}</strong>
                  <span safe>: {lineErrorText(lang, error)}</span>
                </li>
              ))}
            </ul>
          ) : (
            ''
          )}
        </Alert>
      ) : (
        ''
      )}
      <p safe>{t(lang, 'upload.intro')}</p>
      <p safe>{t(lang, 'upload.areas')}</p>
      <ul>
        {areas.map((area) => (
          <li>
            <code safe>{area.code}</code>
            <span safe> – {area.name}</span>
          </li>
        ))}
      </ul>
      <form method="post" action="/statistik/selvbetjening/indberet" enctype="multipart/form-data">
        {csrf}
        <div class={failed ? 'form-group form-error' : 'form-group'}>
          <label class="form-label" for="file" safe>
            {t(lang, 'upload.file')}
          </label>
          <span class="form-hint" id="file-hint" safe>
            {t(lang, 'upload.file.hint')}
          </span>
          <input
            class="form-input"
            type="file"
            id="file"
            name="file"
            accept=".csv,text/csv"
            aria-describedby="file-hint"
            required
          />
        </div>
        <button type="submit" class="button button-primary" safe>
          {t(lang, 'upload.submit')}
        </button>
      </form>
    </div>
  );
}
