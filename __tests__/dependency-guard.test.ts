/**
 * The dependency guard (`npm run lint:deps`, configured in .dependency-cruiser.cjs) catches what DESIGN.md §7 forbids: import
 * cycles among src/ files, type-only ones included, and the forbidden layer directions. It runs here exactly as the npm
 * script runs it (same arguments, same configuration file), but on small trees written to a temporary folder, so it does not
 * depend on the state of the real src/. A guard that resolved nothing would pass everything: every tree also checks that
 * each `./x.js` import was resolved to its `./x.ts` file.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** The `lint:deps` script's arguments after `depcruise`, and the configuration file it names. */
function lintDepsScript(): { args: string[]; configFile: string } {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const script = manifest.scripts['lint:deps'];
  assert.ok(script, 'package.json has a lint:deps script');
  const [command, ...args] = script.split(/\s+/);
  assert.equal(command, 'depcruise', `lint:deps runs dependency-cruiser (${script})`);
  const configFile = args[args.indexOf('--config') + 1];
  assert.ok(args.includes('--config') && configFile, `lint:deps names its configuration file (${script})`);
  return { args, configFile };
}

interface Violation {
  type: string;
  from: string;
  to: string;
  rule: { name: string; severity: string };
  cycle?: { name: string; dependencyTypes: string[] }[];
}
interface Dependency {
  module: string;
  resolved: string;
  couldNotResolve: boolean;
  dependencyTypes: string[];
}
interface CruiseResult {
  modules: { source: string; dependencies: Dependency[] }[];
  summary: { violations: Violation[]; error: number };
}

/** Writes `files` (path → content) under a new temporary folder, with the project's guard configuration at its root. */
async function writeTree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dependency-guard-test-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  const { configFile } = lintDepsScript();
  copyFileSync(join(ROOT, configFile), join(dir, configFile));
  return dir;
}

/**
 * Runs the guard in `dir` twice: exactly as `npm run lint:deps` does (its exit status and text report are what CI sees; the
 * JSON reporter always exits 0), then with JSON output for the assertions on files and rules.
 */
function runGuard(dir: string): { status: number | null; report: string; result: CruiseResult } {
  const { args } = lintDepsScript();
  const plain = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
  const json = spawnSync(process.execPath, [BIN, ...args, '--output-type', 'json'], { cwd: dir, encoding: 'utf8' });
  assert.ok(json.stdout, `the guard printed a result (status ${String(json.status)}): ${json.stderr}`);
  return { status: plain.status, report: plain.stdout + plain.stderr, result: JSON.parse(json.stdout) as CruiseResult };
}

/** `rule: from → to` for each direction violation, sorted. */
function directions(result: CruiseResult): string[] {
  return result.summary.violations
    .filter((v) => v.type !== 'cycle')
    .map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)
    .sort();
}

/** The distinct cycles reported, each as its sorted member files. */
function cycles(result: CruiseResult): string[][] {
  const seen = new Map<string, string[]>();
  for (const v of result.summary.violations.filter((x) => x.type === 'cycle')) {
    assert.equal(v.rule.name, 'no-circular');
    const members = (v.cycle ?? []).map((step) => step.name).sort();
    seen.set(members.join(' '), members);
  }
  return [...seen.values()].sort((a, b) => a.join().localeCompare(b.join()));
}

