import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import {
  MemoError,
  type MemoErrorCode,
  type MemoMessage,
  parseMemo,
  parseMemoBatch,
  parseValidatedMemo,
  recipientIdentifier,
  stopMemoValidator,
  toMemoXml,
  validateMemoSchema,
} from './index.ts';

// Node 24 could crash at exit (SIGTRAP) with the validator thread alive; the runtime stops it at shutdown too.
after(() => stopMemoValidator());

const FIXTURES = new URL('../../../../test/fixtures/memo/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));
const text = (name: string) =>
  fixture(name)
    .toString('utf8')
    .replace(/^\uFEFF/, '');

/** Asserts that `promise` rejects with a MemoError of `code`, and returns it for further checks. */
async function refused(promise: Promise<unknown> | (() => unknown), code: MemoErrorCode): Promise<MemoError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    assert.ok(error instanceof MemoError, `expected a MemoError, got ${error}`);
    assert.equal(error.code, code, error.message);
    assert.ok(error.message.length > 20, 'the message explains the refusal');
    return error;
  }
  assert.fail(`expected ${code}, but it was accepted`);
}

/**
 * Every example, pinned: all six are valid MeMo of their version. Two carry the placeholder "Recipient ID" instead
 * of a CPR number: the document is accepted, but recipientIdentifier refuses it (so sending answers 422, not a crash).
 */
const EXAMPLES: Record<string, { version: '1.1' | '1.2'; recipient: { cpr: string } | 'placeholder' }> = {
  'MeMo_Full_Example.v11.xml': { version: '1.1', recipient: { cpr: '2211771212' } },
  'MeMo_Minimum_Example.v11.xml': { version: '1.1', recipient: { cpr: '2211771212' } },
  'MeMo_Full_Example.v12.xml': { version: '1.2', recipient: { cpr: '2211771212' } },
  'MeMo_Minimum_Example.v12.xml': { version: '1.2', recipient: { cpr: '2211771212' } },
  'MeMo_NemSMS.v12.xml': { version: '1.2', recipient: 'placeholder' },
  'MeMo_with_attachment.v12.xml': { version: '1.2', recipient: 'placeholder' },
};

