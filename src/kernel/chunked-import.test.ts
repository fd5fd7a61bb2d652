import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChunkedImport, type ImportChunk, partOf } from './chunked-import.ts';

test('partOf: one key always lands in one part; lines without a key go round by line number', () => {
  assert.equal(partOf('0101901234', 1, 1), 0);
  assert.equal(partOf('0101901234', 7, 3), partOf('0101901234', 99, 3));
  assert.equal(partOf(null, 7, 3), 1);
  assert.equal(partOf('', 8, 3), 2);
});

test('ChunkedImport skips resumed lines, flushes full chunks in part order and the rest at the end', async () => {
  const committed: ImportChunk<number, string>[] = [];
  const chunks = new ChunkedImport<number, string>([0, 4], 2, async (chunk) => {
    await new Promise((resolve) => setImmediate(resolve));
    committed.push(chunk);
  });
  for (let line = 1; line <= 9; line++) {
    const part = await chunks.partFor(null, line);
    // Part 1 (odd lines) had committed up to line 4: lines 1 and 3 are skipped.
    if (line === 1 || line === 3) assert.equal(part, null);
    if (part === null) continue;
    if (line % 3 === 0) chunks.chunk(part).failures.push(`bad ${line}`);
    else chunks.chunk(part).items.push(line);
    await chunks.added(part, line);
  }
  await chunks.finish(9);
  const byPart = (part: number) =>
    committed.filter((c) => c.part === part).map((c) => [c.lastLine, c.items, c.failures]);
  assert.deepEqual(byPart(0), [
    [4, [2, 4], []],
    [8, [8], ['bad 6']],
  ]);
  assert.deepEqual(byPart(1), [
    [7, [5, 7], []],
    [9, [], ['bad 9']],
  ]);
});
