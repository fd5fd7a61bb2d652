import { formatDateTime, type Lang, t } from '../../web/i18n.ts';
import { Icon } from '../../web/icon.tsx';
import type { ProofListing } from '../proofs/index.ts';

/** The letter page's signed proofs ("Beviser"): one download per fact that has happened. */
export function LetterProofs({ lang, messageId, proofs }: { lang: Lang; messageId: string; proofs: ProofListing[] }) {
  if (proofs.length === 0) return '';
  return (
    <section class="kuvert-proofs" aria-labelledby="proofs-heading">
      <h2 id="proofs-heading" safe>
        {t(lang, 'proofs.letter.heading')}
      </h2>
      <p>
        <span safe>{t(lang, 'proofs.letter.lead')}</span>{' '}
        <a href="/bevis" safe>
          {t(lang, 'proofs.letter.verify')}
        </a>
      </p>
      <ul class="unstyled-list">
        {proofs.map((proof) => (
          <li>
            <a href={`/post/${messageId}/bevis/${proof.fact}`} download="">
              <Icon name="download" />
              <span safe>{t(lang, `proofs.fact.${proof.fact}`)}</span>
            </a>{' '}
            <span>
              (
              <time datetime={proof.occurredAt} safe>
                {formatDateTime(lang, proof.occurredAt)}
              </time>
              , PDF)
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