/** Every relative import in `files` (`from '…'`), to compare with what the guard resolved. */
function relativeImports(files: Record<string, string>): number {
  return Object.values(files).reduce((n, content) => n + [...content.matchAll(/from '\.\.?\//g)].length, 0);
}

/** Asserts that the guard saw every source file and resolved each relative `.js` import to the `.ts` file written. */
function assertResolvedEverything(result: CruiseResult, files: Record<string, string>): void {
  const sources = Object.keys(files).filter((p) => p.startsWith('src/')).sort();
  const cruised = result.modules.map((m) => m.source).filter((s) => s.startsWith('src/'));
  assert.deepEqual(cruised.sort(), sources, 'every file under src/ was cruised');
  const relative = result.modules.flatMap((m) => m.dependencies).filter((d) => d.module.startsWith('.'));
  assert.equal(relative.length, relativeImports(files), 'every relative import was seen');
  for (const dep of relative) {
    assert.equal(dep.couldNotResolve, false, `${dep.module} resolved`);
    assert.match(dep.module, /\.js$/, 'imports carry the NodeNext .js suffix');
    assert.ok(dep.resolved.endsWith('.ts') && dep.resolved in files, `${dep.module} → ${dep.resolved}, a .ts file written`);
  }
}

// ---------------------------------------------------------------------------------------------------------------------------------

describe('a tree with every forbidden edge and two cycles', () => {
  // One file per violation, so that each expected report names its own pair of files.
  const files: Record<string, string> = {
    'src/types.ts': "import { escape } from './text/escape.js';\nexport interface Finding { path: string }\nexport const x = escape;\n",
    'src/text/escape.ts': 'export const escape = (s: string): string => s;\n',
    'src/text/a.ts': "import { b } from '../config/b.js';\nimport { escape } from './escape.js';\nexport const a = escape(b);\n",
    'src/text/uses-types.ts': "import type { Finding } from '../types.js';\nexport const path = (f: Finding): string => f.path;\n",
    'src/config/b.ts': "export const b = 'b';\n",
    'src/config/c.ts': "import { engine } from '../runtime/engine.js';\nexport const c = engine;\n",
    'src/runtime/engine.ts': 'export const engine = 1;\n',
    'src/runtime/r.ts': "import { scan } from '../scanners/scan.js';\nexport const r = scan;\n",
    'src/github/g.ts': "import { scan } from '../scanners/scan.js';\nexport const g = scan;\n",
    'src/scanners/scan.ts': "import { engine } from '../runtime/engine.js';\nexport const scan = engine;\n",
    'src/scanners/to-report.ts': "import { y } from '../report/y.js';\nexport const s1 = y;\n",
    'src/scanners/to-publish.ts': "import { p } from '../publish/p.js';\nexport const s2 = p;\n",
    'src/scanners/to-models.ts': "import type { M } from '../models/m.js';\nexport type S3 = M;\n",
    'src/models/m.ts': 'export type M = string;\n',
    'src/models/x.ts': "import { y } from '../report/y.js';\nexport const x = y;\n",
    'src/models/to-publish.ts': "import { p } from '../publish/p.js';\nexport const m2 = p;\n",
    'src/report/y.ts': "import type { Finding } from '../types.js';\nexport const y = (f: Finding): string => f.path;\n",
    'src/report/to-models.ts': "import type { M } from '../models/m.js';\nexport type R = M;\n",
    'src/publish/p.ts': "import { y } from '../report/y.js';\nexport const p = y;\n",
    'src/to-tests.ts': "import { helper } from '../__tests__/helper.js';\nexport const t = helper;\n",
    'src/to-bench.ts': "import { bench } from '../bench/b.js';\nexport const b = bench;\n",
    '__tests__/helper.ts': 'export const helper = 1;\n',
    'bench/b.ts': 'export const bench = 1;\n',
    // A cycle of value imports between two files.
    'src/stage-one.ts': "import { two } from './stage-two.js';\nexport const one = (): number => two() + 1;\n",
    'src/stage-two.ts': "import { one } from './stage-one.js';\nexport const two = (): number => one.length;\n",
    // A cycle through types only (both spellings of a type-only import): erased by tsc, still a cycle of the design.
    'src/contracts/left.ts': "import type { Right } from './right.js';\nexport interface Left { right?: Right }\n",
    'src/contracts/right.ts': "import { type Left } from './left.js';\nexport interface Right { left?: Left }\n",
  };
  let dir = '';
  let run: ReturnType<typeof runGuard>;
  before(async () => {
    dir = await writeTree(files);
    run = runGuard(dir);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('the guard fails, and its report names every rule broken', () => {
    assert.notEqual(run.status, 0, run.report);
    assert.equal(run.result.summary.error, run.result.summary.violations.length);
    for (const v of run.result.summary.violations) assert.ok(run.report.includes(`error ${v.rule.name}: ${v.from}`), v.rule.name);
  });

  test('it resolved every `.js` import to its `.ts` file (a guard that resolves nothing passes everything)', () => {
    assertResolvedEverything(run.result, files);
  });

  test('each forbidden direction is reported, file → file, and nothing else is', () => {
    assert.deepEqual(directions(run.result), [
      'config-not-to-runtime: src/config/c.ts → src/runtime/engine.ts',
      'github-not-to-scanners: src/github/g.ts → src/scanners/scan.ts',
      'models-not-to-report-publish: src/models/to-publish.ts → src/publish/p.ts',
      'models-not-to-report-publish: src/models/x.ts → src/report/y.ts',
      'report-not-to-models: src/report/to-models.ts → src/models/m.ts',
      'runtime-not-to-scanners: src/runtime/r.ts → src/scanners/scan.ts',
      'scanners-not-to-report-publish-models: src/scanners/to-models.ts → src/models/m.ts',
      'scanners-not-to-report-publish-models: src/scanners/to-publish.ts → src/publish/p.ts',
      'scanners-not-to-report-publish-models: src/scanners/to-report.ts → src/report/y.ts',
      'src-not-to-tests-or-bench: src/to-bench.ts → bench/b.ts',
      'src-not-to-tests-or-bench: src/to-tests.ts → __tests__/helper.ts',
      'text-only-to-types-and-text: src/text/a.ts → src/config/b.ts',
      'types-not-to-src: src/types.ts → src/text/escape.ts',
    ]);
  });

  test('both cycles are reported, the type-only one included', () => {
    assert.deepEqual(cycles(run.result), [
      ['src/contracts/left.ts', 'src/contracts/right.ts'],
      ['src/stage-one.ts', 'src/stage-two.ts'],
    ]);
    const typeCycle = run.result.summary.violations.find((v) => v.from === 'src/contracts/left.ts');
    assert.ok(typeCycle?.cycle, 'the type-only cycle is reported from left.ts');
    for (const step of typeCycle.cycle) assert.ok(step.dependencyTypes.includes('type-only'), `${step.name}: type-only edge`);
  });
});

describe('a tree whose dependencies all point the allowed way', () => {
  // DESIGN.md §7: text uses only types; config, github and runtime sit below the scanners; models and report use text and
  // types; publish uses report; main uses every stage.
  const files: Record<string, string> = {
    'src/types.ts': 'export interface Finding { path: string }\nexport type Severity = "high" | "low";\n',
    'src/text/escape.ts': "import type { Finding } from '../types.js';\nexport const escape = (f: Finding): string => f.path;\n",
    'src/text/truncate.ts': "import { escape } from './escape.js';\nexport { escape };\nexport const cut = (s: string): string => s.slice(0, 9);\n",
    'src/config/load.ts': "import { cut } from '../text/truncate.js';\nimport type { Severity } from '../types.js';\nexport const load = (): Severity => (cut('x') ? 'high' : 'low');\n",
    'src/runtime/engine.ts': "import { load } from '../config/load.js';\nexport const engine = load;\n",
    'src/github/diff.ts': "import type { Finding } from '../types.js';\nimport { cut } from '../text/truncate.js';\nexport const diff = (f: Finding): string => cut(f.path);\n",
    'src/scanners/scan.ts': "import { engine } from '../runtime/engine.js';\nimport { diff } from '../github/diff.js';\nexport const scan = [engine, diff];\n",
    'src/models/draft.ts': "import type { Finding } from '../types.js';\nimport { escape } from '../text/escape.js';\nexport const draft = (f: Finding): string => escape(f);\n",
    'src/report/render.ts': "import type { Finding } from '../types.js';\nimport { escape } from '../text/escape.js';\nexport const render = (f: Finding): string => escape(f);\n",
    'src/publish/publish.ts': "import { render } from '../report/render.js';\nimport { diff } from '../github/diff.js';\nexport const publish = [render, diff];\n",
    'src/main.ts': [
      "import { join } from 'node:path';",
      "import { scan } from './scanners/scan.js';",
      "import { draft } from './models/draft.js';",
      "import { publish } from './publish/publish.js';",
      'export const main = [join, scan, draft, publish];',
      '',
    ].join('\n'),
  };
  let dir = '';
  let run: ReturnType<typeof runGuard>;
  before(async () => {
    dir = await writeTree(files);
    run = runGuard(dir);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('the guard passes, with no violation', () => {
    assert.deepEqual(run.result.summary.violations, []);
    assert.equal(run.status, 0, run.report);
  });

  test('it resolved every `.js` import to its `.ts` file', () => {
    assertResolvedEverything(run.result, files);
  });
});

describe('an import the guard cannot resolve', () => {
  let dir = '';
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('fails the guard instead of passing unseen', async () => {
    dir = await writeTree({ 'src/a.ts': "import { b } from './b.js';\nexport const a = b;\n" });
    const run = runGuard(dir);
    assert.notEqual(run.status, 0, run.report);
    assert.deepEqual(directions(run.result), ['not-to-unresolvable: src/a.ts → ./b.js']);
  });
});

test('the guard is installed where this test looks for it', () => {
  assert.ok(existsSync(BIN), BIN);
});
