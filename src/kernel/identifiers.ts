import { stdnum } from 'stdnum';

const dk = stdnum.DK!;

/** Normalises and validates a CPR number by the real rules (date and century, no modulus 11); null if invalid. */
export function normaliseCpr(input: string): string | null {
  if (!/^\d{6}-?\d{4}$/.test(input.trim())) return null;
  const result = dk.cpr!.validate(input.trim());
  return result.isValid ? result.compact : null;
}

/** Normalises and validates a CVR number (8 digits, weighted modulus 11); null if invalid. */
export function normaliseCvr(input: string): string | null {
  if (!/^\d{8}$/.test(input.trim())) return null;
  const result = dk.cvr!.validate(input.trim());
  return result.isValid ? result.compact : null;
}

/** Birth date from a valid CPR number, by the century rules of the 7th digit. */
export function birthDateFromCpr(cpr: string): string {
  const day = cpr.slice(0, 2);
  const month = cpr.slice(2, 4);
  const yy = Number(cpr.slice(4, 6));
  const d7 = Number(cpr[6]);
  let century: number;
  if (d7 <= 3) century = 1900;
  else if (d7 === 4 || d7 === 9) century = yy <= 36 ? 2000 : 1900;
  else century = yy <= 57 ? 2000 : 1800;
  return `${century + yy}-${month}-${day}`;
}
