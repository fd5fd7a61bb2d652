/**
 * The declared dependency order of Kuvert's modules (docs/ARCHITECTURE.md, "Dependency order"), enforced by
 * dependency-cruiser in `npm run check` against the known-violations baseline `.dependency-cruiser-known-violations.json`.
 *
 * LAYERS lists the layers lowest first; each holds one or more modules, each module a set of path patterns relative to
 * the repository root. A file may import files of its own module and of modules in LOWER layers only: not a module of
 * a higher layer, and not another module of its own layer (peers stay independent, so the module graph is acyclic
 * whenever this rule holds). Type-only imports count like any other, with one exemption: the wiring contracts that the
 * composition root hands to every module (`Services`, `Config`, the merged Kysely `Database`) may be imported as types
 * from anywhere (see WIRING).
 *
 * test/architecture.test.ts checks these rules against test/fixtures/architecture (a back-import and a cycle fail)
 * and the real tree against the baseline.
 */

/** The composition root's wiring types: type-only imports of these are allowed from every layer. */
const WIRING = ['^src/services\\.ts$', '^src/config\\.ts$', '^src/db/schema\\.ts$', '^src/strings\\.ts$'];

/** A module's manifest, `src/modules/<module>/<module>.module.ts`: its seams (plugins, jobs, seed, …) for the root. */
const MANIFEST = '^src/modules/[^/]+/[^/]+\\.module\\.ts$';

/**
 * The composition root: wires the modules together, may import everything, is imported by nothing but itself. The
 * module list (src/modules/index.ts), the manifest type (src/modules/module.ts) and every module's manifest are part
 * of it: a manifest names its module's seed, which sits above every module.
 */
const ROOT = [
  '^src/(app|main|runtime|services|config|strings|worker|seed)\\.ts$',
  '^src/db/schema\\.ts$',
  '^src/modules/(index|module)\\.ts$',
  MANIFEST,
];

/** The wiring types that merge the modules' type seams (tables, config sections) from the modules' own files. */
const TYPE_SEAM_MERGES = ['^src/db/schema\\.ts$', '^src/config\\.ts$'];

/** Demo data: src/seed/ and every module's `<module>.seed.ts` (the orchestrator src/seed.ts is root). */
const SEED = ['^src/seed/', '^src/modules/[^/]+/[^/]+\\.seed\\.tsx?$'];

/**
 * A module's UI strings (`<module>.i18n.ts`) are data of the platform's translator, which is compiled with all of
 * them (src/web/i18n.ts merges them, and `MessageKey` is the union of their keys): they sit in the platform layer,
 * may be imported from anywhere, and import nothing themselves (rule `strings-are-data`).
 */
const STRINGS = ['^src/modules/[^/]+/[^/]+\\.i18n\\.ts$'];

const moduleFolder = (name) => `^src/modules/${name}/`;

/**
 * A module's public files: its index.ts, and its error-code catalogue `<module>.errors.ts` (the codes are part of the
 * API; the composition root registers every catalogue's texts, and tests read them: src/http/errors.ts).
 */
const PUBLIC_FILES = ['^src/modules/[^/]+/index\\.ts$', '^src/modules/([^/]+)/\\1\\.errors\\.ts$', ...STRINGS];
const PUBLIC_COMMENT =
  'Import another module only through its public src/modules/<module>/index.ts (or its error catalogue <module>.errors.ts, or its strings <module>.i18n.ts).';

/**
 * Lowest first. `events` (the message-event writer, the routable message type, the feed and webhook dispatch) sits
 * below the channels, so that print, notify and the mailbox record events without importing the sending module above
 * them.
 */
const LAYERS = [
  {
    layer: 'platform',
    modules: {
      // kernel/: the CPR/CVR identifiers and the Actor type; documents/: the content-addressed store and the checks of
      // what is stored (content, file names, the malware scanner), with the orphan sweeper.
      platform: ['^src/(http|db|jobs|web|kernel|documents)/', '^src/(logger|config-support)\\.ts$', ...STRINGS],
    },
  },
  { layer: 'audit', modules: { audit: [moduleFolder('audit')] } },
  { layer: 'identity', modules: { identity: [moduleFolder('identity')] } },
  { layer: 'registry', modules: { registry: [moduleFolder('registry')] } },
  { layer: 'access', modules: { access: [moduleFolder('access')] } },
  { layer: 'events', modules: { events: [moduleFolder('events')] } },
  { layer: 'print', modules: { print: [moduleFolder('print')] } },
  { layer: 'notify', modules: { notify: [moduleFolder('notify')] } },
  { layer: 'messages', modules: { messages: [moduleFolder('messages')] } },
  { layer: 'proofs', modules: { proofs: [moduleFolder('proofs')] } },
  { layer: 'mailbox', modules: { mailbox: [moduleFolder('mailbox')] } },
  { layer: 'senders', modules: { senders: [moduleFolder('senders')] } },
  { layer: 'correspondence', modules: { correspondence: [moduleFolder('correspondence')] } },
  {
    layer: 'reporting',
    modules: { statistics: [moduleFolder('statistics')], status: [moduleFolder('status')] },
  },
  { layer: 'seed', modules: { seed: SEED } },
  { layer: 'root', modules: { root: ROOT } },
];

