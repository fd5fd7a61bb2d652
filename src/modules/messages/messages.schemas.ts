import { type Static, Type } from 'typebox';
import { RecipientInput } from '../../http/schemas.ts';
import { EscalationInput } from '../notify/index.ts';

export const DocumentInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200, description: 'Shown to the recipient' }),
    filename: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^/\\\\\\u0000-\\u001f]+$' }),
    mediaType: Type.Union(
      [
        Type.Literal('application/pdf'),
        Type.Literal('text/html'),
        Type.Literal('text/plain'),
        Type.Literal('image/png'),
        Type.Literal('image/jpeg'),
        Type.Literal('image/gif'),
      ],
      { description: 'PDF, HTML or plain text (UTF-8), PNG, JPEG or GIF; the content must match its type' },
    ),
    content: Type.String({ minLength: 1, description: 'The file, base64-encoded' }),
    role: Type.Optional(
      Type.Union([Type.Literal('main'), Type.Literal('additional'), Type.Literal('technical')], {
        description:
          'main: the letter itself; additional: attachments; technical: machine-readable, not shown. Default: ' +
          'the first document is main, the others additional',
      }),
    ),
    language: Type.Optional(
      Type.String({ pattern: '^[a-z]{2}$', description: 'Two-letter language code; default da' }),
    ),
  },
  { additionalProperties: false },
);

export const ReservationInput = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 256 }),
    reservationUuid: Type.String({ format: 'uuid' }),
    abstract: Type.String({ minLength: 1, maxLength: 256 }),
    location: Type.String({ minLength: 1, maxLength: 256 }),
    startDateTime: Type.String({ format: 'date-time' }),
    endDateTime: Type.String({ format: 'date-time' }),
    organizerMail: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    organizerName: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  },
  { additionalProperties: false },
);

export const ACTION_CODES = [
  'AFTALE',
  'BETALING',
  'SELVBETJENING',
  'INFORMATION',
  'BEKRAEFT',
  'UNDERSKRIV',
  'TILMELDING',
  'FORBEREDELSE',
] as const;

export const ActionInput = Type.Object(
  {
    actionCode: Type.Union(
      ACTION_CODES.map((c) => Type.Literal(c)),
      { description: 'AFTALE needs a reservation; BETALING, SELVBETJENING and INFORMATION need an https url' },
    ),
    label: Type.String({ minLength: 1, maxLength: 256, description: 'The button text' }),
    document: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Index in documents of the document it belongs to; default the first' }),
    ),
    startDateTime: Type.Optional(Type.String({ format: 'date-time' })),
    endDateTime: Type.Optional(Type.String({ format: 'date-time' })),
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'https only' })),
    reservation: Type.Optional(ReservationInput),
  },
  { additionalProperties: false },
);

export const SendMessageBody = Type.Object(
  {
    messageUuid: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'Your unique id for this letter; sending the same id again returns the original receipt',
      }),
    ),
    recipient: RecipientInput,
    messageType: Type.Optional(
      Type.Union([Type.Literal('DIGITALPOST'), Type.Literal('NEMSMS')], {
        description:
          'DIGITALPOST (default): a letter with documents. NEMSMS: an SMS to the recipient’s confirmed mobile, if ' +
          'they opted in to NemSMS (else it ends rejected, event NEMSMS_REJECTED with a reason); its text is ' +
          '`notification` (required, no links), it has no documents or actions, and it never goes to the mailbox ' +
          'or to print',
      }),
    ),
    label: Type.String({ minLength: 1, maxLength: 250, description: 'The letter’s title in the mailbox' }),
    senderReference: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Your own reference' })),
    documents: Type.Optional(
      Type.Array(DocumentInput, {
        minItems: 1,
        description: 'Required for DIGITALPOST, where the first is the main document; absent for NEMSMS',
      }),
    ),
    notification: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 150,
        description: 'DIGITALPOST: text of the notification of new mail. NEMSMS: the SMS text (required, no links)',
      }),
    ),
    replyAllowed: Type.Optional(Type.Boolean({ description: 'Whether the recipient may reply; default false' })),
    replyBy: Type.Optional(Type.String({ format: 'date-time', description: 'Reply wanted before this time' })),
    doNotDeliverUntil: Type.Optional(
      Type.String({
        format: 'date',
        description: 'Deliver at 00:00 Copenhagen time on this date, not before; until then the status is scheduled',
      }),
    ),
    deleteAfter: Type.Optional(
      Type.String({
        maxLength: 40,
        description:
          'Retention: delete the letter for good at this time (a date means 00:00 Copenhagen time that day). At most ' +
          'the national maximum (KUVERT_RETENTION_MAX_YEARS, default 10 years) from now, never in the past (422 ' +
          'retention_beyond_maximum / retention_in_past). Default: the sender’s default retention, if set',
      }),
    ),
    mandatory: Type.Optional(
      Type.Boolean({
        description:
          'Must go digitally: never falls back to paper; if the recipient is not digital it FAILS with ' +
          'recipient_not_digital',
      }),
    ),
    legalNotification: Type.Optional(
      Type.Boolean({ description: 'Lovpligtig forkyndelse: delivered normally; LEGALLY_NOTIFIED when first opened' }),
    ),
    postType: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'MeMo postType, as agreed' })),
    actions: Type.Optional(Type.Array(ActionInput, { maxItems: 20, description: 'Buttons shown with the letter' })),
    escalation: Type.Optional(EscalationInput),
  },
  { additionalProperties: false },
);
export type SendMessageBody = Static<typeof SendMessageBody>;

