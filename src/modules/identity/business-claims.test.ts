import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { privilegeList, readBusinessLogin, rolesFor } from './business-claims.ts';
import { ADMIN_PRIVILEGE, CVR_CLAIM, PRIVILEGES_CLAIM } from './claims.ts';

const CVR = '41234563';
const names = { cvrClaim: CVR_CLAIM, roleClaim: PRIVILEGES_CLAIM, adminRole: ADMIN_PRIVILEGE };

describe('MitID Erhverv claims', () => {
  test('no CVR claim: a private login', () => {
    assert.equal(readBusinessLogin({ sub: 'x' }, names), null);
    assert.equal(readBusinessLogin({ [CVR_CLAIM]: '' }, names), null);
  });
  test("NemLog-in's privilege list (base64 XML) makes an administrator only for its own business", () => {
    const admin = { [CVR_CLAIM]: CVR, [PRIVILEGES_CLAIM]: privilegeList(CVR, [ADMIN_PRIVILEGE]) };
    assert.deepEqual(readBusinessLogin(admin, names), { cvr: CVR, administrator: true });
    const elsewhere = { [CVR_CLAIM]: CVR, [PRIVILEGES_CLAIM]: privilegeList('10000009', [ADMIN_PRIVILEGE]) };
    assert.deepEqual(readBusinessLogin(elsewhere, names), { cvr: CVR, administrator: false });
    const employee = { [CVR_CLAIM]: CVR, [PRIVILEGES_CLAIM]: privilegeList(CVR, ['urn:dk:other:privilege']) };
    assert.deepEqual(readBusinessLogin(employee, names), { cvr: CVR, administrator: false });
  });
  test('a namespaced list with several groups, as NemLog-in sends it', () => {
    const xml = `<?xml version="1.0"?><bpp:PrivilegeList xmlns:bpp="http://digst.dk/oiosaml/basic_privilege_profile">
      <PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:10000009"><Privilege>urn:a</Privilege></PrivilegeGroup>
      <PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:${CVR}"><Privilege>urn:b</Privilege><Privilege> urn:c </Privilege></PrivilegeGroup>
    </bpp:PrivilegeList>`;
    assert.deepEqual(rolesFor(Buffer.from(xml).toString('base64'), CVR), ['urn:b', 'urn:c']);
  });
  test('a plain role claim: a string or a list of strings', () => {
    assert.deepEqual(rolesFor('admin', CVR), ['admin']);
    assert.deepEqual(rolesFor(['employee', 'admin', 3], CVR), ['employee', 'admin']);
    assert.deepEqual(rolesFor(undefined, CVR), []);
    assert.deepEqual(rolesFor({ role: 'admin' }, CVR), []);
  });
  test('a CVR claim that is not eight digits names a business but never an administrator', () => {
    const odd = { [CVR_CLAIM]: 'abc', [PRIVILEGES_CLAIM]: privilegeList('abc', [ADMIN_PRIVILEGE]) };
    assert.deepEqual(readBusinessLogin(odd, names), { cvr: 'abc', administrator: false });
  });
});