describe('MeMo examples', () => {
  test('the pinned list covers every fixture file', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.xml'));
    assert.deepEqual(files.sort(), Object.keys(EXAMPLES).sort());
  });

  for (const [file, expected] of Object.entries(EXAMPLES)) {
    test(`${file} is valid MeMo ${expected.version}; recipient ${JSON.stringify(expected.recipient)}`, async () => {
      const result = await parseMemo(fixture(file));
      assert.equal(result.version, expected.version);
      assert.equal(result.schemaVersion, expected.version === '1.1' ? '1.1.0' : undefined);
      assert.deepEqual(result.warnings, []);
      if (expected.recipient === 'placeholder') {
        const error = await refused(() => recipientIdentifier(result.message), 'memo_recipient_invalid');
        assert.match(error.message, /"Recipient ID" is not a number/);
        assert.equal(error.field, '/MessageHeader/Recipient/recipientID');
      } else {
        assert.deepEqual(recipientIdentifier(result.message), expected.recipient);
      }
    });

    test(`${file} round-trips: toMemoXml validates and parses to a deep-equal model`, async () => {
      const { message, version } = await parseMemo(fixture(file));
      const xml = toMemoXml(message, version);
      assert.deepEqual(await validateMemoSchema(xml, version), { outcome: 'valid', issues: [] });
      const again = await parseMemo(xml);
      assert.equal(again.version, version);
      assert.deepEqual(again.message, message);
    });
  }

  // The documented 1.1 → 1.2 differences, as libxml2 words them against the 1.1 schema.
  const DOCUMENTED = [
    /^Element 'memo:Message': The attribute 'memoSchVersion' is required but missing\.$/,
    /^Element 'memo:Representative': This element is not expected\./,
    /^Element 'memo:originalRepresentative': This element is not expected\./,
    // mandatory (and so legalNotification) left out: the next element is "not expected", mandatory was.
    /^Element 'memo:Sender': This element is not expected\. Expected is one of \(.*memo:mandatory \)\.$/,
  ];
  for (const file of Object.keys(EXAMPLES).filter((f) => f.endsWith('.v12.xml'))) {
    test(`${file} fails the 1.1 schema only for the documented 1.2 differences`, async () => {
      const verdict = await validateMemoSchema(text(file), '1.1');
      assert.equal(verdict.outcome, 'invalid');
      for (const issue of verdict.issues) {
        assert.ok(issue.line > 0 && issue.element, JSON.stringify(issue));
        assert.ok(
          DOCUMENTED.some((re) => re.test(issue.message)),
          `undocumented difference: ${issue.message}`,
        );
      }
    });
  }

  test('the full 1.2 example fails 1.1 at the documented places, each with line and element', async () => {
    const verdict = await validateMemoSchema(text('MeMo_Full_Example.v12.xml'), '1.1');
    assert.deepEqual(
      verdict.issues.map(({ line, element }) => ({ line, element })),
      [
        { line: 2, element: 'memo:Message' },
        { line: 95, element: 'memo:Representative' },
        { line: 232, element: 'memo:originalRepresentative' },
      ],
    );
  });

  test('the full 1.2 example reads into the model, 1.2 additions included', async () => {
    const { message } = await parseMemo(fixture('MeMo_Full_Example.v12.xml'));
    assert.equal(message.messageType, 'DIGITALPOST');
    assert.equal(message.messageUUID, '8C2EA15D-61FB-4BA9-9366-42F8B194C114');
    assert.equal(message.label, 'Besked fra Børneforvaltningen');
    assert.equal(message.reply, true);
    assert.equal(message.mandatory, true);
    assert.equal(message.legalNotification, false);
    assert.equal(message.doNotDeliverUntilDate, '2025-09-15');
    assert.deepEqual(message.sender.representative, {
      representativeID: '87654321',
      idType: 'CVR',
      label: 'Repræsentant Kommune',
    });
    assert.equal(message.sender.attentionData?.address?.addressPoint?.geographicEastingMeasure, '557501.23');
    assert.equal(message.sender.contactPoint?.contactInfo.length, 2);
    assert.equal(message.recipient.attentionData?.email?.emailAddress, 'm.hansen@gmail.com');
    assert.equal(message.contentData?.cprData?.cprNumber, '2512169996');
    assert.equal(message.contentData?.kle?.subjectKey, '00.00.00');
    assert.equal(message.contentData?.additionalContentData.length, 2);
    assert.equal(message.forwardData?.originalRepresentative, 'Repræsentant Kommune');
    assert.equal(message.replyData.length, 2);
    assert.equal(message.replyData[1]?.additionalReplyData.length, 4);
    const body = message.body!;
    assert.equal(body.mainDocument.documentID, '456');
    assert.deepEqual(
      body.mainDocument.files.map((f) => [f.encodingFormat, f.filename, f.language, f.content.toString()]),
      [
        ['application/pdf', 'Pladsanvisning.pdf', 'da', 'This is a test'],
        ['text/plain', 'Pladsanvisning.txt', 'da', 'This is a test'],
      ],
    );
    assert.deepEqual(
      body.mainDocument.actions.map((a) => a.actionCode),
      ['SELVBETJENING', 'AFTALE'],
    );
    assert.equal(body.mainDocument.actions[0]?.entryPoint?.url, 'https://www.tusindfryd.dk/spørgeskema.html');
    assert.equal(body.mainDocument.actions[1]?.reservation?.organizerName, 'Jette Hansen');
    assert.equal(body.additionalDocuments.length, 2);
    // &amp; in the XML is & in the model
    assert.match(body.additionalDocuments[1]?.actions[0]?.entryPoint?.url ?? '', /key=5798009811578&keytype=GLN$/);
    assert.equal(body.technicalDocuments[0]?.files[0]?.filename, 'TekniskDokument.xml');
  });

  test('an NemSMS without MessageBody has no body; 1.2 leaves mandatory and legalNotification out', async () => {
    const { message } = await parseMemo(fixture('MeMo_NemSMS.v12.xml'));
    assert.equal(message.messageType, 'NEMSMS');
    assert.equal(message.notification, 'Message Text');
    assert.equal(message.body, undefined);
    assert.equal('mandatory' in message, false);
    assert.equal('legalNotification' in message, false);
  });
});

