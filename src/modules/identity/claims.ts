/**
 * The claim carrying the CPR number, as NemLog-in (MitID) names it. The built-in provider issues it and the login
 * reads it from here, so the name lives in one place.
 */
export const CPR_CLAIM = 'https://data.gov.dk/model/core/eid/cprNumber';

/**
 * Scopes Kuvert asks for. `profile` carries the name (and, from the built-in provider, the CPR claim); every OpenID
 * provider knows it.
 */
export const LOGIN_SCOPE = 'openid profile';

/**
 * The MitID Erhverv claims, as NemLog-in's OIDC profile names them: the CVR number of the business the person logs
 * in for, and the privileges they hold there (base64-encoded XML, OIOSAML basic privilege profile). The built-in
 * provider issues them for the demo business's employees; an external provider's names are configurable
 * (OIDC_CVR_CLAIM, OIDC_ROLE_CLAIM, OIDC_ADMIN_ROLE).
 */
export const CVR_CLAIM = 'https://data.gov.dk/model/core/eid/professional/cvr';
export const ORG_NAME_CLAIM = 'https://data.gov.dk/model/core/eid/professional/orgName';
export const PRIVILEGES_CLAIM = 'https://data.gov.dk/model/core/eid/privilegesIntermediate';
/** The privilege that makes a person the business's administrator in Kuvert (the default of OIDC_ADMIN_ROLE). */
export const ADMIN_PRIVILEGE = 'urn:dk:kuvert:privilege:administrator';
