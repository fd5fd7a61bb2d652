import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPlainMail, encodeWords, headerValue, parseMailbox } from './mime.ts';

const decodeWords = (value: string) =>
  value.replace(/=\?UTF-8\?B\?([^?]*)\?=(\r\n )?/g, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));

test('a long Danish subject becomes encoded words of at most 75 characters that decode to the text', () => {
  const subject = `Ny Digital Post fra ${'Æblerød Kommune, '.repeat(8)}ø`;
  const encoded = headerValue(subject);
  for (const line of encoded.split('\r\n')) assert.ok(line.trim().length <= 75, line);
  assert.equal(decodeWords(encoded), subject);
  assert.equal(headerValue('Plain subject'), 'Plain subject');
  assert.equal(decodeWords(encodeWords('')), '');
});

test('a header value never carries a line break into the message', () => {
  const value = headerValue('Subject\r\nBcc: someone@example.dk');
  assert.doesNotMatch(value.replace(/\r\n /g, ''), /[\r\n]/);
});

test('the message has the headers, envelope sender and a base64 body that decodes to the text', () => {
  const from = parseMailbox('Digital Post <ikke-svar@kuvert.local>');
  assert.deepEqual(from, { name: 'Digital Post', address: 'ikke-svar@kuvert.local' });
  const text = `Du har fået ny Digital Post.\n\n${'Læs den på http://localhost/post '.repeat(10)}`;
  const raw = buildPlainMail({
    from,
    to: 'anna@example.dk',
    subject: 'Ny Digital Post',
    text,
    messageId: '<x@kuvert.local>',
    headers: { 'Auto-Submitted': 'auto-generated' },
  });
  const [head, body] = raw.split('\r\n\r\n');
  assert.match(head as string, /^From: Digital Post <ikke-svar@kuvert.local>$/m);
  assert.match(head as string, /^Message-ID: <x@kuvert.local>$/m);
  assert.match(head as string, /^Auto-Submitted: auto-generated$/m);
  for (const line of (body as string).trimEnd().split('\r\n')) assert.ok(line.length <= 76);
  assert.equal(Buffer.from((body as string).replace(/\s+/g, ''), 'base64').toString('utf8'), text);
});
