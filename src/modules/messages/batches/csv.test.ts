import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type BatchEnv,
  getJson,
  postBatch,
  startBatchEnv,
  waitBatchFinished,
} from '../../../../test/support/batches.ts';
import { createPerson, createSender, tinyPdf } from '../../../../test/support/fixtures.ts';
import { sha256Hex } from '../../../documents/document-store.ts';
import { uuidV5 } from './csv-batch.ts';

const ANNA = '1503851234'; // enrolled
const BO = '0101901235'; // exempted
const DORTE = '0303701237'; // enrolled

/** A CSV mailing as a sender's system posts it: template, recipients and the document. */
function mailing(
  template: Record<string, unknown>,
  csv: string,
  document: { bytes: Buffer; type: string; name: string } = { bytes: tinyPdf, type: 'application/pdf', name: 'a.pdf' },
) {
  const form = new FormData();
  form.append('template', JSON.stringify(template));
  form.append('recipients', new Blob([csv], { type: 'text/csv' }), 'modtagere.csv');
  form.append('document', new Blob([new Uint8Array(document.bytes)], { type: document.type }), document.name);
  return form;
}

const pdfTemplate = (extra: Record<string, unknown> = {}) => ({
  batchKey: 'ejendomsskat-2026',
  label: 'Ejendomsskat for {{adresse}}',
  notification: 'Hej {{navn}}, du har fået post',
  document: { title: 'Opkrævning', filename: 'opkraevning.pdf', mediaType: 'application/pdf' },
  ...extra,
});

const letters = (env: BatchEnv, senderId: string) =>
  env.services.db
    .selectFrom('message')
    .innerJoin('recipient', 'recipient.id', 'message.recipient_id')
    .innerJoin('message_document', 'message_document.message_id', 'message.id')
    .select([
      'message.message_uuid',
      'message.label',
      'message.notification',
      'recipient.cpr',
      'message_document.sha256',
    ])
    .where('message.sender_id', '=', senderId)
    .orderBy('message.label')
    .execute();

