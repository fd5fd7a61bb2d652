import { formatNumber } from '../../web/format-number.ts';
import { formatDateTime, type Lang, translator } from '../../web/i18n.ts';
import type { PublishedCheckpoint } from '../audit/index.ts';

/** The newest signed audit checkpoint (audit module), with where to get all of them and the keys to check them. */
export function AuditCheckpoint({ lang, checkpoint }: { lang: Lang; checkpoint: PublishedCheckpoint | null }) {
  const tr = translator(lang);
  return (
    <section aria-labelledby="status-audit">
      <h2 id="status-audit" safe>
        {tr('status.audit.heading')}
      </h2>
      <p safe>{tr('status.audit.intro')}</p>
      <p safe>
        {checkpoint
          ? tr('status.audit.latest', {
              seq: checkpoint.seq,
              time: formatDateTime(lang, new Date(checkpoint.payload.createdAt)),
              chains: formatNumber(lang, checkpoint.payload.chains),
              events: formatNumber(lang, checkpoint.payload.events),
            })
          : tr('status.audit.none')}
      </p>
      <ul class="nobullet-list">
        <li>
          <a href="/api/v1/audit/checkpoints" safe>
            {tr('status.audit.json')}
          </a>
        </li>
        <li>
          <a href="/.well-known/kuvert-evidence-keys.json" safe>
            {tr('status.audit.keys')}
          </a>
        </li>
      </ul>
    </section>
  );
}
