/**
 * Prints how far the code is from the declared dependency order (docs/ARCHITECTURE.md, "Dependency order"): cycles
 * between the top-level areas, mutually importing pairs, file-level cycles, and the baseline per rule.
 *   npx tsx scripts/architecture-figures.ts
 * By folder, an area is a folder under src/modules, another folder of src/, or a file directly in src/; by layer, the
 * files are grouped as .dependency-cruiser.cjs places them. Every figure is given for all imports and for value imports only (without "import type").
 */
import { readFileSync } from 'node:fs';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

type Graph = Map<string, Set<string>>;

// Rooms as ../shared/tools/module-graph.py counts them: each folder under src/modules, each other folder of src/, and
// each file directly in src/ (src/modules/index.ts and module.ts are the room "modules").
const areaOf = (file: string) =>
  /^src\/modules\/[^/]+\.ts$/.test(file)
    ? 'modules'
    : (/^src\/modules\/([^/]+)\//.exec(file)?.[1] ?? /^src\/([^/]+)\//.exec(file)?.[1] ?? file.replace(/^src\//, ''));

/**
 * The layer view: an area per module, with the files the dependency order places elsewhere moved out of their folder
 * — the composition root (src/*.ts, the worker, schema.ts, seed.ts, the module list and manifests), the demo data
 * (src/seed/ and every `*.seed.ts`) and the platform (http, db, jobs, web, kernel, documents, logger, config-support
 * and every module's `*.i18n.ts` strings) — as .dependency-cruiser.cjs does.
 */
const layerAreaOf = (file: string) => {
  if (
    /^src\/(app|main|runtime|services|config|strings|worker|seed)\.ts$/.test(file) ||
    /^src\/db\/schema\.ts$/.test(file) ||
    /^src\/modules\/[^/]+\.ts$/.test(file) ||
    /^src\/modules\/[^/]+\/[^/]+\.module\.ts$/.test(file)
  )
    return 'root';
  if (/^src\/seed\//.test(file) || /\.seed\.tsx?$/.test(file)) return 'seed';
  if (/^src\/(http|db|jobs|web|kernel|documents)\//.test(file) || /^src\/[^/]+\.ts$/.test(file)) return 'platform';
  if (/^src\/modules\/[^/]+\/[^/]+\.i18n\.ts$/.test(file)) return 'platform';
  return /^src\/modules\/([^/]+)\//.exec(file)?.[1] ?? 'platform';
};

function addEdge(graph: Graph, from: string, to: string) {
  if (!graph.has(from)) graph.set(from, new Set());
  if (!graph.has(to)) graph.set(to, new Set());
  if (from !== to) graph.get(from)!.add(to);
}

/** Strongly connected components with more than one node (Tarjan). */
function cycles(graph: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

const mutualPairs = (graph: Graph) =>
  [...graph]
    .flatMap(([from, tos]) =>
      [...tos].filter((to) => from < to && graph.get(to)?.has(from)).map((to) => `${from}-${to}`),
    )
    .sort();

const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
const { output } = await cruise(
  ['src'],
  { ...options, validate: false, cache: false },
  {},
  {
    tsConfig: extractTSConfig('tsconfig.json'),
  },
);
const result = output as ICruiseResult;

for (const [view, classify] of [
  ['By folder', areaOf],
  ['By layer', layerAreaOf],
] as const) {
  console.log(`${view}:`);
  for (const valueOnly of [false, true]) {
    const areas: Graph = new Map();
    const files: Graph = new Map();
    for (const module of result.modules) {
      if (!module.source.startsWith('src/')) continue;
      for (const dependency of module.dependencies) {
        if (!dependency.resolved.startsWith('src/')) continue;
        if (valueOnly && dependency.dependencyTypes.includes('type-only')) continue;
        addEdge(areas, classify(module.source), classify(dependency.resolved));
        addEdge(files, module.source, dependency.resolved);
      }
    }
    const areaCycles = cycles(areas);
    const fileCycles = cycles(files);
    console.log(valueOnly ? '  Value imports only:' : '  All imports (type-only included):');
    console.log(
      `    ${areas.size} areas; cycles between areas: ${areaCycles.map((c) => `${c.length} [${c.join(' ')}]`).join('; ') || 'none'}`,
    );
    const pairs = mutualPairs(areas);
    console.log(
      `    mutually importing pairs of areas: ${pairs.length}${pairs.length ? ` (${pairs.join(', ')})` : ''}`,
    );
    console.log(
      `    file-level cycles: ${fileCycles.length}, holding ${fileCycles.reduce((sum, c) => sum + c.length, 0)} files (largest ${Math.max(0, ...fileCycles.map((c) => c.length))})`,
    );
  }
}

const baseline: IViolation[] = JSON.parse(readFileSync('.dependency-cruiser-known-violations.json', 'utf8'));
const perRule = new Map<string, number>();
for (const violation of baseline) perRule.set(violation.rule.name, (perRule.get(violation.rule.name) ?? 0) + 1);
console.log(`\nBaseline: ${baseline.length} known violations`);
for (const [rule, count] of [...perRule].sort()) console.log(`  ${rule}: ${count}`);
