import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../../services.ts';
import { t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { csrfField, requireActor, verifyCsrf } from '../identity/index.ts';
import { getMessageStatus } from '../messages/index.ts';
import { LettersView, LetterView, letterListUrl } from './letters.views.tsx';
import { listLetters, readPostedFilter, type SenderStaff } from './list-letters.ts';
import { findTechnicalSender } from './senders.repository.ts';

const text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));

/** /afsender (the organisation's letters, filtered and paged) and /afsender/breve/:id (one letter's history). */
export async function letterRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const staffOnly = requireActor('sender_staff');

  web.get(
    '/afsender',
    {
      preHandler: staffOnly,
      schema: {
        hide: true,
        querystring: Type.Object({
          status: text(20),
          from: text(20),
          to: text(20),
          q: text(250),
          ref: text(100),
          before: text(64),
          fejl: text(10),
        }),
      },
    },
    async (request, reply) => {
      const page = await listLetters(services, request.actor as SenderStaff, request.query);
      // A CPR number typed into a search box must not stay in the address (history, links on the page): go to the
      // same filter without it, and say why there.
      if (page.errors.some((e) => e.code === 'cpr_not_allowed') && request.query.fejl !== 'cpr') {
        const url = letterListUrl(page.filter);
        return reply.redirect(`${url}${url.includes('?') ? '&' : '?'}fejl=cpr`, 303);
      }
      return sendPage(request, reply.header('cache-control', 'private, no-store'), {
        title: t(request.lang, 'portal.letters.title'),
        body: <LettersView lang={request.lang} page={page} csrf={csrfField(request)} />,
      });
    },
  );

  // The filter form posts what was typed: a CPR number in a search box is dropped here and never lands in an address
  // (browser history, access logs, links on the page); the rest goes to the list's address, which pages through it.
  web.post(
    '/afsender',
    {
      preHandler: staffOnly,
      config: { formTextFields: ['from', 'to', 'q', 'ref'] },
      schema: {
        hide: true,
        body: Type.Object({
          _csrf: text(200),
          status: text(20),
          from: text(10_000),
          to: text(10_000),
          q: text(10_000),
          ref: text(10_000),
        }),
      },
    },
    async (request, reply) => {
      verifyCsrf(request);
      const posted = readPostedFilter(request.body);
      if (posted.errors.length > 0) {
        // Shown again as typed, with the errors; the list is the one without the refused fields.
        const refused = new Set(posted.errors.map((e) => e.field));
        const usable = { ...posted.filter };
        for (const field of refused) usable[field] = '';
        const page = await listLetters(services, request.actor as SenderStaff, usable);
        page.filter = posted.filter;
        page.errors = [...posted.errors, ...page.errors.filter((e) => !refused.has(e.field))];
        return sendPage(request, reply.status(400).header('cache-control', 'private, no-store'), {
          title: t(request.lang, 'portal.letters.title'),
          body: <LettersView lang={request.lang} page={page} csrf={csrfField(request)} />,
        });
      }
      const url = letterListUrl(posted.filter);
      return reply.redirect(posted.hadCpr ? `${url}${url.includes('?') ? '&' : '?'}fejl=cpr` : url, 303);
    },
  );

  web.get(
    '/afsender/breve/:id',
    {
      preHandler: staffOnly,
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object({ sendt: text(1) }),
      },
    },
    async (request, reply) => {
      const actor = request.actor as SenderStaff;
      const letter = await getMessageStatus(services, actor.senderId, request.params.id);
      // A test letter is shown where test letters are: in the test mailbox.
      if (letter.test) return reply.redirect(`/afsender/testpostkasse/${letter.id}`, 303);
      return sendPage(request, reply.header('cache-control', 'private, no-store'), {
        title: letter.label,
        body: (
          <LetterView
            lang={request.lang}
            letter={letter}
            justSent={request.query.sendt === '1'}
            technicalSender={await findTechnicalSender(services.db, actor.senderId, letter.id)}
          />
        ),
      });
    },
  );
}
