import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ActivityItem, groupRepeatedViews } from './list-activity.ts';

let next = 100;
const at = (minute: number) => new Date(Date.UTC(2026, 11, 6, 12, minute));
function view(kind: 'open' | 'document_open', letter: string, minute: number, actorKey = 'citizen:anna'): ActivityItem {
  return {
    id: String(next--),
    occurredAt: at(minute),
    actorKey,
    messageId: letter,
    who: { kind: 'owner', viewerIsOwner: true },
    what:
      kind === 'open'
        ? { kind: 'open', label: `Brev ${letter}` }
        : { kind: 'document_open', label: `Brev ${letter}`, title: 'Brev.pdf', all: false },
  };
}
const grant: ActivityItem = {
  id: '1',
  occurredAt: at(0),
  actorKey: 'citizen:anna',
  messageId: null,
  who: { kind: 'owner', viewerIsOwner: true },
  what: { kind: 'grant', delegationKind: 'grant', level: 'read', granteeName: 'Karen Holm', endsAt: null },
};

test('consecutive views of one letter by one person are one line: how many openings, the newest time, the first', () => {
  // Newest first: Anna read letter A three times (each opening also opened its PDF).
  const items = [
    view('document_open', 'A', 30),
    view('open', 'A', 30),
    view('document_open', 'A', 20),
    view('open', 'A', 20),
    view('open', 'A', 10),
  ];
  const grouped = groupRepeatedViews(items);
  assert.equal(grouped.length, 1);
  const line = grouped[0] as ActivityItem;
  assert.deepEqual(line.what, { kind: 'open', label: 'Brev A' });
  assert.equal(line.occurredAt.getTime(), at(30).getTime(), 'the newest view');
  assert.deepEqual(line.repeated, { times: 3, firstAt: at(10) });
  assert.equal(line.id, items[0]?.id);
});

test('one opening with its document is one line without a count', () => {
  const grouped = groupRepeatedViews([view('document_open', 'A', 5), view('open', 'A', 5)]);
  assert.equal(grouped.length, 1);
  assert.deepEqual(grouped[0]?.what, { kind: 'open', label: 'Brev A' });
  assert.equal(grouped[0]?.repeated, undefined);
});

test('another letter, another person or another kind of entry in between keeps the lines apart', () => {
  const items = [
    view('open', 'A', 50),
    view('open', 'B', 40),
    view('open', 'A', 30),
    view('open', 'A', 20, 'citizen:karen'),
    view('open', 'A', 15),
    grant,
    view('open', 'A', 5),
  ];
  const grouped = groupRepeatedViews(items);
  assert.equal(grouped.length, items.length, 'nothing here is a repeat of the line before');
  assert.ok(grouped.every((item) => item.repeated === undefined));
});

test('repeated document downloads without opening the letter are counted on the newest', () => {
  const grouped = groupRepeatedViews([view('document_open', 'A', 9), view('document_open', 'A', 3)]);
  assert.equal(grouped.length, 1);
  assert.equal(grouped[0]?.what.kind, 'document_open');
  assert.deepEqual(grouped[0]?.repeated, { times: 2, firstAt: at(3) });
});
