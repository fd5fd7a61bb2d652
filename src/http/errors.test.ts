import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { errorCatalogues } from '../app.ts';
import { BATCH_FAILURES } from '../modules/messages/batches/get-batch.ts';
import { LINE_FAILED } from '../modules/messages/batches/line-failure.ts';
import { type ErrorCatalogue, errorText, platformErrors, registeredErrorCodes } from './errors.ts';

/*
 * The error-code catalogue is complete and bilingual. `tsc` already refuses a literal code in no catalogue where the
 * type reaches (AppError, batch line failures); this test covers what it cannot: texts, duplicates, the registry the
 * composition root fills, codes stored in the database, and code literals in places the type does not reach.
 */

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

/** Every `<module>.errors.ts` catalogue, by file, as the files export them (not as app.ts lists them). */
async function moduleCatalogues(): Promise<Map<string, ErrorCatalogue>> {
  const catalogues = new Map<string, ErrorCatalogue>();
  for (const file of sourceFiles(path.join(SRC, 'modules')).filter((f) => f.endsWith('.errors.ts'))) {
    const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const found = Object.values(exports).filter((value) => typeof value === 'object' && value !== null);
    assert.equal(found.length, 1, `${path.relative(SRC, file)} exports exactly one catalogue`);
    catalogues.set(path.relative(SRC, file), found[0] as ErrorCatalogue);
  }
  return catalogues;
}

/** Codes named in source places the ErrorCode type does not reach as a literal, and that are not error codes. */
const NOT_ERROR_CODES: Record<string, string> = {
  // What a status check found (a check's own vocabulary on the status page, not an error answer).
  'modules/status/run-status-checks.ts': 'status check codes',
  // Language codes.
  'web/layout.tsx': 'language codes',
};

describe('error-code catalogue', () => {
  test('every module has one catalogue, and app.ts registers each of them', async () => {
    const catalogues = await moduleCatalogues();
    assert.ok(catalogues.size >= 10, `found ${catalogues.size} catalogues`);
    for (const [file, catalogue] of catalogues) {
      assert.ok(errorCatalogues.includes(catalogue as never), `${file} is in app.ts's errorCatalogues`);
    }
    const registered = new Set(registeredErrorCodes());
    for (const catalogue of [platformErrors, ...catalogues.values()]) {
      for (const code of Object.keys(catalogue)) assert.ok(registered.has(code), `${code} is registered`);
    }
  });

  test('every code has a Danish and an English text, not empty, and the two differ', async () => {
    const catalogues = [['http/errors.ts', platformErrors] as const, ...(await moduleCatalogues())];
    for (const [file, catalogue] of catalogues) {
      for (const [code, text] of Object.entries(catalogue)) {
        const where = `${file}: ${code}`;
        assert.match(code, /^[a-z][a-z0-9_]*$/, `${where}: a code is snake_case`);
        assert.deepEqual(Object.keys(text).sort(), ['da', 'en'], `${where}: has exactly da and en`);
        for (const lang of ['da', 'en'] as const) {
          assert.equal(typeof text[lang], 'string', `${where}.${lang}`);
          assert.ok(text[lang].trim().length > 0, `${where}.${lang} is not empty`);
          assert.equal(text[lang], text[lang].trim(), `${where}.${lang} has no surrounding white space`);
          assert.doesNotMatch(text[lang], /\{\w+\}|\$\{/, `${where}.${lang} has no placeholder`);
        }
        assert.notEqual(text.da, text.en, `${where}: the Danish text is not the English one`);
      }
    }
  });

  test('no code is in two catalogues (its text would depend on the order of registration)', async () => {
    const seen = new Map<string, string>();
    for (const [file, catalogue] of [['http/errors.ts', platformErrors] as const, ...(await moduleCatalogues())]) {
      for (const code of Object.keys(catalogue)) {
        assert.equal(seen.get(code), undefined, `${code} is in ${seen.get(code)} and ${file}`);
        seen.set(code, file);
      }
    }
  });

  test('codes stored in the database (batch failures, line failures) have texts', () => {
    for (const code of [...Object.keys(BATCH_FAILURES), LINE_FAILED, 'batch_cancelled']) {
      assert.ok(errorText(code, 'da'), `${code} has a Danish text`);
      assert.ok(errorText(code, 'en'), `${code} has an English text`);
    }
  });

  test('every code literal in src/ that an error is made from is in a catalogue', () => {
    const registered = new Set(registeredErrorCodes());
    const patterns = [
      // new AppError(404, 'code', …), problem(400, 'code', …)
      /\b(?:new AppError|problem)\(\s*\d+\s*,\s*'([a-z0-9_]+)'/g,
      // the local error makers: fail('code', …), refuse('code', …), mismatch('code', …)
      /\b(?:fail|refuse|mismatch)\(\s*'([a-z0-9_]+)'/g,
      // form and line errors as objects: { field, code: 'code' }
      /\bcode:\s*'([a-z0-9_]+)'/g,
    ];
    const missing: string[] = [];
    let found = 0;
    for (const file of sourceFiles(SRC)) {
      const relative = path.relative(SRC, file).split(path.sep).join('/');
      if (NOT_ERROR_CODES[relative] || relative.endsWith('.errors.ts')) continue;
      const text = readFileSync(file, 'utf8');
      for (const pattern of patterns) {
        for (const match of text.matchAll(pattern)) {
          found++;
          const code = match[1] as string;
          if (!registered.has(code)) missing.push(`${relative}: ${code}`);
        }
      }
    }
    assert.ok(found > 200, `the scan found ${found} code literals`);
    assert.deepEqual(missing, [], 'codes in no catalogue');
  });

  test('a page says a code in its language; an unknown code has no text', () => {
    assert.equal(errorText('not_found', 'da'), platformErrors.not_found.da);
    assert.equal(
      errorText('recipient_closed', 'en'),
      'This recipient’s mailbox is closed; the letter cannot be delivered.',
    );
    assert.equal(errorText('no_such_code', 'da'), undefined);
  });
});
