/**
 * The module list is what the composition root iterates: every module folder has a manifest in it, in the layer
 * order of .dependency-cruiser.cjs, and every manifest's strings are the translator's.
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type MessageKey, t } from '../web/i18n.ts';
import { modules } from './index.ts';
import '../strings.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

test('every module folder is in the module list, in the declared layer order', () => {
  const folders = readdirSync(here).filter((entry) => statSync(path.join(here, entry)).isDirectory());
  assert.deepEqual(modules.map((m) => m.name).sort(), folders.sort());
  // The layers of .dependency-cruiser.cjs (LAYERS), lowest first, as module names.
  const order = [
    'audit',
    'identity',
    'registry',
    'access',
    'events',
    'print',
    'notify',
    'messages',
    'proofs',
    'mailbox',
    'senders',
    'correspondence',
    'statistics',
    'status',
  ];
  assert.deepEqual(
    modules.map((m) => m.name),
    order,
  );
});

test("every manifest's strings are the translator's, in both languages", () => {
  for (const module of modules) {
    for (const lang of ['da', 'en'] as const) {
      for (const [key, text] of Object.entries(module.strings?.[lang] ?? {})) {
        if (text.includes('{')) continue; // placeholders are filled by t; the key's presence is what counts
        assert.equal(t(lang, key as MessageKey), text, `${module.name}: ${lang} ${key}`);
      }
    }
  }
});
