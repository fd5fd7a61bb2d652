import type { Db } from '../../db/database.ts';
import { type Lang, t } from '../../web/i18n.ts';
import type { Figure, Tr } from './figure.ts';
import { type LetterInputs, letterFigures } from './letter-figures.ts';
import { type PeopleInputs, peopleFigures } from './people-figures.ts';
import {
  latestSnapshots,
  listMunicipalities,
  readContact,
  readEnrolment,
  readEnrolmentHistory,
  readExemptions,
  readReadTime,
  readVolumes,
  type SnapshotRef,
} from './statistics.repository.ts';

export interface StatisticsFigures {
  snapshot: SnapshotRef;
  figures: Figure[];
}

/** The ids of the public statistics figures, in page order (also the /api/v1/stats/{id} names). */
export const statisticsFigureIds = [
  'enrolment',
  'enrolment-history',
  'enrolment-by-region',
  'enrolment-by-age',
  'enrolment-by-sex',
  'enrolment-by-municipality',
  'exemptions',
  'contact-details',
  'letters-by-year',
  'letters-by-sender-kind',
  'volumes-by-channel',
  'digital-share',
  'read-time',
  'volumes',
] as const;
export type StatisticsFigureId = (typeof statisticsFigureIds)[number];

/** Reads the newest snapshot and turns it into the published figures, labelled in `lang`. Null: no snapshot yet. */
export async function loadStatisticsFigures(db: Db, lang: Lang): Promise<StatisticsFigures | null> {
  const { latest, latestDemo } = await latestSnapshots(db);
  if (!latest) return null;
  const [enrolment, exemptions, contact, volumes, readTime, history, municipalities] = await Promise.all([
    readEnrolment(db, latest.id),
    readExemptions(db, latest.id),
    readContact(db, latest.id),
    readVolumes(db, latest, latestDemo),
    readReadTime(db, latest.id),
    readEnrolmentHistory(db),
    listMunicipalities(db),
  ]);
  return {
    snapshot: latest,
    figures: buildFigures(lang, latest, { enrolment, exemptions, contact, volumes, readTime, history, municipalities }),
  };
}

type Inputs = PeopleInputs & LetterInputs;

function buildFigures(lang: Lang, snapshot: SnapshotRef, input: Inputs): Figure[] {
  const tr: Tr = (key, params) => t(lang, key, params);
  return [...peopleFigures(lang, tr, snapshot, input), ...letterFigures(tr, snapshot, input)];
}
