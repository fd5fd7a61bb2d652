import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contentDisposition } from '../../http/content-disposition.ts';
import { AppError } from '../../http/problem.ts';
import { Problem } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { publicEvidenceKeys } from '../audit/index.ts';
import { PROOF_FACT_NAMES } from '../events/index.ts';
import { machineSecurity, requireScopes, secureCookies } from '../identity/index.ts';
import { getLetterProof, listLetterProofs } from './letter-proofs.ts';
import { VerifyProofPage } from './verify.views.tsx';
import { type ProofVerdict, verifyProofFile } from './verify-proof.ts';

export const MAX_PROOF_BYTES = 2 * 1024 * 1024;
const errors = { 401: Problem, 403: Problem, 404: Problem, 409: Problem, 429: Problem };
const FORM_COOKIE = 'kuvert_bevis';

/** The sender API's proofs of its letters, and the public page that verifies a proof (/bevis). */
export async function proofsRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/api/v1/messages/:id/proofs',
    {
      onRequest: requireScopes(services, 'messages:read'),
      schema: {
        tags: ['messages'],
        summary: 'The signed proofs of a letter',
        description:
          'One entry per legal fact that has happened to the letter: `accepted` (VALIDATED), `available` ' +
          '(AVAILABLE_TO_RECIPIENT), `posted` (PHYSICAL_LETTER_SENT, with the print batch), `opened` (first READ), ' +
          '`served` (LEGALLY_NOTIFIED) and `recalled` (RECALLED). The same links are on those events in the event ' +
          'feed and webhooks (`proofUrl`). Another sender’s letter is 404. A letter sent with a test key has none.',
        security: machineSecurity('messages:read'),
        params: Type.Object({ id: Type.String() }),
        response: {
          200: Type.Object({
            proofs: Type.Array(
              Type.Object({
                fact: Type.String({ enum: PROOF_FACT_NAMES }),
                eventType: Type.String(),
                occurredAt: Type.String({ format: 'date-time' }),
                url: Type.String(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({
      proofs: await listLetterProofs(
        services,
        { kind: 'sender', senderId: request.apiCaller!.senderId },
        { senderId: request.apiCaller!.senderId, messageId: request.params.id },
      ),
    }),
  );

  api.get(
    '/api/v1/messages/:id/proofs/:fact',
    {
      onRequest: requireScopes(services, 'messages:read'),
      schema: {
        tags: ['messages'],
        summary: 'Download the signed proof of a fact (PDF/A)',
        description:
          'A PDF/A-2b document stating the fact in Danish and English, signed by Kuvert’s evidence key: a compact ' +
          'JWS (EdDSA, `typ` kuvert-proof+jwt) over the fact and the PDF’s SHA-256 is embedded in the file itself. ' +
          'Made on the first request and given out unchanged afterwards (`ETag` is its SHA-256). Verify it with ' +
          '`kuvert proof verify FILE`, on /bevis, or yourself against /.well-known/kuvert-evidence-keys.json (see ' +
          'docs/ARCHITECTURE.md, "Proofs"). A fact that has not happened: 409 `proof_fact_not_happened`.',
        security: machineSecurity('messages:read'),
        params: Type.Object({ id: Type.String(), fact: Type.String({ maxLength: 40 }) }),
        response: { 200: Type.Unknown({ description: 'application/pdf' }), ...errors },
      },
    },
    async (request, reply) => {
      const senderId = request.apiCaller!.senderId;
      const proof = await getLetterProof(
        services,
        { kind: 'sender', senderId },
        { senderId, messageId: request.params.id },
        request.params.fact,
      );
      return sendProof(reply, proof);
    },
  );

  // --- The public verification page: no login; a double-submit cookie stands in for the session's CSRF token. ---

  // The visitor's token: kept while they have one (two tabs stay valid), else a new one.
  const formToken = (request: FastifyRequest, reply: FastifyReply): string => {
    const held = request.cookies[FORM_COOKIE];
    const token = held && /^[A-Za-z0-9_-]{32}$/.test(held) ? held : randomBytes(24).toString('base64url');
    reply.setCookie(FORM_COOKIE, token, {
      path: '/bevis',
      httpOnly: true,
      sameSite: 'strict',
      secure: secureCookies(services.config),
    });
    return token;
  };

  const render = (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { verdict?: ProofVerdict; fileError?: string } = {},
  ) =>
    sendPage(request, reply.header('cache-control', 'private, no-store'), {
      title: t(request.lang, 'proofs.verify.title'),
      body: <VerifyProofPage lang={request.lang} csrfToken={formToken(request, reply)} {...extra} />,
    });

  app.get('/bevis', { schema: { hide: true } }, async (request, reply) => render(request, reply));

  app.post('/bevis', { schema: { hide: true } }, async (request, reply) => {
    const upload = await readProofUpload(request);
    if (upload.kind === 'error') return render(request, reply.status(422), { fileError: t(request.lang, upload.key) });
    const verdict = await verifyProofFile(upload.bytes, await publicEvidenceKeys(services.db));
    return render(request, reply.status(verdict.valid ? 200 : 422), { verdict });
  });
}

/** A proof as a download (the sender API; the letter page sends it the same way). */
export function sendProof(reply: FastifyReply, proof: { filename: string; sha256: string; pdf: Buffer }) {
  return reply
    .type('application/pdf')
    .header('content-disposition', contentDisposition('attachment', proof.filename))
    .header('content-length', proof.pdf.length)
    .header('etag', `"${proof.sha256}"`)
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .send(proof.pdf);
}

type ProofUpload =
  | { kind: 'file'; bytes: Buffer }
  | { kind: 'error'; key: 'proofs.verify.noFile' | 'proofs.verify.tooLarge' };

/** The uploaded proof: the form's token is checked against its cookie before the file is read; nothing is kept. */
async function readProofUpload(request: FastifyRequest): Promise<ProofUpload> {
  const cookie = request.cookies[FORM_COOKIE];
  const fields: Record<string, string> = {};
  let checked = false;
  const checkToken = () => {
    if (checked) return;
    const presented = fields._csrf ?? '';
    if (!cookie || !sameToken(presented, cookie)) {
      throw new AppError(
        403,
        'csrf_failed',
        'The form has expired or was not sent from Kuvert. Reload the page and try again.',
      );
    }
    checked = true;
  };
  if (!request.isMultipart()) {
    checkToken();
    return { kind: 'error', key: 'proofs.verify.noFile' };
  }
  let bytes: Buffer | null = null;
  let truncated = false;
  const parts = request.parts({ limits: { fileSize: MAX_PROOF_BYTES, files: 1, fields: 3, parts: 4 } });
  for await (const part of parts) {
    if (part.type === 'field') {
      if (typeof part.value === 'string' && !(part.fieldname in fields)) fields[part.fieldname] = part.value;
      continue;
    }
    checkToken();
    const chunks: Buffer[] = [];
    for await (const chunk of part.file) chunks.push(chunk as Buffer);
    if (part.fieldname === 'file') {
      bytes = Buffer.concat(chunks);
      truncated = part.file.truncated;
    }
  }
  checkToken();
  if (truncated) return { kind: 'error', key: 'proofs.verify.tooLarge' };
  if (!bytes || bytes.length === 0) return { kind: 'error', key: 'proofs.verify.noFile' };
  return { kind: 'file', bytes };
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
