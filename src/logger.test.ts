import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseLogFormat, createLogger, isPrettyLogger, maskCpr } from './logger.ts';

test('CPR-shaped numbers are masked in log lines, with or without the dash', () => {
  assert.equal(maskCpr('cpr 1503851234 and 150385-1234'), 'cpr ********** and **********');
});

test('timestamps, ids and other long numbers are left alone', () => {
  const line = '{"time":1795543617128,"size":12345678901,"day":"3213991234"}';
  assert.equal(maskCpr(line), line);
});

test('letter ids are left whole even when a group holds ten digits in a row; a CPR beside one is still masked', () => {
  const id = '01a235e9-cf2c-7420-9866-1503851234dd';
  assert.equal(maskCpr(`/api/v1/messages/${id}/memo`), `/api/v1/messages/${id}/memo`);
  assert.equal(maskCpr(`${id} 1503851234 ${id}-150385-1234`), `${id} ********** ${id}-**********`);
});

test('a logger never writes a CPR number, even when code passes one by mistake', () => {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line) => lines.push(line) });
  logger.info({ recipient: { cpr: '0101901234' } }, 'sending to 010190-1234');
  logger.info({ req: { headers: { authorization: 'Bearer kuv_secret' } } }, 'request');
  const output = lines.join('');
  assert.doesNotMatch(output, /0101901234|010190-1234/);
  assert.doesNotMatch(output, /kuv_secret/);
  assert.match(output, /\*{10}/);
});

test('CPR numbers written with a space, dots, slashes or URL-encoded in a request URL are masked too', () => {
  for (const written of [
    '150385 1234',
    '150385+1234',
    '150385%201234',
    '150385%2D1234',
    '15 03 85 1234',
    '15-03-85-1234',
    '15.03.85-1234',
    '15.03.85 1234',
    '15.03.85.1234',
    '15/03/85-1234',
  ]) {
    assert.equal(maskCpr(`/post/soeg?q=${written}&x=1`), '/post/soeg?q=**********&x=1', written);
  }
  // Not CPR-shaped: a float with a day-like integer part, a date, a phone number, an 11-digit run.
  const kept = '{"responseTime":15.03123456,"day":"2026-03-15","tel":"+45 12 34 56 78","n":"15038512345"}';
  assert.equal(maskCpr(kept), kept);
});

test('a no-break space between the groups, and the serial number written in two pairs, are masked too', () => {
  for (const written of [
    '150385%C2%A01234',
    '150385\u00a01234',
    '15%2003%2085%2012%2034',
    '15 03 85 12 34',
    '150385-12 34',
  ]) {
    assert.equal(maskCpr(`/afsender?q=${written}&x=1`), '/afsender?q=**********&x=1', written);
  }
});

test('logs are JSON unless a person watches a terminal outside production; LOG_FORMAT overrides', () => {
  assert.equal(chooseLogFormat({ isTTY: undefined, env: 'development' }), 'json', 'piped or a file: JSON');
  assert.equal(chooseLogFormat({ isTTY: false, env: 'test' }), 'json');
  assert.equal(chooseLogFormat({ isTTY: true, env: 'development' }), 'pretty');
  assert.equal(chooseLogFormat({ isTTY: true, env: 'test' }), 'pretty');
  assert.equal(chooseLogFormat({ isTTY: true, env: 'production' }), 'json', 'production stays JSON at a terminal');
  assert.equal(chooseLogFormat({ isTTY: true, env: 'development', requested: 'json' }), 'json');
  assert.equal(chooseLogFormat({ isTTY: false, env: 'production', requested: 'pretty' }), 'pretty');
  assert.equal(chooseLogFormat({ isTTY: false, env: 'development', requested: 'fancy' }), 'json', 'unknown: auto');
});

test('pretty logs are one readable line per entry, still without CPR numbers or credentials', () => {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line) => lines.push(line) }, 'pretty');
  assert.equal(isPrettyLogger(logger), true);
  logger.info({ dataDir: '/tmp/x' }, 'Starting PostgreSQL… for 150385-1234');
  logger.info({ req: { headers: { authorization: 'Bearer kuv_secret' } } }, 'request');
  const output = lines.join('');
  assert.match(lines[0] ?? '', /^\[\d\d:\d\d:\d\d\] INFO: Starting PostgreSQL… for \*{10} \{"dataDir":"\/tmp\/x"\}\n$/);
  assert.doesNotMatch(output, /^\{/m, 'no JSON line');
  assert.doesNotMatch(output, /150385|kuv_secret/);
});

test('the default logger writes JSON lines, and is not taken for a pretty one', () => {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line) => lines.push(line) });
  logger.info('hello');
  assert.equal(isPrettyLogger(logger), false);
  assert.equal(JSON.parse(lines[0] ?? '').msg, 'hello');
});
