import { Alert, FormField, PageHeader } from '../../web/components/index.ts';
import { formatDateTime, type Lang, t } from '../../web/i18n.ts';
import type { ProofVerdict } from './verify-proof.ts';

/** /bevis: anyone can check a proof file; the answer (valid or not, and what the proof says) above the form. */
export function VerifyProofPage(props: { lang: Lang; csrfToken: string; verdict?: ProofVerdict; fileError?: string }) {
  const { lang, verdict, fileError } = props;
  return (
    <div class="kuvert-proof-verify">
      <PageHeader title={t(lang, 'proofs.verify.title')} lead={t(lang, 'proofs.verify.lead')} />
      {verdict ? <Verdict lang={lang} verdict={verdict} /> : ''}
      <form method="post" action="/bevis" enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <FormField
          id="file"
          label={t(lang, 'proofs.verify.file')}
          hint={t(lang, 'proofs.verify.fileHint')}
          error={fileError ?? null}
        >
          <input
            class="form-input"
            type="file"
            id="file"
            name="file"
            accept=".pdf,application/pdf"
            aria-describedby={fileError ? 'file-hint file-error' : 'file-hint'}
            required
          />
        </FormField>
        <button type="submit" class="button button-primary" safe>
          {t(lang, 'proofs.verify.submit')}
        </button>
      </form>
      <p class="form-hint">
        <span safe>{t(lang, 'proofs.verify.keys')}</span>{' '}
        <a href="/.well-known/kuvert-evidence-keys.json">/.well-known/kuvert-evidence-keys.json</a>
      </p>
    </div>
  );
}

function Verdict({ lang, verdict }: { lang: Lang; verdict: ProofVerdict }) {
  if (!verdict.valid) {
    return (
      <Alert
        kind="error"
        role="alert"
        heading={t(lang, 'proofs.verify.invalid')}
        text={t(lang, `proofs.verify.reason.${verdict.reason}`)}
      />
    );
  }
  const { claims } = verdict;
  const rows: [string, string][] = [
    [t(lang, 'proofs.field.fact'), t(lang, `proofs.fact.${claims.fact}`)],
    [t(lang, 'proofs.field.time'), formatDateTime(lang, claims.occurredAt)],
    [t(lang, 'proofs.field.letter'), `${claims.letter.label} (${claims.letter.id})`],
    [t(lang, 'proofs.field.sender'), claims.sender.name],
    [t(lang, 'proofs.field.recipient'), claims.recipient.masked],
    ...(claims.printBatchId ? [[t(lang, 'proofs.field.printBatch'), claims.printBatchId] as [string, string]] : []),
    [t(lang, 'proofs.field.issued'), formatDateTime(lang, claims.issuedAt)],
    [t(lang, 'proofs.field.key'), verdict.kid],
  ];
  return (
    <Alert
      kind="success"
      role="status"
      heading={t(lang, 'proofs.verify.valid')}
      text={t(lang, 'proofs.verify.validText')}
    >
      <dl class="kuvert-meta">
        {rows.map(([label, value]) => (
          <>
            <dt safe>{label}</dt>
            <dd safe>{value}</dd>
          </>
        ))}
      </dl>
    </Alert>
  );
}