export const MessageEvent = Type.Object({
  type: Type.String({
    description:
      'RECEIVED, VALIDATED, AVAILABLE_TO_RECIPIENT, PRINT_QUEUED, PHYSICAL_LETTER_SENT, RETURNED_TO_SENDER, READ, LEGALLY_NOTIFIED, RECALLED, FAILED. A test letter’s routing events carry data.test = true; the paper channel’s FAILED and RETURNED_TO_SENDER carry data.channel = "print" and data.reason.',
  }),
  occurredAt: Type.String({ format: 'date-time' }),
  data: Type.Record(Type.String(), Type.Unknown(), { description: 'e.g. { reason } of FAILED' }),
});

export const MessageStatus = Type.Object({
  id: Type.String({ format: 'uuid' }),
  messageUuid: Type.String({ format: 'uuid' }),
  senderReference: Type.Union([Type.String(), Type.Null()]),
  label: Type.String(),
  status: Type.Union(
    [
      Type.Literal('received'),
      Type.Literal('scheduled'),
      Type.Literal('available'),
      Type.Literal('print_queued'),
      Type.Literal('rejected'),
      Type.Literal('recalled'),
      Type.Literal('returned'),
    ],
    {
      description:
        'scheduled: waiting for doNotDeliverUntil; rejected: FAILED, see rejectedReason (a paper letter that could ' +
        'not be printed too, e.g. no_postal_address); returned: a paper letter the post brought back, see returnedReason',
    },
  ),
  messageType: Type.String({ description: 'DIGITALPOST or NEMSMS' }),
  receivedAt: Type.String({ format: 'date-time' }),
  scheduledFor: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When a letter with doNotDeliverUntil is (or was) due for delivery',
  }),
  availableAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  recalledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  rejectedReason: Type.Union([Type.String(), Type.Null()]),
  returnedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When the post brought the paper letter back (the print provider’s report)',
  }),
  returnedReason: Type.Union([Type.String(), Type.Null()], {
    description: 'unknown_addressee, moved, refused, insufficient_address, deceased or other',
  }),
  notification: Type.Union([Type.String(), Type.Null()]),
  replyAllowed: Type.Boolean(),
  replyBy: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  doNotDeliverUntil: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  deleteAfter: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When the letter will be deleted for good (retention); null: kept until its mailbox is deleted',
  }),
  mandatory: Type.Boolean(),
  legalNotification: Type.Boolean(),
  postType: Type.Union([Type.String(), Type.Null()]),
  memoVersion: Type.Union([Type.String(), Type.Null()], { description: 'The MeMo version it arrived in, if MeMo' }),
  documents: Type.Array(
    Type.Object({
      role: Type.String({ description: 'main, additional or technical' }),
      title: Type.String(),
      filename: Type.String(),
      mediaType: Type.String(),
      language: Type.Union([Type.String(), Type.Null()]),
      documentId: Type.Union([Type.String(), Type.Null()]),
      sizeBytes: Type.Integer(),
      sha256: Type.String(),
    }),
  ),
  actions: Type.Array(
    Type.Object({
      actionCode: Type.String(),
      label: Type.String(),
      document: Type.Integer({ description: 'Position in documents of the document it belongs to' }),
      startDateTime: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      endDateTime: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      url: Type.Union([Type.String(), Type.Null()]),
      reservation: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
      status: Type.Union([Type.String(), Type.Null()], { description: 'BEKRAEFT/UNDERSKRIV: pending or done' }),
    }),
  ),
  events: Type.Array(MessageEvent),
  escalation: Type.Union(
    [
      Type.Object({
        plan: Type.Union([Type.String(), Type.Null()], { description: 'The named plan; null: steps of the letter' }),
        source: Type.String({ description: 'letter, named, default (your default plan) or options (older call)' }),
        stopped: Type.Union([Type.String(), Type.Null()], { description: 'read, finished, withdrawn or null' }),
        steps: Type.Array(
          Type.Object({
            action: Type.String({ description: 'remind, print_if_unread or notify_sender' }),
            afterDays: Type.Integer(),
            channels: Type.Optional(Type.Array(Type.String())),
            dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
            state: Type.String({ description: 'pending, done, skipped (see reason), cancelled_read or withdrawn' }),
            doneAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
            reason: Type.Union([Type.String(), Type.Null()]),
          }),
        ),
      }),
      Type.Null(),
    ],
    { description: 'The escalation plan of the letter and its progress; null: none' },
  ),
  test: Type.Optional(
    Type.Literal(true, {
      description:
        'Present (true) only for a letter sent with a test key (kuv_test_…): it was validated and routed like a live ' +
        'letter and its status and events say where it would have gone (available: the digital mailbox; ' +
        'print_queued: remote print; rejected: rejectedReason), but it reached nobody — no mailbox, notification, ' +
        'print or SMS. Its events carry data.test = true; availableAt is when it was routed.',
    }),
  ),
});
export type MessageStatus = Static<typeof MessageStatus>;
