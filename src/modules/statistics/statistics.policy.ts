import type { Actor } from '../../kernel/actor.ts';

/** A reporting organisation as authenticated by its bearer token. */
export interface ScorecardReporter {
  id: string;
  name: string;
  /** The one municipality it reports for; null: it reports for every municipality (e.g. the association KL). */
  municipalityCode: string | null;
}

/** A reporting organisation may report figures for its own municipality, or for any when it is not tied to one. */
export function canReportFor(reporter: ScorecardReporter, municipalityCode: string): boolean {
  return reporter.municipalityCode === null || reporter.municipalityCode === municipalityCode;
}

/** Only operators upload scorecard files on the web (reporting organisations use the API with their token). */
export function canUploadScorecard(actor: Actor | null): boolean {
  return actor?.kind === 'operator';
}
