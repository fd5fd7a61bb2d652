import { XMLParser } from 'fast-xml-parser';

/** Which claims carry the business login (config.oidc's cvrClaim, roleClaim, adminRole). */
export interface BusinessClaimNames {
  cvrClaim: string;
  roleClaim: string;
  adminRole: string;
}

/** A MitID Erhverv login: the business (by CVR number) the person logged in for, and whether they administer it. */
export interface BusinessLogin {
  cvr: string;
  administrator: boolean;
}

const CVR_RE = /^[0-9]{8}$/;
/** NemLog-in scopes a privilege group to a business as `urn:dk:gov:saml:cvrNumberIdentifier:<CVR>`. */
const CVR_SCOPE_PREFIX = 'urn:dk:gov:saml:cvrNumberIdentifier:';
const BASE64_RE = /^[A-Za-z0-9+/=_-]+$/;
const MAX_PRIVILEGES_LENGTH = 64 * 1024;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  processEntities: false,
  isArray: (name) => name === 'PrivilegeGroup' || name === 'Privilege',
});

/**
 * The privileges NemLog-in's privilege list (base64 XML: PrivilegeList > PrivilegeGroup[Scope] > Privilege) gives
 * for the business `cvr`; null when the value is not such a list.
 */
function privilegesFromList(value: string, cvr: string): string[] | null {
  if (value.length > MAX_PRIVILEGES_LENGTH || !BASE64_RE.test(value)) return null;
  const xml = Buffer.from(value, 'base64').toString('utf8').trim();
  if (!xml.startsWith('<')) return null;
  try {
    const doc = parser.parse(xml) as {
      PrivilegeList?: { PrivilegeGroup?: { Scope?: string; Privilege?: unknown[] }[] };
    };
    const groups = doc.PrivilegeList?.PrivilegeGroup;
    if (!groups) return null;
    return groups
      .filter((g) => typeof g.Scope === 'string' && g.Scope.trim() === `${CVR_SCOPE_PREFIX}${cvr}`)
      .flatMap((g) => (g.Privilege ?? []).map((p) => (typeof p === 'string' ? p.trim() : '')))
      .filter((p) => p !== '');
  } catch {
    return null;
  }
}

/** The roles the role claim holds for `cvr`: a plain string, a list of strings, or NemLog-in's privilege list. */
export function rolesFor(value: unknown, cvr: string): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').map((v) => v.trim());
  if (typeof value !== 'string' || value.trim() === '') return [];
  return privilegesFromList(value.trim(), cvr) ?? value.split(/[\s,]+/).filter((v) => v !== '');
}

/**
 * The business a login is for, read from its claims: null when the CVR claim is absent (a private MitID login).
 * A CVR claim that is not eight digits is still a business login: no business has that number, so the caller
 * refuses it rather than quietly making it a private one.
 */
export function readBusinessLogin(claims: Record<string, unknown>, names: BusinessClaimNames): BusinessLogin | null {
  const raw = claims[names.cvrClaim];
  if (raw === undefined || raw === null || raw === '') return null;
  const cvr = String(raw).replace(/\s/g, '');
  const administrator = CVR_RE.test(cvr) && rolesFor(claims[names.roleClaim], cvr).includes(names.adminRole);
  return { cvr, administrator };
}

/** The privilege list NemLog-in would send for `privileges` in business `cvr` (base64 XML), for the built-in provider. */
export function privilegeList(cvr: string, privileges: string[]): string {
  const items = privileges.map((p) => `<Privilege>${p}</Privilege>`).join('');
  const xml = `<?xml version="1.0" encoding="UTF-8"?><bpp:PrivilegeList xmlns:bpp="http://digst.dk/oiosaml/basic_privilege_profile"><PrivilegeGroup Scope="${CVR_SCOPE_PREFIX}${cvr}">${items}</PrivilegeGroup></bpp:PrivilegeList>`;
  return Buffer.from(xml, 'utf8').toString('base64');
}