/** Files that a module's folder pattern matches but that belong to another layer (root and seed files). */
const notInModule = (name) =>
  name === 'root' ? [] : name === 'seed' ? ROOT : name === 'platform' ? [...ROOT, ...SEED] : [...ROOT, ...SEED, ...STRINGS];

/**
 * One comment for every layer-order rule: dependency-cruiser explains a violation by the first rule of its name.
 */
const LAYER_ORDER_COMMENT =
  `Layers, lowest first: ${LAYERS.map(({ modules }) => Object.keys(modules).join(' | ')).join(' < ')}. ` +
  'A module imports its own files and lower layers only, never a higher layer or another module of its layer; ' +
  'the composition root\'s Services, Config and Database are imported "import type" only. ' +
  'See "Dependency order" in docs/ARCHITECTURE.md.';

const layerOrderRules = LAYERS.flatMap(({ modules }, rank) =>
  Object.entries(modules).flatMap(([name, paths]) => {
    const forbidden = LAYERS.slice(rank).flatMap((higher) =>
      Object.entries(higher.modules).flatMap(([other, otherPaths]) => (other === name ? [] : otherPaths)),
    );
    if (forbidden.length === 0) return [];
    return {
      name: 'layer-order',
      severity: 'error',
      comment: LAYER_ORDER_COMMENT,
      from: { path: paths, pathNot: notInModule(name) },
      to: { path: forbidden, pathNot: [...WIRING, ...STRINGS] },
    };
  }),
);

module.exports = {
  forbidden: [
    ...layerOrderRules,
    {
      name: 'strings-are-data',
      severity: 'error',
      comment: "A module's UI strings (<module>.i18n.ts) are platform data: they import nothing.",
      from: { path: STRINGS },
      to: {},
    },
    {
      // The wiring types: "import type" is allowed from every layer, a value import is a back-import.
      name: 'layer-order',
      severity: 'error',
      comment: LAYER_ORDER_COMMENT,
      from: { path: '^src/', pathNot: ROOT },
      to: { path: WIRING, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'This import closes a cycle. Cycles through the wiring types (type-only by the rule above) are not counted.',
      from: { path: '^src/', pathNot: WIRING },
      // One pattern: dependency-cruiser 18.9 does not join an array given to viaOnly.pathNot.
      to: { circular: true, viaOnly: { pathNot: WIRING.join('|') } },
    },
    {
      name: 'no-foreign-repository',
      severity: 'error',
      comment: "Another module's SQL (*.repository.ts) and table types (*.tables.ts) are its own: call its index.ts.",
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/([^/]+)/.*\\.(repository|tables)\\.ts$',
        pathNot: '^src/modules/$1/',
      },
    },
    {
      name: 'public-index-only',
      severity: 'error',
      comment: PUBLIC_COMMENT,
      from: { path: '^src/', pathNot: ['^src/modules/([^/]+)/', ...ROOT] },
      to: { path: '^src/modules/[^/]+/', pathNot: PUBLIC_FILES },
    },
    {
      // The composition root reaches a module through its index.ts or its manifest (the module's seams).
      name: 'public-index-only',
      severity: 'error',
      comment:
        'Import another module only through its public src/modules/<module>/index.ts (or, from the root, its manifest).',
      from: { path: ROOT, pathNot: [MANIFEST, ...TYPE_SEAM_MERGES] },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/[^/]+/index\\.ts$', MANIFEST, ...STRINGS] },
    },
    ...[
      // The wiring types merge the modules' type seams from their own files, not through the manifests, so that
      // Database and Config (named by every module) do not depend on the modules' code.
      ['^src/db/schema\\.ts$', '\\.tables\\.ts$'],
      ['^src/config\\.ts$', '\\.config\\.ts$'],
    ].map(([from, seam]) => ({
      name: 'public-index-only',
      severity: 'error',
      comment: "src/db/schema.ts imports a module's *.tables.ts, src/config.ts its *.config.ts, or its index.ts.",
      from: { path: from },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/[^/]+/index\\.ts$', `^src/modules/[^/]+/.*${seam}`] },
    })),
    {
      name: 'public-index-only',
      severity: 'error',
      comment: PUBLIC_COMMENT,
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', ...PUBLIC_FILES] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.tsx?$', '^test/', '^bench/', '^scripts/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
    // Unchanged files are not parsed again (node_modules/.cache/dependency-cruiser): about 1.5 s instead of 5 s.
    cache: { folder: 'node_modules/.cache/dependency-cruiser', strategy: 'content' },
    // A fixed violation must leave the baseline too (npm run architecture:baseline), so that the baseline is always
    // exactly today's debt and a fixed back-import cannot come back unnoticed.
    baseline: { staleEntriesSeverity: 'error' },
  },
};
