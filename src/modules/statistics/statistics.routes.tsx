import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contentDisposition } from '../../http/content-disposition.ts';
import { AppError, notFound } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import { type Lang, t } from '../../web/i18n.ts';
import { sendPage } from '../../web/layout.tsx';
import { csrfField, requireActor } from '../identity/index.ts';
import { type Figure, figureToCsv, figureToJson } from './figure.ts';
import { liveStatisticsFigures } from './live-statistics.ts';
import { MAX_SCORECARD_LINES, reportScorecard } from './report-scorecard.ts';
import { loadMunicipalityScorecard, loadScorecardFigures, serviceAreas } from './scorecard-figures.ts';
import { authenticateScorecardToken } from './scorecard-tokens.ts';
import { readScorecardUpload } from './scorecard-upload.ts';
import { canUploadScorecard, type ScorecardReporter } from './statistics.policy.ts';
import { latestSnapshots, listMunicipalities } from './statistics.repository.ts';
import { MunicipalityScorecardPage, ScorecardPage, StatisticsPage } from './statistics.views.tsx';
import { loadStatisticsFigures, statisticsFigureIds } from './statistics-figures.ts';
import { UploadPage } from './upload.views.tsx';

const hide = { hide: true };
const Format = Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')]));
const LangQuery = Type.Optional(Type.Union([Type.Literal('da'), Type.Literal('en')]));
const FigureQuery = Type.Object({ format: Format, lang: LangQuery });
const MunicipalityCode = Type.String({ pattern: '^[0-9]{4}$' });

const figureDescription =
  'Answers JSON by default (`{id, title, asOf, demo, columns: [{key, label, kind}], rows}`) or CSV with ' +
  '`?format=csv` (RFC 4180, the column keys as header). `lang=da|en` chooses the language of titles and labels; ' +
  'keys and codes never change. `demo: true` marks demo data. Public: no authentication.';

/** Sends a figure as CSV or JSON, open to any origin (open data). */
function sendFigure(reply: FastifyReply, figure: Figure, format: 'json' | 'csv' | undefined) {
  reply.header('access-control-allow-origin', '*');
  reply.header('cross-origin-resource-policy', 'cross-origin');
  reply.header('cache-control', 'public, max-age=300');
  if (format === 'csv') {
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', contentDisposition('attachment', `${figure.id.replaceAll('/', '-')}.csv`))
      .send(figureToCsv(figure));
  }
  return reply.type('application/json; charset=utf-8').send(figureToJson(figure));
}

/** A small cache of rendered statistics pages, keyed by the snapshots they show (snapshots never change). */
class PageCache {
  readonly #entries = new Map<string, string>();
  get(key: string) {
    return this.#entries.get(key);
  }
  set(key: string, value: string) {
    if (this.#entries.size >= 8) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(key, value);
  }
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/** Public statistics (/statistik), the self-service scorecard (/statistik/selvbetjening) and /api/v1/stats. */
export async function statisticsRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = services.db;
  const pages = new PageCache();
  const langOf = (request: FastifyRequest, asked?: Lang) => asked ?? request.lang;

  // --- Pages ---

  web.get('/statistik', { schema: hide }, async (request, reply) => {
    const lang = request.lang;
    const { latest, latestDemo } = await request.reads.lagTolerant((db) => latestSnapshots(db));
    const key = `${latest?.id ?? 0}:${latestDemo?.id ?? 0}:${lang}`;
    let body = pages.get(key);
    if (body === undefined) {
      const result = latest ? await request.reads.lagTolerant((db) => loadStatisticsFigures(db, lang)) : null;
      body = await (
        <StatisticsPage
          lang={lang}
          figures={result?.figures ?? null}
          asOf={result?.snapshot.asOf ?? null}
          takenAt={result?.snapshot.takenAt ?? null}
          live={false}
        />
      );
      pages.set(key, body);
    }
    return sendPage(request, reply, { title: t(lang, 'stats.title'), body });
  });

  web.get('/statistik/i-dag', { schema: hide }, async (request, reply) => {
    const lang = request.lang;
    const live = await request.reads.lagTolerant((db) => liveStatisticsFigures(db, lang));
    return sendPage(request, reply.header('cache-control', 'no-store'), {
      title: t(lang, 'stats.todayHeading'),
      body: <StatisticsPage lang={lang} figures={live.figures} asOf={live.asOf} takenAt={live.countedAt} live={true} />,
    });
  });

  web.get('/statistik/selvbetjening', { schema: hide }, async (request, reply) => {
    const lang = request.lang;
    const [result, municipalities] = await request.reads.lagTolerant((db) =>
      Promise.all([loadScorecardFigures(db, lang), listMunicipalities(db)]),
    );
    return sendPage(request, reply, {
      title: t(lang, 'scorecard.title'),
      body: (
        <ScorecardPage
          lang={lang}
          result={result}
          municipalities={municipalities}
          canUpload={canUploadScorecard(request.actor)}
        />
      ),
    });
  });

  // The municipality picker is a GET form; it lands on the municipality's own address.
  web.get(
    '/statistik/selvbetjening/kommune',
    { schema: { ...hide, querystring: Type.Object({ kode: Type.Optional(Type.String({ maxLength: 8 })) }) } },
    async (request, reply) => {
      const code = request.query.kode ?? '';
      if (!/^[0-9]{4}$/.test(code)) throw notFound('municipality');
      return reply.redirect(`/statistik/selvbetjening/kommuner/${code}`, 303);
    },
  );

  web.get(
    '/statistik/selvbetjening/kommuner/:code',
    { schema: { ...hide, params: Type.Object({ code: Type.String({ maxLength: 8 }) }) } },
    async (request, reply) => {
      const lang = request.lang;
      const code = request.params.code;
      const result = /^[0-9]{4}$/.test(code)
        ? await request.reads.lagTolerant((db) => loadMunicipalityScorecard(db, lang, code))
        : null;
      if (!result) throw notFound('municipality');
      return sendPage(request, reply, {
        title: t(lang, 'scorecard.municipality.title', { name: result.name }),
        body: <MunicipalityScorecardPage lang={lang} name={result.name} figures={result.figures} />,
      });
    },
  );

  const operatorOnly = requireActor('operator');
  const renderUpload = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Partial<Parameters<typeof UploadPage>[0]> = {},
  ) =>
    sendPage(request, reply.header('cache-control', 'private, no-store'), {
      title: t(request.lang, 'upload.title'),
      body: (
        <UploadPage
          lang={request.lang}
          csrf={csrfField(request)}
          areas={await serviceAreas(db, request.lang)}
          {...extra}
        />
      ),
    });

