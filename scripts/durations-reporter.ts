/**
 * A node:test reporter that writes each test file's run time as a JSON line ({"file", "ms"}), from the per-file
 * `test:summary` events. scripts/test.ts gives it a file of its own and keeps test/durations.json from it.
 */
export default async function* durationsReporter(
  source: AsyncIterable<{ type: string; data: { file?: string; duration_ms?: number } }>,
): AsyncGenerator<string> {
  for await (const event of source) {
    if (event.type !== 'test:summary' || !event.data.file) continue;
    yield `${JSON.stringify({ file: event.data.file, ms: event.data.duration_ms ?? 0 })}\n`;
  }
}
