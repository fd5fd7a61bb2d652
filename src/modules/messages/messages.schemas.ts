import { type Static, Type } from 'typebox';

export const DocumentInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200, description: 'Shown to the recipient' }),
    filename: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^/\\\\\\u0000-\\u001f]+$' }),
    mediaType: Type.Union([Type.Literal('application/pdf'), Type.Literal('text/plain')], {
      description: 'PDF or plain text (UTF-8)',
    }),
    content: Type.String({ minLength: 1, description: 'The file, base64-encoded' }),
  },
  { additionalProperties: false },
);

export const RecipientInput = Type.Union(
  [
    Type.Object(
      { cpr: Type.String({ description: 'CPR number, DDMMYYSSSS or DDMMYY-SSSS' }) },
      { additionalProperties: false },
    ),
    Type.Object({ cvr: Type.String({ description: 'CVR number, 8 digits' }) }, { additionalProperties: false }),
  ],
  { description: 'The person (CPR) or business (CVR) the letter is for' },
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
    label: Type.String({ minLength: 1, maxLength: 250, description: 'The letter’s title in the mailbox' }),
    senderReference: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Your own reference' })),
    documents: Type.Array(DocumentInput, { minItems: 1, description: 'The first is the main document' }),
  },
  { additionalProperties: false },
);
export type SendMessageBody = Static<typeof SendMessageBody>;

export const MessageEvent = Type.Object({
  type: Type.String({
    description:
      'RECEIVED, VALIDATED, AVAILABLE_TO_RECIPIENT, PRINT_QUEUED, PHYSICAL_LETTER_SENT, READ, LEGALLY_NOTIFIED, RECALLED, FAILED',
  }),
  occurredAt: Type.String({ format: 'date-time' }),
});

export const MessageStatus = Type.Object({
  id: Type.String({ format: 'uuid' }),
  messageUuid: Type.String({ format: 'uuid' }),
  senderReference: Type.Union([Type.String(), Type.Null()]),
  label: Type.String(),
  status: Type.Union([Type.Literal('received'), Type.Literal('available'), Type.Literal('rejected')]),
  receivedAt: Type.String({ format: 'date-time' }),
  availableAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  rejectedReason: Type.Union([Type.String(), Type.Null()]),
  documents: Type.Array(
    Type.Object({
      title: Type.String(),
      filename: Type.String(),
      mediaType: Type.String(),
      sizeBytes: Type.Integer(),
      sha256: Type.String(),
    }),
  ),
  events: Type.Array(MessageEvent),
});
export type MessageStatus = Static<typeof MessageStatus>;

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable error code' }),
    detail: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), code: Type.String(), detail: Type.String() })),
    ),
  },
  { additionalProperties: true },
);
