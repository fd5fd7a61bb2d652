import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isInternalAddress, webhookHostProblem } from './index.ts';

test('internal addresses are recognised, IPv4 and IPv6, mapped addresses included; public ones are not', () => {
  const internal = [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254', // cloud metadata services
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ];
  for (const address of internal) assert.equal(isInternalAddress(address), true, address);
  for (const address of ['8.8.8.8', '172.32.0.1', '193.163.102.10', '2a00:1450:4001::1', '::ffff:8.8.8.8']) {
    assert.equal(isInternalAddress(address), false, address);
  }
});

test('a webhook host that is or resolves to an internal address is refused, with the reason', async () => {
  assert.equal(await webhookHostProblem('127.0.0.1'), 'the host is an internal address');
  assert.equal(await webhookHostProblem('[::1]'), 'the host is an internal address');
  assert.equal(await webhookHostProblem('localhost'), 'the host is an internal address');
  assert.equal(await webhookHostProblem('8.8.8.8'), null);
});
