import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { csrfField, requireActor, verifyCsrf } from '../identity/index.ts';
import { ComposeView } from './compose.views.tsx';
import type { SenderStaff } from './list-letters.ts';
import {
  type ComposeError,
  type ComposeForm,
  emptyComposeForm,
  sendLetterFromPortal,
  type UploadedPdf,
} from './send-letter.ts';

const FORM_FIELDS = ['recipient', 'label', 'senderReference', 'notification', 'messageUuid'] as const;

/**
 * Reads the compose form from a multipart body. The CSRF token (`_csrf` field before the file, or the
 * `x-csrf-token` header) is checked before a byte of the file is read; the file is cut off at the size limit.
 */
async function readComposeForm(
  request: FastifyRequest,
  maxBytes: number,
): Promise<{ form: ComposeForm; file: UploadedPdf | null; fileWasChosen: boolean }> {
  const fields: Record<string, string> = {};
  let file: UploadedPdf | null = null;
  let fileWasChosen = false;
  let csrfChecked = false;
  const checkCsrf = () => {
    if (csrfChecked) return;
    request.body = { _csrf: fields._csrf };
    verifyCsrf(request);
    csrfChecked = true;
  };
  const parts = request.parts({
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 10_000, parts: 11 },
  });
  for await (const part of parts) {
    if (part.type === 'field') {
      if (typeof part.value === 'string' && !(part.fieldname in fields)) fields[part.fieldname] = part.value;
      continue;
    }
    checkCsrf();
    const chunks: Buffer[] = [];
    for await (const chunk of part.file) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    if (part.fieldname !== 'file' || (!part.filename && bytes.length === 0)) continue;
    fileWasChosen = true;
    file = { filename: part.filename, bytes, truncated: part.file.truncated };
  }
  checkCsrf();
  const form = emptyComposeForm();
  for (const name of FORM_FIELDS) if (typeof fields[name] === 'string') form[name] = fields[name];
  return { form, file, fileWasChosen };
}

/** /afsender/nyt-brev: compose one letter with a PDF and send it through the real sending use case. */
export async function composeRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const staffOnly = requireActor('sender_staff');
  const maxBytes = services.config.maxDocumentBytes;

  const render = (
    request: FastifyRequest,
    reply: FastifyReply,
    form: ComposeForm,
    errors: ComposeError[] = [],
    fileWasChosen = false,
  ) =>
    sendPage(request, reply.header('cache-control', 'private, no-store'), {
      title: t(request.lang, 'portal.compose.title'),
      body: (
        <ComposeView
          lang={request.lang}
          csrf={csrfField(request)}
          form={form}
          errors={errors}
          maxBytes={maxBytes}
          fileWasChosen={fileWasChosen}
        />
      ),
    });

  app.get('/afsender/nyt-brev', { preHandler: staffOnly, schema: { hide: true } }, (request, reply) =>
    render(request, reply, emptyComposeForm()),
  );

  app.post('/afsender/nyt-brev', { preHandler: staffOnly, schema: { hide: true } }, async (request, reply) => {
    if (!request.isMultipart()) {
      verifyCsrf(request);
      return render(request, reply.status(400), emptyComposeForm(), [{ field: 'file', code: 'file_required' }]);
    }
    const { form, file, fileWasChosen } = await readComposeForm(request, maxBytes);
    const result = await sendLetterFromPortal(services, request.actor as SenderStaff, form, file);
    if (result.sent) return reply.redirect(`/afsender/breve/${result.id}?sendt=1`, 303);
    const status = result.errors.some((e) => e.code === 'document_too_large') ? 413 : 422;
    return render(request, reply.status(status), form, result.errors, fileWasChosen);
  });
}
