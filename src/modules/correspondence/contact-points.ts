import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AllowedMediaType } from '../../documents/validate-document.ts';
import { textProblem } from '../../http/input.ts';
import { AppError, notFound } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { characterCount, FormTextError } from '../../web/form-text.ts';
import { recordAudit } from '../audit/index.ts';
import { callerAudit, type SenderCaller } from '../identity/index.ts';
import {
  ALLOWED_MEDIA_TYPES,
  type AttachmentLimits,
  CONTACT_POINT_MAX_COUNT,
  CONTACT_POINT_MAX_TOTAL_BYTES,
} from './attachments.ts';
import type { ContactPointTable } from './correspondence.tables.ts';

/** A contact point as senders and recipients see it. */
export interface ContactPoint {
  id: string;
  senderId: string;
  name: string;
  description: string;
  maxAttachments: number;
  maxTotalBytes: number;
  allowedMediaTypes: AllowedMediaType[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What a sender sets on a contact point (all fields on create; any on update). */
export interface ContactPointInput {
  name: string;
  description?: string;
  maxAttachments: number;
  maxTotalBytes: number;
  allowedMediaTypes: string[];
  active?: boolean;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID_RE.test(value);

export function presentContactPoint(row: Selectable<ContactPointTable>): ContactPoint {
  return {
    id: row.id,
    senderId: row.sender_id,
    name: row.name,
    description: row.description,
    maxAttachments: row.max_attachments,
    maxTotalBytes: Number(row.max_total_bytes),
    allowedMediaTypes: row.allowed_media_types as AllowedMediaType[],
    active: row.active,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export const limitsOf = (cp: ContactPoint): AttachmentLimits => ({
  maxCount: cp.maxAttachments,
  maxTotalBytes: cp.maxTotalBytes,
  mediaTypes: cp.allowedMediaTypes,
});

const NAME_MAX = 120;
const DESCRIPTION_MAX = 1000;

/** Checks and normalises a contact point's fields; throws the first problem with its field (JSON pointer). */
export function checkContactPointInput(input: ContactPointInput): Required<ContactPointInput> {
  const nameProblem = textProblem(input.name, { allowBlank: true });
  if (nameProblem) throw new FormTextError('/name', nameProblem, NAME_MAX);
  const descriptionProblem = textProblem(input.description ?? '', { multiline: true, allowBlank: true });
  if (descriptionProblem) throw new FormTextError('/description', descriptionProblem, DESCRIPTION_MAX, true);
  const name = input.name.trim();
  if (!name) throw new AppError(400, 'name_required', 'Give the contact point a name.', '/name');
  if (characterCount(name) > NAME_MAX) {
    throw new AppError(400, 'name_too_long', 'The name is at most 120 characters.', '/name');
  }
  const description = (input.description ?? '').trim();
  if (characterCount(description) > DESCRIPTION_MAX) {
    throw new AppError(400, 'description_too_long', 'The description is at most 1000 characters.', '/description');
  }
  if (!Number.isInteger(input.maxAttachments) || input.maxAttachments < 0) {
    throw new AppError(
      400,
      'invalid_max_attachments',
      'The number of attachments is a whole number, 0 or more.',
      '/maxAttachments',
    );
  }
  if (input.maxAttachments > CONTACT_POINT_MAX_COUNT) {
    throw new AppError(
      400,
      'max_attachments_too_high',
      `At most ${CONTACT_POINT_MAX_COUNT} attachments.`,
      '/maxAttachments',
      {
        limit: CONTACT_POINT_MAX_COUNT,
      },
    );
  }
  if (!Number.isInteger(input.maxTotalBytes) || input.maxTotalBytes < 0) {
    throw new AppError(400, 'invalid_max_total_bytes', 'The total size is a whole number of bytes.', '/maxTotalBytes');
  }
  if (input.maxTotalBytes > CONTACT_POINT_MAX_TOTAL_BYTES) {
    throw new AppError(
      400,
      'max_total_bytes_too_high',
      `The total size is at most ${CONTACT_POINT_MAX_TOTAL_BYTES} bytes.`,
      '/maxTotalBytes',
      { limitBytes: CONTACT_POINT_MAX_TOTAL_BYTES },
    );
  }
  const types = [...new Set(input.allowedMediaTypes.map((t) => t.trim().toLowerCase()))];
  for (const [i, type] of types.entries()) {
    if (!(ALLOWED_MEDIA_TYPES as readonly string[]).includes(type)) {
      throw new AppError(
        400,
        'media_type_not_allowed',
        `"${type}" is not a type Kuvert accepts; choose from ${ALLOWED_MEDIA_TYPES.join(', ')}.`,
        `/allowedMediaTypes/${i}`,
      );
    }
  }
  if (input.maxAttachments > 0 && types.length === 0) {
    throw new AppError(
      400,
      'media_types_required',
      'Choose at least one file type, or allow no attachments.',
      '/allowedMediaTypes',
    );
  }
  return {
    name,
    description,
    maxAttachments: input.maxAttachments,
    maxTotalBytes: input.maxTotalBytes,
    allowedMediaTypes: types,
    active: input.active ?? true,
  };
}

/** The sender's contact points, active first, by name. */
export async function listContactPoints(db: Db, senderId: string): Promise<ContactPoint[]> {
  const rows = await db
    .selectFrom('contact_point')
    .selectAll()
    .where('sender_id', '=', senderId)
    .orderBy('active', 'desc')
    .orderBy('name')
    .execute();
  return rows.map(presentContactPoint);
}

/** One of the sender's contact points (another sender's is "not found"). */
export async function getContactPoint(db: Db, senderId: string, id: string): Promise<ContactPoint> {
  if (!isUuid(id)) throw notFound('contact point');
  const row = await db
    .selectFrom('contact_point')
    .selectAll()
    .where('id', '=', id.toLowerCase())
    .where('sender_id', '=', senderId)
    .executeTakeFirst();
  if (!row) throw notFound('contact point');
  return presentContactPoint(row);
}

/** Creates a contact point for the caller's organisation; audited. */
export async function createContactPoint(
  services: Services,
  caller: SenderCaller,
  input: ContactPointInput,
): Promise<ContactPoint> {
  const clean = checkContactPointInput(input);
  return services.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('contact_point')
      .values({
        sender_id: caller.senderId,
        name: clean.name,
        description: clean.description,
        max_attachments: clean.maxAttachments,
        max_total_bytes: clean.maxTotalBytes,
        allowed_media_types: clean.allowedMediaTypes,
        active: clean.active,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      ...callerAudit(caller),
      action: 'contact_point.create',
      subjectType: 'contact_point',
      subjectId: row.id,
      details: { name: clean.name, active: clean.active },
    });
    return presentContactPoint(row);
  });
}

/** Changes a contact point of the caller's organisation (fields not given stay as they are); audited. */
export async function updateContactPoint(
  services: Services,
  caller: SenderCaller,
  id: string,
  changes: Partial<ContactPointInput>,
): Promise<ContactPoint> {
  return services.db.transaction().execute(async (trx) => {
    const current = await getContactPoint(trx, caller.senderId, id);
    const clean = checkContactPointInput({
      name: changes.name ?? current.name,
      description: changes.description ?? current.description,
      maxAttachments: changes.maxAttachments ?? current.maxAttachments,
      maxTotalBytes: changes.maxTotalBytes ?? current.maxTotalBytes,
      allowedMediaTypes: changes.allowedMediaTypes ?? current.allowedMediaTypes,
      active: changes.active ?? current.active,
    });
    const row = await trx
      .updateTable('contact_point')
      .set({
        name: clean.name,
        description: clean.description,
        max_attachments: clean.maxAttachments,
        max_total_bytes: clean.maxTotalBytes,
        allowed_media_types: clean.allowedMediaTypes,
        active: clean.active,
        updated_at: new Date(),
      })
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      ...callerAudit(caller),
      action: 'contact_point.update',
      subjectType: 'contact_point',
      subjectId: current.id,
      details: { fields: Object.keys(changes).sort(), active: clean.active },
    });
    return presentContactPoint(row);
  });
}

/** Every authority with at least one active contact point, with those contact points, for recipients to choose. */
export async function listActiveContactPoints(
  db: Db,
): Promise<{ senderId: string; senderName: string; contactPoints: ContactPoint[] }[]> {
  const rows = await db
    .selectFrom('contact_point')
    .innerJoin('sender', 'sender.id', 'contact_point.sender_id')
    .selectAll('contact_point')
    .select('sender.name as sender_name')
    .where('contact_point.active', '=', true)
    .orderBy('sender.name')
    .orderBy('contact_point.name')
    .execute();
  const groups = new Map<string, { senderId: string; senderName: string; contactPoints: ContactPoint[] }>();
  for (const row of rows) {
    const group = groups.get(row.sender_id) ?? {
      senderId: row.sender_id,
      senderName: row.sender_name,
      contactPoints: [],
    };
    group.contactPoints.push(presentContactPoint(row));
    groups.set(row.sender_id, group);
  }
  return [...groups.values()];
}

/** An active contact point with its authority's name, for writing to it; null when none such. */
export async function findActiveContactPoint(
  db: Db,
  id: string,
): Promise<(ContactPoint & { senderName: string }) | null> {
  if (!isUuid(id)) return null;
  const row = await db
    .selectFrom('contact_point')
    .innerJoin('sender', 'sender.id', 'contact_point.sender_id')
    .selectAll('contact_point')
    .select('sender.name as sender_name')
    .where('contact_point.id', '=', id.toLowerCase())
    .where('contact_point.active', '=', true)
    .executeTakeFirst();
  return row ? { ...presentContactPoint(row), senderName: row.sender_name } : null;
}
