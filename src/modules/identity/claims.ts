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
