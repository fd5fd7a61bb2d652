/**
 * The demo letters: realistic Danish authority mail so that each demo citizen's mailbox looks lived-in. The builder,
 * dates and shared attachments are in letter-kit.ts, each persona's letters in letters-<persona>.ts.
 */
import {
  aarsopgoerelse,
  addresses,
  type CitizenPersona,
  type Ctx,
  type DemoLetter,
  datesFor,
  forskudsopgoerelse,
} from './letter-kit.ts';
import { annaLetters } from './letters-anna.ts';
import { karenLetters } from './letters-karen.ts';
import { mikkelLetters } from './letters-mikkel.ts';

export type { CitizenPersona, DemoLetter } from './letter-kit.ts';

// ---------------------------------------------------------------------------------------------------------------

const byPersona: Record<string, (ctx: Ctx) => DemoLetter[]> = {
  'demo-citizen-anna': annaLetters,
  'demo-citizen-karen': karenLetters,
  'demo-citizen-mikkel': mikkelLetters,
  // A teenager's mail like Mikkel's (a few lines name Odense places), so that the caseworker's parental access
  // (Anna for Emil, both in København) has a lived-in mailbox to open.
  'demo-citizen-emil': mikkelLetters,
};

/** The demo letters for one citizen, oldest first; a citizen without a letter set gets the tax letters only. */
export function demoLettersFor(persona: CitizenPersona, anchor: Date): DemoLetter[] {
  const ctx: Ctx = {
    anchor,
    name: persona.name,
    firstName: persona.name.split(' ')[0] ?? persona.name,
    address: addresses[persona.subject] ?? [],
    at: datesFor(anchor),
  };
  const build =
    byPersona[persona.subject] ??
    ((c: Ctx) => [
      aarsopgoerelse(c, -850, ''),
      forskudsopgoerelse(c, 0, 9_800, ''),
      forskudsopgoerelse(c, 1, 9_650, ''),
    ]);
  const letters = build(ctx);
  return letters.sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime());
}

/** A demo address as the registry holds it: street lines, then the last line split into postcode and city. */
export function registryAddress(subject: string): {
  address_lines: string[];
  postcode: string | null;
  city: string | null;
} {
  const lines = addresses[subject] ?? [];
  const match = /^(\d{4}) (.+)$/.exec(lines.at(-1) ?? '');
  if (!match) return { address_lines: [], postcode: null, city: null };
  return { address_lines: lines.slice(0, -1), postcode: match[1] as string, city: match[2] as string };
}
