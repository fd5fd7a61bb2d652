/*
 * The texts of notifications. They never say what a letter is about: the sender's name and "new Digital Post",
 * the letter's label only when its sender has marked it as not sensitive, and a link to the mailbox. An SMS is at
 * most 160 characters.
 */

export type NotifyLang = 'da' | 'en';

export interface LetterSummary {
  senderName: string;
  /** The label, or null when it may not be shown. */
  publicLabel: string | null;
}

export interface ComposedNotification {
  subject: string;
  emailBody: string;
  sms: string;
}

export const SMS_MAX = 160;

function listNames(names: string[], lang: NotifyLang): string {
  const and = lang === 'da' ? 'og' : 'and';
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} ${and} ${names.at(-1)}`;
}

const uniqueSenders = (letters: LetterSummary[]) => [...new Set(letters.map((l) => l.senderName))];

/** Shortens to at most `max` characters, ending with an ellipsis when cut. */
function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function smsText(lead: string, link: string, lang: NotifyLang, fallbackLead: string): string {
  const tail = lang === 'da' ? ` Læs den på ${link}` : ` Read it at ${link}`;
  const withLink = `${lead}${tail}`;
  if (withLink.length <= SMS_MAX) return withLink;
  if (`${fallbackLead}${tail}`.length <= SMS_MAX) return `${fallbackLead}${tail}`;
  return fit(fallbackLead, SMS_MAX);
}

/** "You have new Digital Post" for one or more letters that became available. */
export function composeNewMail(letters: LetterSummary[], lang: NotifyLang, mailboxUrl: string): ComposedNotification {
  const senders = uniqueSenders(letters);
  const many = letters.length > 1;
  const from = listNames(senders, lang);
  const labels = letters.map((l) => l.publicLabel).filter((l): l is string => !!l);
  if (lang === 'en') {
    const lead = many
      ? `You have ${letters.length} new letters in Digital Post from ${from}.`
      : `You have new Digital Post from ${from}.`;
    const subject = senders.length === 1 ? `New Digital Post from ${from}` : 'You have new Digital Post';
    const body = [
      lead,
      labels.length ? `${labels.length > 1 ? 'Subjects' : 'Subject'}: ${labels.join('; ')}` : null,
      `Read your mail at ${mailboxUrl}`,
      'You receive this message because you asked to be told about new mail. You can change that under Contact details when you are logged in.',
      'Kind regards\nDigital Post',
    ];
    return {
      subject: fit(subject, 200),
      emailBody: body.filter((l) => l !== null).join('\n\n'),
      sms: smsText(
        many ? `${letters.length} new letters in Digital Post from ${from}.` : `New Digital Post from ${from}.`,
        mailboxUrl,
        'en',
        'You have new Digital Post.',
      ),
    };
  }
  const lead = many
    ? `Du har fået ${letters.length} nye breve i Digital Post fra ${from}.`
    : `Du har fået ny Digital Post fra ${from}.`;
  const subject = senders.length === 1 ? `Ny Digital Post fra ${from}` : 'Du har fået ny Digital Post';
  const body = [
    lead,
    labels.length ? `${labels.length > 1 ? 'Emner' : 'Emne'}: ${labels.join('; ')}` : null,
    `Læs din post på ${mailboxUrl}`,
    'Du får denne besked, fordi du har bedt om besked om ny post. Du kan ændre det under Kontaktoplysninger, når du er logget ind.',
    'Venlig hilsen\nDigital Post',
  ];
  return {
    subject: fit(subject, 200),
    emailBody: body.filter((l) => l !== null).join('\n\n'),
    sms: smsText(
      many ? `${letters.length} nye breve i Digital Post fra ${from}.` : `Ny Digital Post fra ${from}.`,
      mailboxUrl,
      'da',
      'Du har fået ny Digital Post.',
    ),
  };
}

/** The reminder of a letter that is still unread after some days. */
export function composeReminder(letter: LetterSummary, lang: NotifyLang, mailboxUrl: string): ComposedNotification {
  if (lang === 'en') {
    const lead = `Reminder: you have unread Digital Post from ${letter.senderName}.`;
    return {
      subject: fit(`Reminder: unread Digital Post from ${letter.senderName}`, 200),
      emailBody: [
        lead,
        letter.publicLabel ? `Subject: ${letter.publicLabel}` : null,
        `Read it at ${mailboxUrl}`,
        'Kind regards\nDigital Post',
      ]
        .filter((l) => l !== null)
        .join('\n\n'),
      sms: smsText(lead, mailboxUrl, 'en', 'Reminder: you have unread Digital Post.'),
    };
  }
  const lead = `Påmindelse: Du har ulæst Digital Post fra ${letter.senderName}.`;
  return {
    subject: fit(`Påmindelse: ulæst Digital Post fra ${letter.senderName}`, 200),
    emailBody: [
      lead,
      letter.publicLabel ? `Emne: ${letter.publicLabel}` : null,
      `Læs den på ${mailboxUrl}`,
      'Venlig hilsen\nDigital Post',
    ]
      .filter((l) => l !== null)
      .join('\n\n'),
    sms: smsText(lead, mailboxUrl, 'da', 'Påmindelse: Du har ulæst Digital Post.'),
  };
}

const LINK_RE = /(https?:\/\/|www\.)|\b[a-z0-9-]+\.(dk|com|net|org|eu|io|info|nu|se|no|de)\b(\/\S*)?/i;

/** Why a NemSMS text cannot be sent, or null: at most 160 characters, no links, not empty. */
export function nemSmsTextProblem(
  text: string | null | undefined,
): 'nemsms_text_missing' | 'nemsms_too_long' | 'nemsms_link' | null {
  if (!text?.trim()) return 'nemsms_text_missing';
  if (text.length > SMS_MAX) return 'nemsms_too_long';
  if (LINK_RE.test(text)) return 'nemsms_link';
  return null;
}