describe('MeMo export', () => {
  test('a 1.2 message without 1.2-only content exports as valid 1.1, mandatory written as false', async () => {
    const { message } = await parseMemo(fixture('MeMo_Minimum_Example.v12.xml'));
    const xml = toMemoXml(message, '1.1');
    const again = await parseMemo(xml);
    assert.equal(again.version, '1.1');
    assert.deepEqual(again.message, { ...message, mandatory: false, legalNotification: false });
  });

  test('a message with a Representative cannot be exported as 1.1', async () => {
    const { message } = await parseMemo(fixture('MeMo_Full_Example.v12.xml'));
    const error = await refused(() => toMemoXml(message, '1.1'), 'memo_export_unsupported');
    assert.match(error.message, /Representative/);
  });

  test('text with markup characters is escaped and comes back unchanged', async () => {
    const { message } = await parseMemo(fixture('MeMo_Minimum_Example.v12.xml'));
    const tricky: MemoMessage = { ...message, label: 'A < B & "C" > D', notification: ' spaced\tout ' };
    const again = await parseMemo(toMemoXml(tricky, '1.2'));
    assert.deepEqual(again.message, tricky);
  });
});

describe('MeMo refusals, each with a stable code', () => {
  const minimal = text('MeMo_Minimum_Example.v11.xml');

  test('XXE: a DOCTYPE with an external entity is refused before parsing', async () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n${minimal
      .replace(/^<\?xml[^>]*>/, '')
      .replace('Pladsanvisning</memo:label>', '&e;</memo:label>')}`;
    const error = await refused(parseMemo(xxe), 'xml_dtd_forbidden');
    assert.equal(error.status, 400);
    assert.deepEqual(error.issues, [{ line: 2, message: 'DOCTYPE/DTD is not allowed.' }]);
    assert.doesNotMatch(error.message, /root:/, 'nothing of /etc/passwd leaks');
  });

  test('billion laughs is refused before parsing', async () => {
    const entities = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE lolz [${entities.join('')}]>\n<lolz>&lol9;</lolz>`;
    await refused(parseMemo(bomb), 'xml_dtd_forbidden');
  });

  test('a lowercase doctype is refused too', async () => {
    await refused(parseMemo(`<!doctype memo:Message>${minimal.replace(/^<\?xml[^>]*>/, '')}`), 'xml_dtd_forbidden');
  });

  test('nesting deeper than the limit is refused (default 64; configurable)', async () => {
    const deep = `${'<a>'.repeat(100)}${'</a>'.repeat(100)}`;
    const error = await refused(parseMemo(deep), 'xml_too_deep');
    assert.equal(error.issues[0]?.line, 1);
    await refused(parseMemo(minimal, { maxDepth: 4 }), 'xml_too_deep');
    await parseMemo(minimal, { maxDepth: 5 });
  });

  test('a document over the size limit is refused (default 10 MiB; base64 content counts)', async () => {
    const error = await refused(parseMemo(minimal, { maxBytes: 1000 }), 'xml_too_large');
    assert.equal(error.status, 413);
    const big = minimal.replace('VGhpcyBpcyBhIHRlc3Q=', 'A'.repeat(10 * 1024 * 1024));
    await refused(parseMemo(Buffer.from(big)), 'xml_too_large');
  });

  test('a document just under 10 MiB of base64 is accepted and decoded', async () => {
    const payload = Buffer.alloc(7 * 1024 * 1024, 7);
    const big = minimal.replace('VGhpcyBpcyBhIHRlc3Q=', payload.toString('base64'));
    const { message } = await parseMemo(big);
    assert.ok(message.body?.mainDocument.files[0]?.content.equals(payload));
  });

  test('the wrong namespace or root element is refused', async () => {
    const wrongNs = minimal.replace('xmlns:memo="https://DigitalPost.dk/MeMo-1"', 'xmlns:memo="urn:not-memo"');
    const error = await refused(parseMemo(wrongNs), 'memo_wrong_root');
    assert.match(error.message, /urn:not-memo/);
    await refused(parseMemo('<Message memoVersion="1.1"/>'), 'memo_wrong_root');
    await refused(parseMemo('<html><body>hello</body></html>'), 'memo_wrong_root');
  });

  test('text that is not XML at all is refused as malformed', async () => {
    await refused(parseMemo('{"label": "not xml"}'), 'xml_malformed');
    await refused(parseMemo(''), 'xml_malformed');
    await refused(parseMemo(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d])), 'xml_malformed');
  });

  test('malformed XML is refused with the line libxml2 reports', async () => {
    const error = await refused(
      parseMemo(minimal.replace('Pladsanvisning</memo:label>', 'Pladsanvisning</memo:labl>')),
      'xml_malformed',
    );
    assert.equal(error.issues[0]?.line, 18);
    assert.match(error.issues[0]?.message ?? '', /Opening and ending tag mismatch/);
  });

  test('undeclared entities (no DTD, so only the predefined five exist) are malformed', async () => {
    await refused(parseMemo(minimal.replace('Pladsanvisning</memo:label>', '&nbsp;</memo:label>')), 'xml_malformed');
  });

  test('non-UTF-8 encodings are refused', async () => {
    await refused(parseMemo(minimal.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')), 'xml_encoding_unsupported');
    await refused(parseMemo(Buffer.from(`\uFEFF${minimal}`, 'utf16le')), 'xml_encoding_unsupported');
    await refused(parseMemo(Buffer.from([...Buffer.from(minimal.slice(0, 100)), 0xff])), 'xml_encoding_unsupported');
  });

  test('an unsupported MeMo version is refused', async () => {
    const error = await refused(
      parseMemo(minimal.replace('memoVersion="1.1" memoSchVersion="1.1.0"', 'memoVersion="2.0"')),
      'memo_unsupported_version',
    );
    assert.match(error.message, /"2\.0"/);
  });

  test('a schema violation is memo_invalid with line, element and message for each error', async () => {
    const broken = minimal
      .replace('<memo:label>Pladsanvisning</memo:label>', '')
      .replace('DIGITALPOST', 'BREVDUE')
      .replace('8C2EA15D-61FB-4BA9-9366-42F8B194C114', 'not-a-uuid');
    const error = await refused(parseMemo(broken), 'memo_invalid');
    assert.equal(error.status, 422);
    assert.deepEqual(
      error.issues.map(({ line, element }) => ({ line, element })),
      [
        { line: 16, element: 'memo:messageType' },
        { line: 17, element: 'memo:messageUUID' },
        { line: 19, element: 'memo:mandatory' },
      ],
    );
    assert.match(error.issues[0]?.message ?? '', /BREVDUE/);
    assert.match(error.issues[2]?.message ?? '', /Expected is one of \(.*memo:label \)/);
    assert.deepEqual(error.extra, { issues: error.issues }, 'problem+json carries the issue list');
  });

  test('invalid base64 in a file is refused by the schema (line and element) and by the model reader', async () => {
    const bad = minimal.replace('VGhpcyBpcyBhIHRlc3Q=', 'This is not base64!');
    const error = await refused(parseMemo(bad), 'memo_invalid');
    assert.deepEqual(
      error.issues.map(({ line, element }) => ({ line, element })),
      [{ line: 38, element: 'memo:content' }],
    );
    assert.match(error.message, /base64Binary/);
    const unchecked = await refused(() => parseValidatedMemo(bad), 'memo_invalid_base64');
    assert.match(unchecked.message, /MainDocument file "Pladsanvisning\.pdf"/);
  });
});

