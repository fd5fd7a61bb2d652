import { AppError, notFound } from '../../http/problem.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Services } from '../../services.ts';
import { letterHtmlFragment } from '../mailbox/index.ts';
import {
  findTestLetter,
  listTestLetters,
  type TestLetterDocument,
  type TestLetterPage,
  type TestLetterSummary,
} from '../messages/index.ts';
import { mayViewTestMailbox } from './test-mailbox.policy.ts';

/** A document of a test letter as the page shows it: HTML sanitised as in the mailbox, plain text as it is. */
export interface ShownDocument extends TestLetterDocument {
  html: string | null;
  text: string | null;
}

export interface OpenedTestLetter extends TestLetterSummary {
  notification: string | null;
  documents: ShownDocument[];
}

/** Text and HTML documents are shown in the page up to this size; larger ones by download, as in the mailbox. */
const INLINE_MAX = 512 * 1024;

function senderOf(actor: Actor | null): string {
  const senderId = actor?.kind === 'sender_staff' ? actor.senderId : null;
  if (!senderId || !mayViewTestMailbox(actor, senderId)) {
    throw new AppError(403, 'forbidden', 'Your login does not give access to this page.');
  }
  return senderId;
}

/** The staff member's own organisation's test letters, newest first. */
export async function testMailboxPage(
  services: Services,
  actor: Actor | null,
  before?: string,
): Promise<TestLetterPage> {
  return listTestLetters(services, senderOf(actor), { before });
}

/** One test letter with its documents ready to show; another organisation's (or a live) letter is "not found". */
export async function openTestLetter(services: Services, actor: Actor | null, id: string): Promise<OpenedTestLetter> {
  const letter = await findTestLetter(services, senderOf(actor), id);
  const documents: ShownDocument[] = [];
  for (const doc of letter.documents) {
    const inline = (doc.mediaType === 'text/html' || doc.mediaType === 'text/plain') && doc.sizeBytes <= INLINE_MAX;
    const body = inline ? (await services.documents.get(doc.sha256)).toString('utf8') : null;
    documents.push({
      ...doc,
      html: body !== null && doc.mediaType === 'text/html' ? letterHtmlFragment(body) : null,
      text: body !== null && doc.mediaType === 'text/plain' ? body : null,
    });
  }
  return { ...letter, documents };
}

/** The bytes of one document of a test letter (PDFs, images and downloads); HTML is only ever shown sanitised. */
export async function readTestDocument(
  services: Services,
  actor: Actor | null,
  id: string,
  positionParam: string,
): Promise<{ doc: TestLetterDocument; body: Buffer | string }> {
  if (!/^\d{1,4}$/.test(positionParam)) throw notFound('document');
  const letter = await findTestLetter(services, senderOf(actor), id);
  const doc = letter.documents.find((d) => d.position === Number(positionParam));
  if (!doc) throw notFound('document');
  const bytes = await services.documents.get(doc.sha256);
  return { doc, body: doc.mediaType === 'text/html' ? letterHtmlFragment(bytes.toString('utf8')) : bytes };
}
