import { runMigrations as runWorkerMigrations } from 'graphile-worker';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import type pg from 'pg';
import type { Db } from './database.ts';
import * as foundation from './migrations/2026-11-24-0001-foundation.ts';
import * as registry from './migrations/2026-11-24-0002-registry.ts';
import * as registryPages from './migrations/2026-11-24-0003-registry-pages.ts';
import * as population from './migrations/2026-11-24-0004-population.ts';
import * as contactDetails from './migrations/2026-11-24-0005-contact-details.ts';
import * as eventFeed from './migrations/2026-11-24-0006-event-feed.ts';
import * as webhooks from './migrations/2026-11-24-0007-webhooks.ts';
import * as municipalities from './migrations/2026-11-24-0008-municipalities.ts';
import * as messageModel from './migrations/2026-11-24-0009-message-model.ts';
import * as print from './migrations/2026-11-24-0010-print.ts';
import * as batches from './migrations/2026-11-24-0011-batches.ts';
import * as batchFormats from './migrations/2026-12-01-0012-batch-formats.ts';
import * as mailbox from './migrations/2026-12-01-0013-mailbox.ts';
import * as access from './migrations/2026-12-01-0014-access.ts';
import * as correspondence from './migrations/2026-12-01-0015-correspondence.ts';
import * as notifications from './migrations/2026-12-01-0016-notifications.ts';
import * as statistics from './migrations/2026-12-01-0017-statistics.ts';
import * as status from './migrations/2026-12-01-0018-status.ts';
import * as auditChains from './migrations/2026-12-01-0019-audit-chains.ts';
import * as orderedMessageIds from './migrations/2026-12-01-0020-ordered-message-ids.ts';
import * as uuid7Truncates from './migrations/2026-12-02-0021-uuid7-truncates.ts';
import * as auditAppend from './migrations/2026-12-02-0022-audit-append.ts';
import * as eventRuns from './migrations/2026-12-02-0023-event-runs.ts';
import * as rateLimits from './migrations/2026-12-06-0024-rate-limits.ts';
import * as search from './migrations/2026-12-06-0025-search.ts';
import * as forwarding from './migrations/2026-12-06-0028-forwarding.ts';
import * as machineLogin from './migrations/2026-12-06-0029-machine-login.ts';
import * as businessRegister from './migrations/2026-12-06-0030-business-register.ts';
import * as folderRightsRules from './migrations/2026-12-06-0032-folder-rights-rules.ts';
import * as senderOnboarding from './migrations/2026-12-06-0033-sender-onboarding.ts';
import * as testMode from './migrations/2026-12-06-0034-test-mode.ts';
import * as inboxApi from './migrations/2026-12-06-0035-inbox-api.ts';
import * as onBehalf from './migrations/2026-12-06-0036-on-behalf.ts';
import * as evidenceKey from './migrations/2026-12-06-0037-evidence-key.ts';
import * as letterProofs from './migrations/2026-12-06-0038-letter-proofs.ts';
import * as auditAppendOnly from './migrations/2026-12-06-0039-audit-append-only.ts';
import * as retention from './migrations/2026-12-06-0040-retention.ts';
import * as mailboxExport from './migrations/2026-12-06-0041-mailbox-export.ts';
import * as paperOutcomes from './migrations/2026-12-06-0042-paper-outcomes.ts';
import * as escalationPlans from './migrations/2026-12-06-0043-escalation-plans.ts';
import * as documentStore from './migrations/2026-12-07-0044-document-store.ts';
import * as searchTermsStorage from './migrations/2026-12-07-0045-search-terms-storage.ts';
import * as feedHorizon from './migrations/2026-12-07-0046-feed-horizon.ts';
import * as oidcPayloadExpires from './migrations/2026-12-07-0047-oidc-payload-expires.ts';

// Listed explicitly (not read from the folder) so migrations work the same from source and from a bundle.
const migrations: Record<string, Migration> = {
  '2026-11-24-0001-foundation': foundation,
  '2026-11-24-0002-registry': registry,
  '2026-11-24-0003-registry-pages': registryPages,
  '2026-11-24-0004-population': population,
  '2026-11-24-0005-contact-details': contactDetails,
  '2026-11-24-0006-event-feed': eventFeed,
  '2026-11-24-0007-webhooks': webhooks,
  '2026-11-24-0008-municipalities': municipalities,
  '2026-11-24-0009-message-model': messageModel,
  '2026-11-24-0010-print': print,
  '2026-11-24-0011-batches': batches,
  '2026-12-01-0012-batch-formats': batchFormats,
  '2026-12-01-0013-mailbox': mailbox,
  '2026-12-01-0014-access': access,
  '2026-12-01-0015-correspondence': correspondence,
  '2026-12-01-0016-notifications': notifications,
  '2026-12-01-0017-statistics': statistics,
  '2026-12-01-0018-status': status,
  '2026-12-01-0019-audit-chains': auditChains,
  '2026-12-01-0020-ordered-message-ids': orderedMessageIds,
  '2026-12-02-0021-uuid7-truncates': uuid7Truncates,
  '2026-12-02-0022-audit-append': auditAppend,
  '2026-12-02-0023-event-runs': eventRuns,
  '2026-12-06-0024-rate-limits': rateLimits,
  '2026-12-06-0025-search': search,
  '2026-12-06-0028-forwarding': forwarding,
  '2026-12-06-0029-machine-login': machineLogin,
  '2026-12-06-0030-business-register': businessRegister,
  '2026-12-06-0032-folder-rights-rules': folderRightsRules,
  '2026-12-06-0033-sender-onboarding': senderOnboarding,
  '2026-12-06-0034-test-mode': testMode,
  '2026-12-06-0035-inbox-api': inboxApi,
  '2026-12-06-0036-on-behalf': onBehalf,
  '2026-12-06-0037-evidence-key': evidenceKey,
  '2026-12-06-0038-letter-proofs': letterProofs,
  '2026-12-06-0042-paper-outcomes': paperOutcomes,
  '2026-12-06-0043-escalation-plans': escalationPlans,
  '2026-12-06-0041-mailbox-export': mailboxExport,
  '2026-12-06-0039-audit-append-only': auditAppendOnly,
  '2026-12-06-0040-retention': retention,
  '2026-12-07-0044-document-store': documentStore,
  '2026-12-07-0045-search-terms-storage': searchTermsStorage,
  '2026-12-07-0046-feed-horizon': feedHorizon,
  '2026-12-07-0047-oidc-payload-expires': oidcPayloadExpires,
};

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/** Applies Kuvert's migrations and graphile-worker's own schema; safe to run concurrently and repeatedly. */
export async function migrate(db: Db, pool: pg.Pool): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${(error as Error).message ?? error}`);
  }
  await runWorkerMigrations({ pgPool: pool });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