describe('MeMo reading details', () => {
  test('namespace prefixes do not matter: a default-namespace message reads the same', async () => {
    const prefixed = await parseMemo(fixture('MeMo_Minimum_Example.v12.xml'));
    const unprefixed = text('MeMo_Minimum_Example.v12.xml')
      .replace(/<(\/?)memo:/g, '<$1')
      .replace('xmlns:memo=', 'xmlns=');
    const again = await parseMemo(unprefixed);
    assert.deepEqual(again.message, prefixed.message);
  });

  test('an unknown action code is accepted (the schema allows any text) with a warning', async () => {
    const xml = text('MeMo_Full_Example.v12.xml').replace('SELVBETJENING', 'TELEPORT');
    const { warnings } = await parseMemo(xml);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /TELEPORT/);
  });

  test('parseMemoBatch answers each document on its own', async () => {
    const results = await parseMemoBatch([
      fixture('MeMo_Full_Example.v11.xml'),
      '<!DOCTYPE x><x/>',
      text('MeMo_Minimum_Example.v11.xml').replace('DIGITALPOST', 'X'),
      fixture('MeMo_NemSMS.v12.xml'),
      text('MeMo_Minimum_Example.v11.xml').replace('</memo:label>', '</memo:lbl>'),
    ]);
    assert.deepEqual(
      results.map((r) => (r instanceof MemoError ? r.code : r.version)),
      ['1.1', 'xml_dtd_forbidden', 'memo_invalid', '1.2', 'xml_malformed'],
    );
  });
});

