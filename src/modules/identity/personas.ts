/**
 * The demo personas: who the built-in identity provider offers on its picker and what the seed creates for them.
 * CPR numbers here are made up for the demo (valid by the date/century rules).
 */
export type Persona =
  | {
      subject: string;
      role: 'citizen';
      name: string;
      cpr: string;
      description: { da: string; en: string };
      municipalityCode: string;
    }
  | {
      /** A MitID Erhverv login: a person (by CPR) employed by a business (by CVR), its administrator or not. */
      subject: string;
      role: 'business';
      /** The picker's label: the person and the business. */
      name: string;
      /** The person's own name (the name claim). */
      personName: string;
      cpr: string;
      businessCvr: string;
      businessName: string;
      administrator: boolean;
      description: { da: string; en: string };
    }
  | {
      subject: string;
      role: 'caseworker';
      name: string;
      municipalityCode: string;
      description: { da: string; en: string };
    }
  | {
      subject: string;
      role: 'sender_staff';
      name: string;
      senderKey: DemoSenderKey;
      description: { da: string; en: string };
    }
  | {
      subject: string;
      role: 'operator';
      name: string;
      description: { da: string; en: string };
    };

export type DemoSenderKey = 'kk' | 'skat' | 'rh';

/** The demo authorities; `key` is how seed code refers to them. */
export const demoSenders: {
  key: DemoSenderKey;
  name: string;
  kind: 'municipality' | 'state' | 'region';
  cvr: string;
  municipalityCode: string | null;
}[] = [
  { key: 'kk', name: 'Københavns Kommune', kind: 'municipality', cvr: '64942212', municipalityCode: '0101' },
  { key: 'skat', name: 'Skattestyrelsen', kind: 'state', cvr: '43554204', municipalityCode: null },
  { key: 'rh', name: 'Region Hovedstaden', kind: 'region', cvr: '29190623', municipalityCode: null },
];

/** The demo business's CVR number (the access seed creates Jensen Design ApS with it). */
export const DEMO_BUSINESS_CVR = '41234563';

export const personas: Persona[] = [
  {
    subject: 'demo-citizen-anna',
    role: 'citizen',
    name: 'Anna Jensen',
    cpr: '1503851234',
    municipalityCode: '0101',
    description: { da: 'Borger, 41 år, København', en: 'Citizen, 41, Copenhagen' },
  },
  {
    subject: 'demo-citizen-karen',
    role: 'citizen',
    name: 'Karen Holm',
    cpr: '2409441238',
    municipalityCode: '0751',
    description: { da: 'Borger, 82 år, Aarhus', en: 'Citizen, 82, Aarhus' },
  },
  {
    subject: 'demo-citizen-mikkel',
    role: 'citizen',
    name: 'Mikkel Nielsen',
    cpr: '0207104321',
    municipalityCode: '0461',
    description: { da: 'Borger, 16 år, Odense', en: 'Citizen, 16, Odense' },
  },
  {
    subject: 'demo-citizen-emil',
    role: 'citizen',
    name: 'Emil Jensen',
    cpr: '1403104123',
    municipalityCode: '0101',
    description: {
      da: 'Borger, 16 år, København (Anna Jensens søn)',
      en: "Citizen, 16, Copenhagen (Anna Jensen's son)",
    },
  },
  {
    subject: 'demo-business-anna',
    role: 'business',
    name: 'Anna Jensen (Jensen Design ApS)',
    personName: 'Anna Jensen',
    cpr: '1503851234',
    businessCvr: DEMO_BUSINESS_CVR,
    businessName: 'Jensen Design ApS',
    administrator: true,
    description: {
      da: 'Administrator for Jensen Design ApS (MitID Erhverv)',
      en: 'Administrator of Jensen Design ApS (MitID Erhverv)',
    },
  },
  {
    subject: 'demo-business-jonas',
    role: 'business',
    name: 'Jonas Berg (Jensen Design ApS)',
    personName: 'Jonas Berg',
    cpr: '1207884567',
    businessCvr: DEMO_BUSINESS_CVR,
    businessName: 'Jensen Design ApS',
    administrator: false,
    description: {
      da: 'Medarbejder i Jensen Design ApS (MitID Erhverv), uden administratorrolle',
      en: 'Employee of Jensen Design ApS (MitID Erhverv), not an administrator',
    },
  },
  {
    subject: 'demo-caseworker-sofie',
    role: 'caseworker',
    name: 'Sofie Madsen',
    municipalityCode: '0101',
    description: {
      da: 'Sagsbehandler, Borgerservice, Københavns Kommune',
      en: 'Caseworker, Citizen Service, City of Copenhagen',
    },
  },
  {
    subject: 'demo-sender-lars',
    role: 'sender_staff',
    name: 'Lars Andersen',
    senderKey: 'skat',
    description: {
      da: 'Medarbejder hos Skattestyrelsen (afsender)',
      en: 'Staff member at the Danish Tax Agency (sender)',
    },
  },
  {
    subject: 'demo-operator-ole',
    role: 'operator',
    name: 'Ole Kristensen',
    description: {
      da: 'Driftsansvarlig for Kuvert (melder hændelser og vedligeholdelse)',
      en: 'Operator of Kuvert (posts incidents and maintenance)',
    },
  },
];

export type PersonaRole = Persona['role'];

/** The authorisation parameter that tells the built-in provider which personas fit the page asked for. */
export const ENTRY_PARAM = 'kuvert_entry';

/** Which kind of person each part of Kuvert is for: a login that returns to it offers only those personas. */
const entryAreas: [prefix: string, role: PersonaRole][] = [
  ['/post', 'citizen'],
  ['/tilmelding', 'citizen'],
  ['/indstillinger', 'citizen'],
  ['/borgerservice', 'caseworker'],
  ['/afsender', 'sender_staff'],
  ['/drift/styring', 'operator'],
];

/** The role a page is for ("Log ind som borger" returns to /post), or null when anyone may use it. */
export function entryRoleOf(path: string | null | undefined): PersonaRole | null {
  if (!path) return null;
  const pathname = path.split(/[?#]/)[0] ?? '';
  const area = entryAreas.find(([prefix]) => pathname === prefix || pathname.startsWith(`${prefix}/`));
  return area?.[1] ?? null;
}

/**
 * The personas the demo login offers for an entry: only those of its role, or everyone when it has none. A business
 * employee logs in as a citizen (to their own and the business's mailbox), so the citizens' entries offer them too.
 */
export function personasFor(role: string | null | undefined): Persona[] {
  const known = personas.some((p) => p.role === role);
  if (!known) return personas;
  return personas.filter((p) => p.role === role || (role === 'citizen' && p.role === 'business'));
}