describe('CSV mailings with merge fields', () => {
  let env: BatchEnv;
  let sender: Awaited<ReturnType<typeof createSender>>;
  before(async () => {
    env = await startBatchEnv({ worker: true });
    sender = await createSender(env.services.db, 'Horsens Kommune');
    await createPerson(env.services.db, ANNA, 'Anna');
    await createPerson(env.services.db, BO, 'Bo', 'exempted');
    await createPerson(env.services.db, DORTE, 'Dorte');
  });
  after(async () => env?.stop());

  test('one shared PDF, one letter per row with its merge fields; re-sending the mailing sends nothing twice', async () => {
    const csv =
      'cpr;navn;adresse\n150385-1234;Anna;Vestergade 1\n0303701237;Dorte;Østergade 2\n0101901235;Bo;Torvet 3\n';
    const submitted = await postBatch(env, sender.apiKey, mailing(pdfTemplate(), csv));
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    assert.equal(submitted.body.items, 3);
    const done = await waitBatchFinished(env, sender.apiKey, submitted.body.id);
    assert.deepEqual(done.counts, { total: 3, processed: 3, accepted: 3, duplicates: 0, failed: 0 });
    const sent = await letters(env, sender.id);
    assert.deepEqual(
      sent.map((l) => [l.label, l.notification, l.cpr?.trim()]),
      [
        ['Ejendomsskat for Torvet 3', 'Hej Bo, du har fået post', BO],
        ['Ejendomsskat for Vestergade 1', 'Hej Anna, du har fået post', ANNA],
        ['Ejendomsskat for Østergade 2', 'Hej Dorte, du har fået post', DORTE],
      ],
    );
    assert.ok(
      sent.every((l) => l.sha256.trim() === sha256Hex(tinyPdf)),
      'the same PDF in every letter',
    );
    const stored = await env.services.db.selectFrom('document').select('sha256').execute();
    assert.equal(stored.length, 1, 'stored once');
    // Identity: the UUIDv5 of batchKey and the recipient's number, so the sender can compute it too.
    assert.equal(sent[1]?.message_uuid, uuidV5(`ejendomsskat-2026\u0000${ANNA}`));

    const again = await postBatch(env, sender.apiKey, mailing(pdfTemplate(), csv));
    const second = await waitBatchFinished(env, sender.apiKey, again.body.id);
    assert.deepEqual(second.counts, { total: 3, processed: 3, accepted: 0, duplicates: 3, failed: 0 });
    assert.equal((await letters(env, sender.id)).length, 3);
  });

  test('a text/HTML template is rendered per recipient, values HTML-escaped; a message_uuid column is the identity', async () => {
    const html = Buffer.from('<html><body><p>Kære {{navn}}</p><p>Beløb: {{beløb}} kr.</p></body></html>');
    const csv = 'message_uuid,cvr,navn,beløb\n0b7e2a34-1c1d-4e7a-9c55-5d3a7c2b9e01,12345674,"Firma <A/S>",1.200\n';
    await createCompany(env, '12345674');
    const submitted = await postBatch(
      env,
      sender.apiKey,
      mailing(
        {
          label: 'Regning til {{navn}}',
          document: { title: 'Regning', filename: 'regning.html', mediaType: 'text/html' },
        },
        csv,
        { bytes: html, type: 'text/html', name: 'regning.html' },
      ),
    );
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    const done = await waitBatchFinished(env, sender.apiKey, submitted.body.id);
    assert.equal(done.counts.accepted, 1, JSON.stringify(done));
    const letter = await env.services.db
      .selectFrom('message')
      .innerJoin('message_document', 'message_document.message_id', 'message.id')
      .select(['message.label', 'message_document.sha256'])
      .where('message.message_uuid', '=', '0b7e2a34-1c1d-4e7a-9c55-5d3a7c2b9e01')
      .executeTakeFirstOrThrow();
    assert.equal(letter.label, 'Regning til Firma <A/S>');
    const body = (await env.services.documents.get(letter.sha256.trim())).toString('utf8');
    assert.equal(body, '<html><body><p>Kære Firma &lt;A/S&gt;</p><p>Beløb: 1.200 kr.</p></body></html>');
  });

  test('bad rows fail one by one with the row, the column and a clear code', async () => {
    const csv = [
      'cpr,navn,adresse',
      '3213991234,Xerxes,Vej 1', // 1 bad CPR
      '1503851234,,Vej 2', // 2 empty merge value
      '0404601238,Ukendt,Vej 3', // 3 unknown recipient
      '0303701237,Dorte,Vej 4,extra', // 4 too many fields
      '0303701237,Dorte,Vej 4', // 5 good
    ].join('\n');
    const submitted = await postBatch(env, sender.apiKey, mailing(pdfTemplate({ batchKey: 'rows' }), csv));
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    const done = await waitBatchFinished(env, sender.apiKey, submitted.body.id);
    assert.deepEqual(done.counts, { total: 5, processed: 5, accepted: 1, duplicates: 0, failed: 4 });
    const errors = (await getJson(env, sender.apiKey, `/api/v1/batches/${submitted.body.id}/errors`)).body.errors;
    assert.deepEqual(
      errors.map((e: { line: number; code: string; field: string | null }) => [e.line, e.code, e.field]),
      [
        [1, 'invalid_cpr', 'cpr'],
        [2, 'missing_merge_value', 'navn'],
        [3, 'unknown_recipient', '/recipient/cpr'],
        [4, 'wrong_column_count', null],
      ],
    );
    assert.ok(!JSON.stringify(errors).includes('3213991234'), 'no CPR number in the error list');
  });

  test('an unknown merge field, a missing batchKey or recipient column, a bad document are refused before anything is stored', async () => {
    const before = (await env.services.db.selectFrom('batch').select('id').execute()).length;
    const cases: [FormData, number, string, string][] = [
      [
        mailing(pdfTemplate({ label: 'Hej {{fornavn}}' }), 'cpr,navn\n1503851234,A\n'),
        422,
        'unknown_merge_field',
        'template/label',
      ],
      [
        mailing(pdfTemplate({ batchKey: undefined }), 'cpr,navn,adresse\n1503851234,A,B\n'),
        422,
        'batch_key_required',
        'template/batchKey',
      ],
      [mailing(pdfTemplate(), 'navn,adresse\nA,B\n'), 422, 'csv_recipient_column', 'recipients'],
      [
        mailing(pdfTemplate({ colour: 'red' }), 'cpr,navn,adresse\n1503851234,A,B\n'),
        422,
        'invalid_template',
        'template/colour',
      ],
      [
        mailing(pdfTemplate(), 'cpr,navn,adresse\n1503851234,A,B\n', {
          bytes: Buffer.from('not a pdf'),
          type: 'application/pdf',
          name: 'x.pdf',
        }),
        422,
        'not_a_pdf',
        'document',
      ],
      [mailing(pdfTemplate(), 'cpr,navn,adresse\n'), 400, 'empty_batch', 'recipients'],
    ];
    for (const [form, status, code, field] of cases) {
      const response = await postBatch(env, sender.apiKey, form);
      assert.equal(response.status, status, `${code}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.code, code);
      assert.equal(response.body.errors?.[0]?.field ?? response.body.field, field, code);
    }
    assert.equal((await env.services.db.selectFrom('batch').select('id').execute()).length, before);
    const spool = path.join(env.dataDir, 'batches');
    assert.deepEqual(existsSync(spool) ? readdirSync(spool) : [], []);
  });
});

describe('CSV mailings: limits', () => {
  let env: BatchEnv;
  let sender: Awaited<ReturnType<typeof createSender>>;
  before(async () => {
    env = await startBatchEnv({
      worker: false,
      env: { KUVERT_BATCH_MAX_BYTES: String(4 * 1024), KUVERT_BATCH_MAX_ITEMS: '3' },
    });
    sender = await createSender(env.services.db, 'Skive Kommune');
  });
  after(async () => env?.stop());

  test('a CSV over the byte limit or with too many rows is 413, and nothing is stored', async () => {
    const rows = (n: number) =>
      `cpr,navn,adresse\n${Array.from({ length: n }, () => '1503851234,Anna,Vej 1').join('\n')}`;
    const big = await postBatch(env, sender.apiKey, mailing(pdfTemplate(), rows(300)));
    assert.equal(big.status, 413);
    assert.equal(big.body.code, 'batch_too_large');
    const many = await postBatch(env, sender.apiKey, mailing(pdfTemplate(), rows(4)));
    assert.equal(many.status, 413);
    assert.equal(many.body.code, 'too_many_items');
    assert.equal((await env.services.db.selectFrom('batch').select('id').execute()).length, 0);
    assert.equal((await env.services.db.selectFrom('document').select('sha256').execute()).length, 0);
  });
});

async function createCompany(env: BatchEnv, cvr: string) {
  await env.services.db
    .insertInto('recipient')
    .values({ kind: 'business', cvr, name: 'Firma A/S', enrolment: 'automatic' })
    .execute();
}
