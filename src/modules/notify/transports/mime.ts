/*
 * A notification e-mail as a ready RFC 5322 message: one text/plain UTF-8 part, base64, headers encoded as RFC 2047
 * words when they are not plain ASCII. Built with plain string work (no MIME tree per message), handed to nodemailer
 * as `raw` with an explicit envelope.
 */

const PLAIN_HEADER = /^[\x20-\x7e]*$/;

/** `text` as one or more RFC 2047 base64 words (each at most 75 characters, split between characters). */
export function encodeWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > 45) {
      words.push(`=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`);
      chunk = '';
      bytes = 0;
    }
    chunk += char;
    bytes += size;
  }
  if (chunk || words.length === 0) words.push(`=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`);
  return words.join('\r\n ');
}

/** A header value: as is when short printable ASCII, encoded words otherwise (never a raw CR or LF). */
export function headerValue(value: string): string {
  return PLAIN_HEADER.test(value) && value.length <= 900 ? value : encodeWords(value);
}

/** Splits "Name <addr@x>" into its parts; a bare address has no name. */
export function parseMailbox(mailbox: string): { name: string | null; address: string } {
  const match = /^\s*(.*?)\s*<([^<>\s]+)>\s*$/.exec(mailbox);
  if (!match) return { name: null, address: mailbox.trim() };
  const name = (match[1] as string).replace(/^"(.*)"$/, '$1').trim();
  return { name: name || null, address: match[2] as string };
}

function formatMailbox(mailbox: { name: string | null; address: string }): string {
  if (!mailbox.name) return mailbox.address;
  const name = /^[A-Za-z0-9 !#$%&'*+\-/=?^_`{|}~.]*$/.test(mailbox.name)
    ? mailbox.name.includes('.')
      ? `"${mailbox.name}"`
      : mailbox.name
    : encodeWords(mailbox.name);
  return `${name} <${mailbox.address}>`;
}

/** Base64 in lines of 76 characters. */
function base64Lines(text: string): string {
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
  return lines.join('\r\n');
}

export interface PlainMail {
  from: { name: string | null; address: string };
  to: string;
  subject: string;
  text: string;
  /** With angle brackets. */
  messageId: string;
  headers: Record<string, string>;
  date?: Date;
}

/** The whole message, CRLF line ends. */
export function buildPlainMail(mail: PlainMail): string {
  const lines = [
    `From: ${formatMailbox(mail.from)}`,
    `To: ${mail.to.replace(/[\r\n]/g, '')}`,
    `Subject: ${headerValue(mail.subject)}`,
    `Message-ID: ${mail.messageId}`,
    `Date: ${(mail.date ?? new Date()).toUTCString().replace(/GMT$/, '+0000')}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
  ];
  for (const [name, value] of Object.entries(mail.headers)) lines.push(`${name}: ${headerValue(value)}`);
  return `${lines.join('\r\n')}\r\n\r\n${base64Lines(mail.text)}\r\n`;
}