  web.get('/statistik/selvbetjening/indberet', { preHandler: operatorOnly, schema: hide }, async (request, reply) => {
    if (!canUploadScorecard(request.actor)) throw new AppError(403, 'forbidden', 'Only operators report here.');
    return renderUpload(request, reply);
  });

  web.post('/statistik/selvbetjening/indberet', { preHandler: operatorOnly, schema: hide }, async (request, reply) => {
    const actor = request.actor;
    if (!actor || !canUploadScorecard(actor)) throw new AppError(403, 'forbidden', 'Only operators report here.');
    const upload = await readScorecardUpload(request, db);
    if (upload.kind === 'file_error') {
      return renderUpload(request, reply.status(422), { fileError: upload.message(request.lang) });
    }
    if (upload.errors.length > 0) {
      return renderUpload(request, reply.status(422), { lineErrors: upload.errors });
    }
    const done = await reportScorecard(db, {
      lines: upload.lines,
      audit: { actorKind: 'operator', actorId: actor.kind === 'operator' ? actor.staffId : actor.subject },
      reportedBy: `operator:${actor.kind === 'operator' ? actor.staffId : actor.subject}`,
    });
    return renderUpload(request, reply, { done });
  });

  // --- Open data: /api/v1/stats ---

  web.get(
    '/api/v1/stats',
    {
      schema: {
        tags: ['statistics'],
        summary: 'The published figures',
        description: 'Every figure that can be downloaded from /api/v1/stats/{figure}. Public: no authentication.',
        response: {
          200: Type.Object({
            figures: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), href: Type.String() })),
          }),
        },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const [stats, scorecard] = await request.reads.lagTolerant((db) =>
        Promise.all([loadStatisticsFigures(db, lang), loadScorecardFigures(db, lang)]),
      );
      reply.header('access-control-allow-origin', '*');
      return {
        figures: [...(stats?.figures ?? []), ...(scorecard?.figures ?? [])].map((figure) => ({
          id: figure.id,
          title: figure.title,
          href: `/api/v1/stats/${figure.id}`,
        })),
      };
    },
  );

  web.get(
    '/api/v1/stats/:figure',
    {
      schema: {
        tags: ['statistics'],
        summary: 'One figure as JSON or CSV',
        description:
          `\`figure\` is one of ${[...statisticsFigureIds, 'scorecard-areas', 'scorecard-top', 'scorecard-trend', 'scorecard-municipalities'].map((id) => `\`${id}\``).join(', ')}. ` +
          'The statistics figures come from the newest nightly snapshot (404 `no_statistics` before the first); ' +
          `the scorecard figures from the reported self-service counts. ${figureDescription}`,
        params: Type.Object({ figure: Type.String({ maxLength: 64 }) }),
        querystring: FigureQuery,
      },
    },
    async (request, reply) => {
      const lang = langOf(request, request.query.lang);
      const id = request.params.figure;
      const source = await request.reads.lagTolerant(
        (db): Promise<{ figures: Figure[] } | null> =>
          id.startsWith('scorecard-') ? loadScorecardFigures(db, lang) : loadStatisticsFigures(db, lang),
      );
      const figure = source?.figures.find((candidate) => candidate.id === id);
      if (!figure) {
        if (source === null && (statisticsFigureIds as readonly string[]).includes(id)) {
          throw new AppError(404, 'no_statistics', 'No statistics have been counted yet.');
        }
        throw new AppError(404, 'unknown_figure', `There is no figure called ${id}.`, 'figure');
      }
      return sendFigure(reply, figure, request.query.format);
    },
  );

  web.get(
    '/api/v1/stats/scorecard-municipalities/:code',
    {
      schema: {
        tags: ['statistics'],
        summary: "One municipality's self-service scorecard",
        description: `The municipality's digital share per service area against the whole country. ${figureDescription}`,
        params: Type.Object({ code: MunicipalityCode }),
        querystring: FigureQuery,
      },
    },
    async (request, reply) => {
      const lang = langOf(request, request.query.lang);
      const result = await request.reads.lagTolerant((db) => loadMunicipalityScorecard(db, lang, request.params.code));
      if (!result) throw new AppError(404, 'unknown_municipality', 'There is no such municipality.', 'code');
      const figure = result.figures[0];
      if (!figure) throw new AppError(404, 'no_reports', 'No self-service counts have been reported yet.');
      return sendFigure(reply, figure, request.query.format);
    },
  );

  web.get(
    '/api/v1/stats/scorecard-municipalities/:code/trend',
    {
      schema: {
        tags: ['statistics'],
        summary: "One municipality's self-service trend",
        description: `The municipality's digital share year by year against the whole country. ${figureDescription}`,
        params: Type.Object({ code: MunicipalityCode }),
        querystring: FigureQuery,
      },
    },
    async (request, reply) => {
      const lang = langOf(request, request.query.lang);
      const result = await request.reads.lagTolerant((db) => loadMunicipalityScorecard(db, lang, request.params.code));
      if (!result) throw new AppError(404, 'unknown_municipality', 'There is no such municipality.', 'code');
      const figure = result.figures[1];
      if (!figure) throw new AppError(404, 'no_reports', 'No self-service counts have been reported yet.');
      return sendFigure(reply, figure, request.query.format);
    },
  );

  // --- Reporting self-service counts ---

  const ReportLine = Type.Object(
    {
      municipalityCode: Type.String({ description: 'Four-digit municipality code, e.g. "0101"', maxLength: 8 }),
      serviceArea: Type.String({
        description:
          'change_of_address, daycare_signup, school_enrolment, health_card or eu_health_card (see the scorecard page)',
        maxLength: 64,
      }),
      month: Type.String({ description: 'YYYY-MM, not in the future', maxLength: 16 }),
      digital: Type.Integer({ minimum: 0, description: 'Applications received through self-service' }),
      total: Type.Integer({ minimum: 0, description: 'All applications, digital or not (≥ digital)' }),
    },
    { additionalProperties: false },
  );
  const Problem = Type.Object(
    {
      type: Type.String(),
      title: Type.String(),
      status: Type.Integer(),
      code: Type.String(),
      detail: Type.Optional(Type.String()),
      errors: Type.Optional(
        Type.Array(Type.Object({ field: Type.String(), code: Type.String(), detail: Type.String() })),
      ),
    },
    { additionalProperties: true },
  );

  web.post(
    '/api/v1/stats/scorecard/reports',
    {
      schema: {
        tags: ['statistics'],
        security: [{ scorecardToken: [] }],
        summary: 'Report self-service counts (idempotent upsert)',
        description:
          'For reporting organisations, with their own bearer token (`Authorization: Bearer ksr_…`). Each line is ' +
          'keyed by municipality × service area × month: a new key is inserted, a changed count replaces the old ' +
          'one, an identical line changes nothing — so sending the same report again is safe. All lines or none: ' +
          `any invalid line refuses the report (422 \`invalid_report\`, every error in \`errors[]\` with the field ` +
          `\`/reports/{index}/{field}\`). A municipality's own token reports for that municipality only ` +
          `(\`not_your_municipality\`). At most ${MAX_SCORECARD_LINES} lines.`,
        body: Type.Object(
          { reports: Type.Array(ReportLine, { maxItems: MAX_SCORECARD_LINES }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ inserted: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() }),
          400: Problem,
          401: Problem,
          422: Problem,
        },
      },
      bodyLimit: 8 * 1024 * 1024,
      // onRequest: the token is checked before the body is read, so nobody without one can make Kuvert parse 8 MB.
      onRequest: async (request) => {
        const token = bearerToken(request);
        const reporter = token ? await authenticateScorecardToken(db, token) : null;
        if (!reporter) {
          throw new AppError(
            401,
            'invalid_token',
            'A valid reporting token is required (Authorization: Bearer ksr_…).',
          );
        }
        (request as FastifyRequest & { scorecardReporter?: ScorecardReporter }).scorecardReporter = reporter;
      },
    },
    async (request) => {
      const reporter = (request as FastifyRequest & { scorecardReporter?: ScorecardReporter })
        .scorecardReporter as ScorecardReporter;
      return reportScorecard(db, {
        lines: request.body.reports,
        reporter,
        audit: { actorKind: 'system', actorId: `scorecard_reporter:${reporter.id}` },
        reportedBy: `reporter:${reporter.id}`,
      });
    },
  );
}
