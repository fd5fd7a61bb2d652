import type { Db } from '../../db/database.ts';
import { textProblem } from '../../http/input.ts';
import { AppError } from '../../http/problem.ts';
import { normaliseCpr } from '../../kernel/identifiers.ts';
import { characterCount, FormTextError } from '../../web/form-text.ts';
import { findRegistrationByCpr } from '../registry/index.ts';
import { nameMatches } from './access-input.ts';

/** A person found by CPR number and a matching name (see matchPersonByCprAndName). */
export type MatchedPerson = NonNullable<Awaited<ReturnType<typeof findRegistrationByCpr>>>;

/**
 * The one check for "a person, by CPR number and the name the user knows them by" (giving access, forwarding a
 * letter): the CPR number must be valid, the name given, and the registered person's name must match it. Unknown
 * CPR and wrong name get the same answer (422 `person_not_matched` on `cprField`), so a form never tells who a CPR
 * number belongs to. A closed registration (dead, emigrated) is no match either. The CPR number comes from a form
 * body, never a URL.
 */
export async function matchPersonByCprAndName(
  db: Db,
  input: { cpr: string; name: string },
  fields: PersonFields = { cpr: 'cpr', name: 'name' },
): Promise<MatchedPerson> {
  const cpr = checkPersonInput(input, fields);
  return findMatchingPerson(db, cpr, input.name, fields);
}

type PersonFields = { cpr: string; name: string };

/** The form's half of matchPersonByCprAndName: a valid CPR number (returned normalised) and a name. */
export function checkPersonInput(
  input: { cpr: string; name: string },
  fields: PersonFields = { cpr: 'cpr', name: 'name' },
): string {
  const cpr = normaliseCpr(input.cpr ?? '');
  if (!cpr) throw new AppError(422, 'invalid_cpr', 'This is not a valid CPR number (DDMMÅÅ-XXXX).', fields.cpr);
  const nameProblem = textProblem(input.name ?? '', { allowBlank: true });
  if (nameProblem) throw new FormTextError(fields.name, nameProblem, 200);
  if (!input.name?.trim()) throw new AppError(422, 'name_required', 'Enter the name of the person.', fields.name);
  if (characterCount(input.name) > 200) throw new FormTextError(fields.name, 'too_long', 200);
  return cpr;
}

/** The register's half of matchPersonByCprAndName, for a CPR number checkPersonInput returned. */
export async function findMatchingPerson(
  db: Db,
  cpr: string,
  name: string,
  fields: PersonFields = { cpr: 'cpr', name: 'name' },
): Promise<MatchedPerson> {
  const person = await findRegistrationByCpr(db, cpr);
  if (person?.kind !== 'person' || person.enrolment === 'closed' || !nameMatches(name, person.name)) {
    throw new AppError(422, 'person_not_matched', 'No person with this CPR number has that name.', fields.cpr);
  }
  return person;
}
