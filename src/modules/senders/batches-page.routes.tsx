import type { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errorText as catalogueText } from '../../http/errors.ts';
import { AppError } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { formatBytes, t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { csrfField, requireActor, verifyCsrf } from '../identity/index.ts';
import { getBatch, listBatchErrors, submitBatch, submitTarBatch, TAR_TYPES } from '../messages/index.ts';
import { BatchUploadView, BatchView } from './batches-page.views.tsx';
import type { SenderStaff } from './list-letters.ts';

/**
 * /afsender/masseforsendelser: upload an NDJSON file of letters or a tar(.gz) archive of MeMo files, streamed to the batches module (never held in
 * memory), then go to its progress page. The staff member is the submitter (audited as sender_staff).
 */
export async function batchUploadRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const staffOnly = requireActor('sender_staff');
  const limits = services.config.batches;

  const renderUpload = (request: FastifyRequest, reply: FastifyReply, error?: string) =>
    sendPage(request, reply.header('cache-control', 'private, no-store'), {
      title: t(request.lang, 'portal.batches.title'),
      body: <BatchUploadView lang={request.lang} csrf={csrfField(request)} maxBytes={limits.maxBytes} error={error} />,
    });

  const errorText = (request: FastifyRequest, error: AppError) => {
    const size = formatBytes(request.lang, limits.maxBytes);
    if (error.code === 'empty_batch') return t(request.lang, 'portal.batches.error.empty_batch');
    if (error.code === 'batch_too_large') return t(request.lang, 'portal.batches.error.batch_too_large', { size });
    if (error.code === 'invalid_line_ending') {
      return t(request.lang, 'portal.batches.error.invalid_line_ending', { line: String(error.extra.line ?? '?') });
    }
    return t(request.lang, 'portal.batches.error.other', {
      detail: catalogueText(error.code, request.lang) ?? error.code,
    });
  };

  web.get('/afsender/masseforsendelser', { preHandler: staffOnly, schema: { hide: true } }, (request, reply) =>
    renderUpload(request, reply),
  );

  web.post('/afsender/masseforsendelser', { preHandler: staffOnly, schema: { hide: true } }, async (request, reply) => {
    if (!request.isMultipart()) {
      verifyCsrf(request);
      return renderUpload(request, reply.status(400), t(request.lang, 'portal.batches.error.file_required'));
    }
    const actor = request.actor as SenderStaff;
    let csrf: string | undefined;
    // The size limit is the batch's own (checked by submitBatch as it streams); one byte more lets it see the excess.
    const parts = request.parts({ limits: { fileSize: limits.maxBytes + 1, files: 1, fields: 2, parts: 3 } });
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.fieldname === '_csrf' && typeof part.value === 'string') csrf = part.value;
        continue;
      }
      request.body = { _csrf: csrf };
      verifyCsrf(request);
      if (part.fieldname !== 'file' || !part.filename) {
        part.file.resume();
        continue;
      }
      try {
        const submitter = { senderId: actor.senderId, staffUserId: actor.staffId };
        // A tar archive of MeMo files (plain or .tar.gz) by its name or type; anything else is read as NDJSON.
        const isTar = /\.(tar|tar\.gz|tgz)$/i.test(part.filename) || TAR_TYPES.includes(part.mimetype);
        const result = isTar
          ? await submitTarBatch(services, limits, submitter, part.file as Readable)
          : await submitBatch(services, limits, submitter, part.file as Readable);
        return reply.redirect(`/afsender/masseforsendelser/${result.id}`, 303);
      } catch (error) {
        if (error instanceof AppError && error.status < 500) {
          return renderUpload(request, reply.status(error.status), errorText(request, error));
        }
        throw error;
      }
    }
    request.body = { _csrf: csrf };
    verifyCsrf(request);
    return renderUpload(request, reply.status(422), t(request.lang, 'portal.batches.error.file_required'));
  });
}

/** /afsender/masseforsendelser/:id: a batch's progress (any of the organisation's batches) and its refused items. */
export async function batchProgressRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const staffOnly = requireActor('sender_staff');

  web.get(
    '/afsender/masseforsendelser/:id',
    {
      preHandler: staffOnly,
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object({ efter: Type.Optional(Type.String({ pattern: '^[0-9]{1,10}$' })) }),
      },
    },
    async (request, reply) => {
      const actor = request.actor as SenderStaff;
      const batch = await getBatch(services, actor.senderId, request.params.id);
      const after = request.query.efter ? Number(request.query.efter) : null;
      const errors = await listBatchErrors(services, actor.senderId, batch.id, {
        after: after ?? undefined,
        limit: 50,
      });
      return sendPage(request, reply.header('cache-control', 'private, no-store'), {
        title: t(request.lang, 'portal.batch.title'),
        body: <BatchView lang={request.lang} batch={batch} errors={errors} after={after} />,
      });
    },
  );
}