describe('recipientIdentifier', () => {
  const base = { messageType: 'DIGITALPOST' as const, messageUUID: 'x', label: 'x', replyData: [] };
  const sender = { senderID: '12345678', idType: 'CVR', label: 'Kommunen' };
  const withRecipient = (recipientID: string, idType: string): MemoMessage => ({
    ...base,
    sender,
    recipient: { recipientID, idType },
  });

  test('a valid CPR or CVR number is returned normalised', () => {
    assert.deepEqual(recipientIdentifier(withRecipient('2211771212', 'CPR')), { cpr: '2211771212' });
    assert.deepEqual(recipientIdentifier(withRecipient(' 221177-1212 ', 'cpr')), { cpr: '2211771212' });
    assert.deepEqual(recipientIdentifier(withRecipient('13585628', 'CVR')), { cvr: '13585628' });
  });

  test('placeholders, impossible numbers and other id types are refused with a clear message', async () => {
    const placeholder = await refused(
      () => recipientIdentifier(withRecipient('Recipient ID', 'CPR')),
      'memo_recipient_invalid',
    );
    assert.match(placeholder.message, /"Recipient ID" is not a number/);
    const badDate = await refused(
      () => recipientIdentifier(withRecipient('3213771212', 'CPR')),
      'memo_recipient_invalid',
    );
    assert.match(badDate.message, /not a valid CPR number/);
    await refused(() => recipientIdentifier(withRecipient('12345679', 'CVR')), 'memo_recipient_invalid');
    const other = await refused(() => recipientIdentifier(withRecipient('ABC', 'eID')), 'memo_recipient_invalid');
    assert.match(other.message, /CPR or CVR/);
  });
});

describe('the MeMo validator thread', () => {
  test('stopping it (at shutdown) waits for the thread to end; the next letter starts a new one', async () => {
    const full = text('MeMo_Full_Example.v11.xml');
    assert.equal((await validateMemoSchema(full, '1.1')).outcome, 'valid');
    await stopMemoValidator();
    await stopMemoValidator(); // nothing left to stop
    assert.equal((await validateMemoSchema(full, '1.1')).outcome, 'valid');
    assert.equal((await validateMemoSchema(full.replaceAll('memo:label>', 'memo:lable>'), '1.1')).outcome, 'invalid');
  });
});
