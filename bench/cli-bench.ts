/**
 * [7]–[9]: the CLI as a user runs it — `node dist/cli.js review … --format json --local-model off`, a whole process, measured from
 * the outside (bench/process-run.ts) — so that the figures hold whatever src/ looks like inside.
 *
 * [7] Real code: the sources of 15 npm packages of the lockfile (bench/real-code-pr.ts), ~2,000 files, added by one commit; the CLI
 *     against `ast-grep scan -c <config> --json=stream <files>` run directly with the configuration the scanner writes for itself
 *     (prepareBuiltinConfig on the bundle's rules), the binary the CLI reported, the same files. Runs alternate; medians.
 * [8] One added 50,000-line JavaScript file, then one Python file, each with planted findings (bench/synthetic-pr.ts plantedFile):
 *     the CLI's wall time, and whether every planted finding is in its report.
 * [9] Startup on a tiny repository (one commit changing one small file), and where the time goes: node itself, loading the bundle,
 *     and, from a run with bench/cli-timeline.mjs preloaded, git, collection, the binary, rule preparation, ast-grep, rendering.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { git } from '../__tests__/support/git-fixture.js';
import { REPO_ROOT } from '../__tests__/support/run-dist.js';
import { RecordingLogger } from '../__tests__/support/recording-logger.js';
import { builtinRulesDir, resolveAstGrepBinary } from '../src/scanners/ast-grep/index.js';
import { astGrepEnv } from '../src/scanners/ast-grep/process.js';
import { isForwardProbe, loadBuiltinRules, prepareBuiltinConfig } from '../src/scanners/ast-grep/rules.js';
import { chunkFiles } from '../src/scanners/ast-grep/scan.js';
import { runProcess, type ProcessRun } from './process-run.js';
import { realCodePr, REAL_CODE_PACKAGES } from './real-code-pr.js';
import { say } from './report.js';
import { count, mb, median, ms, table } from './stats.js';
import { plantedFile } from './synthetic-pr.js';

export const CLI_TARGETS = {
  /** CLI wall time / ast-grep's, real code. */
  wallRatio: 1.5,
  /** CLI peak RSS ≤ rssFactor × ast-grep's + rssExtraKb. */
  rssFactor: 2,
  rssExtraKb: 100 * 1024,
  largeFileMs: 10_000,
  startupMs: 400,
} as const;

/** [7]'s pull request: the packages of [6]'s real-code PR, and two more for ~2,000 files. */
export const REAL_CODE_PACKAGES_LARGE = [...REAL_CODE_PACKAGES, 'openai', 'yaml'] as const;
const LARGE_FILE_LINES = 50_000;
const LARGE_FILE_PLANTS = 50;
/**
 * A large-file run that takes longer than this many times the target, in wall time and in CPU time, is not repeated: more runs would
 * not change the verdict. (CPU time too, so that a run merely slowed down by other work on the machine is repeated.)
 */
const CLEAR_MISS = 1.5;
const LARGE_FILE_TIMEOUT_MS = 120_000;
const CLI_TIMEOUT_MS = 300_000;

const DIST = join(REPO_ROOT, 'dist');
const DIST_CLI = join(DIST, 'cli.js');
const TIMELINE_PRELOAD = join(REPO_ROOT, 'bench', 'cli-timeline.mjs');

// ---------------------------------------------------------------------------------------------------------------------------------
// Repositories

/** A git repository: `base` committed on main, then each head's files committed on a branch of its own from main. */
async function createRepo(base: Record<string, string>, heads: Record<string, Record<string, string>>): Promise<{ dir: string; baseSha: string; heads: Record<string, string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'uc-bench-repo-'));
  const writeAll = async (files: Record<string, string>): Promise<void> => {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
  };
  const commit = async (message: string): Promise<string> => {
    await git(dir, ['add', '-A']);
    await git(dir, ['commit', '-q', '--no-verify', '-m', message]);
    return (await git(dir, ['rev-parse', 'HEAD'])).toString().trim();
  };
  await git(dir, ['init', '-q', '-b', 'main']);
  await git(dir, ['config', 'user.name', 'Bench Author']);
  await git(dir, ['config', 'user.email', 'bench@example.com']);
  await git(dir, ['config', 'commit.gpgsign', 'false']);
  await writeAll(base);
  const baseSha = await commit('base');
  const shas: Record<string, string> = {};
  for (const [branch, files] of Object.entries(heads)) {
    await git(dir, ['checkout', '-q', '-b', branch, baseSha]);
    await writeAll(files);
    shas[branch] = await commit(branch);
  }
  // The working tree stays at the last head: what the direct ast-grep runs read.
  return { dir, baseSha, heads: shas };
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Running the CLI

export interface CliReport {
  totals: { findings: number; filesReviewed: number; filesSkipped: number };
  findings: { ruleId: string; path: string; startLine: number }[];
  scans: { scanner: string; status: string; reason?: string; durationMs: number; filesScanned?: number }[];
}

const reviewArgs = (repo: string, base: string, head: string): string[] => ['review', '--repo', repo, '--base', base, '--head', head, '--format', 'json', '--local-model', 'off'];

/** One whole CLI process; exit 0 or 1 (findings at or above fail-on) are both a finished review. */
async function runCli(args: string[], options: { timeline?: string; timeoutMs?: number } = {}): Promise<ProcessRun & { report?: CliReport }> {
  const nodeArgs = options.timeline ? ['--import', pathToFileURL(TIMELINE_PRELOAD).href, DIST_CLI, ...args, '--verbose'] : [DIST_CLI, ...args];
  const env = options.timeline ? { ...process.env, UC_BENCH_TIMELINE: options.timeline } : process.env;
  const run = await runProcess(process.execPath, nodeArgs, { env, timeoutMs: options.timeoutMs ?? CLI_TIMEOUT_MS });
  if (run.timedOut) return run;
  if (run.exitCode !== 0 && run.exitCode !== 1) {
    throw new Error(`node dist/cli.js ${args.join(' ')} exited ${run.exitCode ?? run.signal}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  return { ...run, report: JSON.parse(run.stdout) as CliReport };
}

/**
 * Whether dist/ may be older than src/ (then the figures are those of the last build): a file under src/ newer than dist/cli.js, or,
 * when dist/ is as committed, commits to src/ after the last commit of dist/ (a checkout gives every file the same fresh mtime).
 */
function distAge(): { builtAt: Date; staleBecause?: string } {
  const builtAt = statSync(DIST_CLI).mtime;
  let newest = { path: '', mtime: 0 };
  for (const entry of readdirSyncRecursive(join(REPO_ROOT, 'src'))) {
    const mtime = statSync(entry).mtimeMs;
    if (mtime > newest.mtime) newest = { path: entry, mtime };
  }
  if (newest.mtime > builtAt.getTime()) return { builtAt, staleBecause: `${relative(REPO_ROOT, newest.path)} is newer` };
  const gitOut = (args: string[]): string | undefined => {
    const run = spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
    return run.status === 0 ? run.stdout.trim() : undefined;
  };
  const distChanged = gitOut(['status', '--porcelain', '--', 'dist']);
  const lastDist = gitOut(['log', '-1', '--format=%H', '--', 'dist']);
  if (distChanged === '' && lastDist) {
    const later = Number(gitOut(['rev-list', '--count', `${lastDist}..HEAD`, '--', 'src']) ?? 0);
    if (later > 0) return { builtAt, staleBecause: `dist/ is as committed, and ${later} commit(s) since its last commit changed src/` };
  }
  return { builtAt };
}

function readdirSyncRecursive(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).map((p) => join(dir, p)).filter((p) => statSync(p).isFile());
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Timeline: where a CLI run's time goes

interface TimelineEvent {
  t: number;
  kind: 'preload' | 'log' | 'spawn' | 'stdout' | 'exit';
  text?: string;
  command?: string;
  args?: string[];
  end?: number;
}

export interface Segment {
  name: string;
  ms: number;
  /** Part of the segment spent in child processes, when that is known. */
  detail?: string;
}

const union = (intervals: [number, number][]): number => {
  let total = 0;
  let until = -Infinity;
  for (const [a, b] of [...intervals].sort((x, y) => x[0] - y[0])) {
    if (b <= until) continue;
    total += b - Math.max(a, until);
    until = b;
  }
  return total;
};

/** Splits one run's timeline into the parts the lead asked about. A marker the CLI no longer prints makes its part NaN, not an error. */
export function segmentsOf(events: TimelineEvent[], wallMs: number): Segment[] {
  const find = (pattern: RegExp): TimelineEvent | undefined => events.find((e) => e.kind === 'log' && pattern.test(e.text ?? ''));
  const spawns = events.filter((e) => e.kind === 'spawn');
  const gitRuns = spawns.filter((e) => e.command === 'git');
  const gitVerb = (e: TimelineEvent): string | undefined => e.args?.find((a) => !a.startsWith('-') && !a.includes('='));
  const diffRuns = gitRuns.filter((e) => gitVerb(e) === 'diff');
  const catRuns = gitRuns.filter((e) => gitVerb(e) === 'cat-file');
  const scanRuns = spawns.filter((e) => e.command?.startsWith('ast-grep') && e.args?.[0] === 'scan');
  const versionRuns = spawns.filter((e) => e.command?.startsWith('ast-grep') && e.args?.[0] === '--version');
  const preload = events.find((e) => e.kind === 'preload')?.t ?? NaN;
  const exit = events.find((e) => e.kind === 'exit')?.t ?? NaN;
  const stdout = events.find((e) => e.kind === 'stdout')?.t ?? NaN;
  const firstSpawn = spawns[0]?.t ?? NaN;
  // A stage starts with `» Name` (a log that is not a terminal) or its live line `… Name  0.0 s` (a terminal: the timeline's case).
  const collectStart = find(/^(» Collect$|… Collect\s)/)?.t ?? NaN;
  const collectEnd = find(/^Collect: \d/)?.t ?? NaN;
  const scanStart = find(/^(» Scan$|… Scan\s)/)?.t ?? NaN;
  const resolved = find(/^ast-grep \d+\.\d+\.\d+\S* (\(vendored, |from )/)?.t ?? NaN;
  const firstScan = scanRuns[0]?.t ?? NaN;
  const lastScanEnd = Math.max(...scanRuns.map((e) => e.end ?? NaN));
  const scanEnd = find(/^Scan: \d/)?.t ?? NaN;
  const stageEnds = events.filter((e) => e.kind === 'log' && /^[A-Z][^:]*: \d[\d.,]* (ms|s|min)( \d+ s)?$/.test(e.text ?? ''));
  const stdoutAt = events.find((e) => e.kind === 'stdout')?.t ?? Infinity;
  const lastStageEnd = stageEnds.filter((e) => e.t < stdoutAt).at(-1)?.t ?? NaN;
  const within = (runs: TimelineEvent[], from: number, to: number): number =>
    union(runs.filter((e) => e.end !== undefined && e.t < to && e.end > from).map((e) => [Math.max(e.t, from), Math.min(e.end!, to)]));
  const gitIn = (from: number, to: number): string => `git ${ms(within(gitRuns, from, to))} (${gitRuns.filter((e) => e.t >= from && e.t < to).length} process(es))`;
  return [
    { name: 'node starts (until the first module runs)', ms: preload },
    { name: 'loading dist/cli.js and its chunks', ms: firstSpawn - preload },
    { name: 'revisions + configuration (git, .github/ultra-create.yml at the base)', ms: collectStart - firstSpawn, detail: gitIn(firstSpawn, collectStart) },
    { name: 'collect: git diff --raw, -U3 (the listing and patches; in parallel, started with the revisions)', ms: within(diffRuns, collectStart, collectEnd), detail: `${diffRuns.filter((e) => e.t >= collectStart && e.t < collectEnd).length} process(es)` },
    { name: 'collect: git cat-file (the head files, .gitattributes, sgconfig.yml at the base)', ms: within(catRuns, collectStart, collectEnd), detail: `${catRuns.filter((e) => e.t >= collectStart && e.t < collectEnd).length} process(es)` },
    { name: 'collect: the rest (parse the diff, skip rules, the head tree: in place or written)', ms: collectEnd - collectStart - within(gitRuns, collectStart, collectEnd) },
    { name: 'between stages', ms: scanStart - collectEnd },
    { name: 'ast-grep binary: resolve / verify', ms: resolved - scanStart, detail: `ast-grep --version ${versionRuns.length > 0 ? ms(within(versionRuns, scanStart, resolved)) : 'not started'}` },
    { name: 'rule preparation (pack read, rule files written) until ast-grep starts', ms: firstScan - resolved },
    { name: 'ast-grep scan process(es)', ms: within(scanRuns, firstScan, lastScanEnd), detail: `${scanRuns.length} process(es)` },
    { name: 'after ast-grep: matches → findings, the other scanners', ms: scanEnd - lastScanEnd },
    { name: 'triage, verify, draft (models off here)', ms: lastStageEnd - scanEnd },
    { name: 'publish: render JSON, until stdout is written', ms: stdout - lastStageEnd },
    { name: 'after stdout: remove the temp folder, exit', ms: exit - stdout },
    { name: 'outside the process: spawn, teardown, pipes closed', ms: wallMs - exit },
  ];
}

/** Per segment, the median over several runs. */
function medianSegments(runs: Segment[][]): Segment[] {
  return (runs[0] ?? []).map((segment, i) => ({ ...segment, ms: median(runs.map((r) => r[i]?.ms ?? NaN).filter(Number.isFinite)) }));
}

async function timelineRun(args: string[], scratch: string, index: number): Promise<{ run: ProcessRun & { report?: CliReport }; segments: Segment[]; events: TimelineEvent[] }> {
  const file = join(scratch, `timeline-${index}.json`);
  const run = await runCli(args, { timeline: file });
  const events = existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as TimelineEvent[]) : [];
  return { run, segments: segmentsOf(events, run.wallMs), events };
}

// ---------------------------------------------------------------------------------------------------------------------------------
// [7] Real code

export interface RealCodeResult {
  packages: string[];
  missing: string[];
  files: number;
  lines: number;
  buildMs: number;
  binary: string;
  rules: number;
  chunks: number;
  cli: { runs: ProcessRun[]; wallMs: number; cpuMs: number; treePeakKb: number; findings: number; filesReviewed: number; filesScanned: number };
  direct: { runs: ProcessRun[]; wallMs: number; cpuMs: number; treePeakKb: number; matches: number };
  /** One more run after the counted ones, with the timeline preloaded: its parts, its wall time, the ast-grep scanner's duration. */
  segments: Segment[];
  timelineWallMs: number;
  timelineScannerMs: number;
}

export async function runRealCodeBench(runs: number): Promise<RealCodeResult> {
  const buildStarted = performance.now();
  const pr = realCodePr(REPO_ROOT, REAL_CODE_PACKAGES_LARGE);
  const head = Object.fromEntries(Object.entries(pr.spec.head).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const repo = await createRepo({ 'README.md': '# monorepo\n' }, { head });
  const buildMs = performance.now() - buildStarted;
  const scratch = await mkdtemp(join(tmpdir(), 'uc-bench-cli-'));
  try {
    const args = reviewArgs(repo.dir, repo.baseSha, repo.heads.head!);
    // Warm-up (page cache, the binary unpacked on a first run): not counted. With the timeline, to learn which binary the CLI uses.
    const warm = await timelineRun(args, scratch, 0);
    const reported = warm.events.find((e) => e.kind === 'log' && /^ast-grep \S+ \(vendored, (.*)\)\.$/.test(e.text ?? ''));
    const binary = reported
      ? /^ast-grep \S+ \(vendored, (.*)\)\.$/.exec(reported.text!)![1]!
      : (await resolveAstGrepBinary({ env: process.env, distDir: DIST, logger: new RecordingLogger() })).path;

    const rulesDir = builtinRulesDir(DIST);
    // (less the forwarding probes: the scanner runs them apart, only on the files a call reaches, as the parameter copies were
    // counted before they came; on every file they would make the direct side a heavier run than any the CLI makes)
    const config = await prepareBuiltinConfig(join(scratch, 'builtin'), await loadBuiltinRules(rulesDir), new Set(), undefined, (doc) => !isForwardProbe(doc));
    const skipped = new Set((warm.run.report as CliReport & { skippedFiles?: { path: string }[] }).skippedFiles?.map((f) => f.path) ?? []);
    const files = Object.keys(head).filter((path) => !skipped.has(path)).sort();
    const chunks = chunkFiles(files);
    const direct = async (): Promise<ProcessRun & { matches: number }> => {
      // One process per chunk, one after the other, as the scanner runs them (one chunk on Linux for ~2,000 paths).
      let total: (ProcessRun & { matches: number }) | undefined;
      for (const chunk of chunks) {
        const run = await runProcess(binary, ['scan', '-c', config.configPath, '--json=stream', '--', ...chunk], { cwd: repo.dir, env: astGrepEnv(), timeoutMs: CLI_TIMEOUT_MS });
        if (run.exitCode !== 0 && run.exitCode !== 1) throw new Error(`ast-grep exited ${run.exitCode ?? run.signal}: ${run.stderr.trim().slice(0, 300)}`);
        const matches = run.stdout.split('\n').filter(Boolean).length;
        total = total
          ? { ...run, wallMs: total.wallMs + run.wallMs, cpuMs: total.cpuMs + run.cpuMs, treePeakKb: Math.max(total.treePeakKb, run.treePeakKb), matches: total.matches + matches }
          : { ...run, matches };
      }
      return total!;
    };
    await direct();

    const cliRuns: (ProcessRun & { report?: CliReport })[] = [];
    const directRuns: (ProcessRun & { matches: number })[] = [];
    for (let i = 0; i < runs; i++) {
      cliRuns.push(await runCli(args));
      directRuns.push(await direct());
    }
    // Where the time goes: one more run, after the counted ones (the warm-up's figures are those of a first run).
    const traced = await timelineRun(args, scratch, 1);
    const last = cliRuns.at(-1)!.report!;
    const astGrepScan = last.scans.find((s) => s.scanner === 'ast-grep');
    const tracedScan = traced.run.report?.scans.find((s) => s.scanner === 'ast-grep');
    return {
      packages: pr.packages,
      missing: pr.missing,
      files: files.length,
      lines: pr.lines,
      buildMs,
      binary,
      rules: config.rules.length,
      chunks: chunks.length,
      cli: {
        runs: cliRuns,
        wallMs: median(cliRuns.map((r) => r.wallMs)),
        cpuMs: median(cliRuns.map((r) => r.cpuMs)),
        treePeakKb: median(cliRuns.map((r) => r.treePeakKb)),
        findings: last.totals.findings,
        filesReviewed: last.totals.filesReviewed,
        filesScanned: astGrepScan?.filesScanned ?? NaN,
      },
      direct: {
        runs: directRuns,
        wallMs: median(directRuns.map((r) => r.wallMs)),
        cpuMs: median(directRuns.map((r) => r.cpuMs)),
        treePeakKb: median(directRuns.map((r) => r.treePeakKb)),
        matches: directRuns.at(-1)!.matches,
      },
      segments: traced.segments,
      timelineWallMs: traced.run.wallMs,
      timelineScannerMs: tracedScan?.durationMs ?? NaN,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await rm(repo.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------------------------
// [8] Large files

export interface LargeFileResult {
  language: string;
  path: string;
  lines: number;
  bytes: number;
  planted: number;
  runsMs: number[];
  timedOut: boolean;
  medianMs: number;
  /** The ast-grep scanner's own duration as the reports give it (median of the runs). */
  scannerMs: number;
  scanStatus: string;
  found: number;
  missing: { line: number; ruleId: string }[];
  otherFindings: number;
}

export async function runLargeFileBench(maxRuns: number): Promise<LargeFileResult[]> {
  const files = { js: plantedFile('js', LARGE_FILE_LINES, LARGE_FILE_PLANTS), py: plantedFile('py', LARGE_FILE_LINES, LARGE_FILE_PLANTS) };
  const repo = await createRepo(
    { 'README.md': '# legacy\n' },
    { js: { [files.js.path]: files.js.content }, py: { [files.py.path]: files.py.content } },
  );
  try {
    const results: LargeFileResult[] = [];
    for (const [branch, file] of Object.entries(files)) {
      const runsMs: number[] = [];
      const scannerRunsMs: number[] = [];
      let last: (ProcessRun & { report?: CliReport }) | undefined;
      for (let i = 0; i < maxRuns; i++) {
        last = await runCli(reviewArgs(repo.dir, repo.baseSha, repo.heads[branch]!), { timeoutMs: LARGE_FILE_TIMEOUT_MS });
        if (last.timedOut) break;
        runsMs.push(last.wallMs);
        scannerRunsMs.push(last.report?.scans.find((s) => s.scanner === 'ast-grep')?.durationMs ?? NaN);
        if (last.wallMs > CLEAR_MISS * CLI_TARGETS.largeFileMs && last.cpuMs > CLEAR_MISS * CLI_TARGETS.largeFileMs) break;
      }
      const report = last?.report;
      const reported = new Set((report?.findings ?? []).map((f) => `${f.path}:${f.startLine}:${f.ruleId}`));
      const missing = file.planted.filter((p) => !reported.has(`${file.path}:${p.line}:${p.ruleId}`));
      const plantedKeys = new Set(file.planted.map((p) => `${file.path}:${p.line}:${p.ruleId}`));
      const scan = report?.scans.find((s) => s.scanner === 'ast-grep');
      results.push({
        language: branch === 'js' ? 'JavaScript' : 'Python',
        path: file.path,
        lines: file.lines,
        bytes: Buffer.byteLength(file.content),
        planted: file.planted.length,
        runsMs,
        timedOut: last?.timedOut ?? false,
        medianMs: median(runsMs),
        scannerMs: median(scannerRunsMs),
        scanStatus: scan ? `${scan.status}${scan.reason ? `: ${scan.reason}` : ''}` : 'no ast-grep scan in the report',
        found: report ? file.planted.length - missing.length : 0,
        missing: report ? missing : file.planted,
        otherFindings: (report?.findings ?? []).filter((f) => !plantedKeys.has(`${f.path}:${f.startLine}:${f.ruleId}`)).length,
      });
    }
    return results;
  } finally {
    await rm(repo.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------------------------
// [9] Startup

export interface StartupResult {
  runs: number;
  cliMs: number[];
  medianMs: number;
  nodeBareMs: number;
  versionMs: number;
  importMs: number;
  /** CPU time of the CLI review's process tree (median). */
  cpuMs: number;
  /** Peak RSS (process tree, medians): node -e 0, node dist/cli.js --version, the CLI review. */
  rssKb: { nodeBare: number; version: number; cli: number };
  segments: Segment[];
  timelineRuns: number;
  /** What `import('dist/cli.js')` loads before anything runs, and what it loads only when asked. */
  bundle: { staticFiles: { path: string; bytes: number }[]; lazyFiles: { path: string; bytes: number }[] };
}

/** The relative imports of a bundle file, followed: static ones load with it, dynamic ones (`import('…')`) on first use. */
function bundleGraph(entry: string): StartupResult['bundle'] {
  const staticFiles = new Map<string, number>();
  const lazy = new Set<string>();
  const visit = (file: string): void => {
    if (staticFiles.has(file) || !existsSync(file)) return;
    const text = readFileSync(file, 'utf8');
    staticFiles.set(file, Buffer.byteLength(text));
    for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*)(\()?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = join(dirname(file), match[2]!);
      if (match[1]) lazy.add(target);
      else visit(target);
    }
  };
  visit(entry);
  const list = (paths: Iterable<string>) =>
    [...paths].map((path) => ({ path: relative(REPO_ROOT, path), bytes: existsSync(path) ? statSync(path).size : 0 })).sort((a, b) => b.bytes - a.bytes);
  return { staticFiles: list(staticFiles.keys()), lazyFiles: list([...lazy].filter((p) => !staticFiles.has(p) && existsSync(p))) };
}

/** `import('dist/cli.js')` timed inside a fresh node; `--version` makes runCli return at once. */
const IMPORT_PROBE = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(DIST_CLI).href)}); process.stderr.write('UC_IMPORT_MS=' + (performance.now() - t) + '\\n');`;

export async function runStartupBench(runs: number): Promise<StartupResult> {
  const repo = await createRepo(
    { 'src/math.js': 'export function add(a, b) {\n  return a + b;\n}\n', 'README.md': '# tiny\n' },
    { head: { 'src/math.js': 'export function add(a, b) {\n  return Number(a) + Number(b);\n}\n' } },
  );
  const scratch = await mkdtemp(join(tmpdir(), 'uc-bench-startup-'));
  try {
    const args = reviewArgs(repo.dir, repo.baseSha, repo.heads.head!);
    await runCli(args); // warm-up
    const cli: ProcessRun[] = [];
    const nodeBare: ProcessRun[] = [];
    const version: ProcessRun[] = [];
    const imports: number[] = [];
    for (let i = 0; i < runs; i++) {
      nodeBare.push(await runProcess(process.execPath, ['-e', '0']));
      version.push(await runProcess(process.execPath, [DIST_CLI, '--version']));
      // `node -e code x --version`: runCli reads process.argv.slice(2), that is ['--version'].
      const probe = await runProcess(process.execPath, ['--input-type=module', '-e', IMPORT_PROBE, 'x', '--version']);
      imports.push(Number(/UC_IMPORT_MS=([\d.]+)/.exec(probe.stderr)?.[1] ?? NaN));
      cli.push(await runCli(args));
    }
    const cliMs = cli.map((r) => r.wallMs);
    const medianOf = (list: ProcessRun[], key: 'wallMs' | 'cpuMs' | 'treePeakKb'): number => median(list.map((r) => r[key]));
    const timelineRuns = 3;
    const segmentRuns: Segment[][] = [];
    for (let i = 0; i < timelineRuns; i++) segmentRuns.push((await timelineRun(args, scratch, i)).segments);
    return {
      runs,
      cliMs,
      medianMs: median(cliMs),
      nodeBareMs: medianOf(nodeBare, 'wallMs'),
      versionMs: medianOf(version, 'wallMs'),
      importMs: median(imports),
      cpuMs: medianOf(cli, 'cpuMs'),
      rssKb: { nodeBare: medianOf(nodeBare, 'treePeakKb'), version: medianOf(version, 'treePeakKb'), cli: medianOf(cli, 'treePeakKb') },
      segments: medianSegments(segmentRuns),
      timelineRuns,
      bundle: bundleGraph(DIST_CLI),
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await rm(repo.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Printing and the summary rows

export interface CliBenchResult {
  realCode?: RealCodeResult;
  largeFiles?: LargeFileResult[];
  startup?: StartupResult;
  failures: string[];
}

const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
/** Fastest-to-slowest spread of one side's runs above which the figures are flagged as noisy (as in [4]). */
const NOISY_SPREAD = 1.25;
const noisy = (runs: readonly ProcessRun[]): boolean => Math.max(...runs.map((x) => x.wallMs)) / Math.min(...runs.map((x) => x.wallMs)) > NOISY_SPREAD;
const seconds = (value: number): string => (Number.isFinite(value) ? `${(value / 1000).toFixed(2)} s` : 'n/a');
const rssTargetKb = (directKb: number): number => CLI_TARGETS.rssFactor * directKb + CLI_TARGETS.rssExtraKb;

function printSegments(segments: Segment[], total: number): void {
  const rows = [['part', 'ms', 'share', 'of which'], ...segments.map((s) => [s.name, ms(s.ms), Number.isFinite(s.ms) ? `${((s.ms / total) * 100).toFixed(0)} %` : '', s.detail ?? ''])];
  say(indent(table(rows, [1, 2])));
}

const indent = (text: string): string =>
  text
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');

export function printCliPreamble(): void {
  const age = distAge();
  say(`  the CLI is ${relative(REPO_ROOT, DIST_CLI)} (built ${age.builtAt.toISOString()}), run as \`node dist/cli.js review --repo DIR --base BASE --head HEAD --format json --local-model off\`, a whole process`);
  if (age.staleBecause) say(`  WARNING: dist/ may be older than src/ (${age.staleBecause}): these figures are the last build's. Run npm run build first.`);
  say('  memory: peak of the process tree (the sum of VmRSS of the process and its descendants, sampled from /proc every 10 ms); per process, the kernel\'s VmHWM');
}

export function printRealCode(r: RealCodeResult): void {
  say(`  repository: the sources of ${r.packages.length} npm packages from node_modules (${r.packages.join(', ')}${r.missing.length ? `; missing: ${r.missing.join(', ')}` : ''})`);
  say(`    ${count(r.files)} files, ${count(r.lines)} lines, added by one commit on top of a README; built in ${ms(r.buildMs)}`);
  say(`  ast-grep directly: ${r.binary} scan -c <prepareBuiltinConfig of dist/rules: ${r.rules} rules> --json=stream -- <the ${count(r.files)} files> (${r.chunks} process(es)), in the repository's working tree at the head commit`);
  const rows = [
    ['', 'wall median', 'runs (wall)', 'CPU median', 'peak RSS (tree), median', 'largest process (VmHWM)', 'results'],
    ['CLI (node dist/cli.js review)', ms(r.cli.wallMs), r.cli.runs.map((x) => ms(x.wallMs)).join(', '), ms(r.cli.cpuMs), mb(r.cli.treePeakKb), procs(r.cli.runs.at(-1)!), `${r.cli.findings} finding(s), ${count(r.cli.filesReviewed)} files reviewed, ${count(r.cli.filesScanned)} scanned`],
    ['ast-grep scan, direct', ms(r.direct.wallMs), r.direct.runs.map((x) => ms(x.wallMs)).join(', '), ms(r.direct.cpuMs), mb(r.direct.treePeakKb), procs(r.direct.runs.at(-1)!), `${r.direct.matches} match(es)`],
  ];
  say(indent(table(rows, [1, 3, 4])));
  const spread = Math.max(...[r.cli.runs, r.direct.runs].map((runs) => Math.max(...runs.map((x) => x.wallMs)) / Math.min(...runs.map((x) => x.wallMs))));
  say(`  CLI / ast-grep: wall ${ratio(r.cli.wallMs, r.direct.wallMs)} (target ≤ ${CLI_TARGETS.wallRatio}x); CPU time (process tree, user + system) ${ratio(r.cli.cpuMs, r.direct.cpuMs)}${spread > NOISY_SPREAD ? `; NOISY: one side's runs differ by ${spread.toFixed(2)}x fastest to slowest, the machine was busy (the CPU ratio moves less)` : ''}`);
  say(`  peak RSS ${mb(r.cli.treePeakKb)} vs ${mb(rssTargetKb(r.direct.treePeakKb))} allowed (${CLI_TARGETS.rssFactor} × ${mb(r.direct.treePeakKb)} + ${mb(CLI_TARGETS.rssExtraKb)}); runs alternate, after one warm-up of each`);
  if (r.cli.filesScanned !== r.files) say(`  NOTE: the CLI scanned ${r.cli.filesScanned} files, the direct runs ${r.files}: not the same work`);
  say(`  where the CLI's time goes (one more run after the counted ones, bench/cli-timeline.mjs preloaded, --verbose; wall ${ms(r.timelineWallMs)}, of which the ast-grep scanner reports ${ms(r.timelineScannerMs)}):`);
  printSegments(r.segments, r.timelineWallMs);
}

const procs = (run: ProcessRun): string =>
  Object.entries(run.byName)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 3)
    .map(([name, kb]) => `${name} ${mb(kb)}`)
    .join(', ');

export function printLargeFiles(results: LargeFileResult[]): void {
  const rows = [['file', 'lines', 'size', 'CLI wall (median)', 'runs', 'ast-grep scanner (median)', 'planted found', 'other findings']];
  for (const r of results) {
    rows.push([
      `${r.language}: ${r.path}`,
      count(r.lines),
      `${(r.bytes / 1024 / 1024).toFixed(2)} MB`,
      r.timedOut ? `> ${seconds(LARGE_FILE_TIMEOUT_MS)} (stopped)` : seconds(r.medianMs),
      r.runsMs.map((x) => seconds(x)).join(', '),
      `${seconds(r.scannerMs)} (${r.scanStatus})`,
      `${r.found} / ${r.planted}`,
      count(r.otherFindings),
    ]);
  }
  say(indent(table(rows, [1, 2, 3, 5, 6, 7])));
  say(`  targets: ≤ ${seconds(CLI_TARGETS.largeFileMs)} each, every planted finding reported at its line with its rule. Up to 3 runs; a run over ${CLEAR_MISS}x the target in both wall and CPU time is not repeated.`);
  for (const r of results) {
    if (r.missing.length > 0) say(`  ${r.language}: not reported: ${r.missing.slice(0, 8).map((m) => `${m.ruleId} at line ${m.line}`).join(', ')}${r.missing.length > 8 ? `, … (${r.missing.length})` : ''}`);
  }
}

export function printStartup(s: StartupResult): void {
  say(`  a repository with one commit changing one small file; ${s.runs} whole-process runs of the CLI, interleaved with the probes below`);
  say(`  CLI review: median ${ms(s.medianMs)} [${s.cliMs.map((x) => ms(x)).join(', ')}] (target ≤ ${ms(CLI_TARGETS.startupMs)}); CPU time of its process tree ${ms(s.cpuMs)} (median)`);
  say(`  node -e 0: ${ms(s.nodeBareMs)}; node dist/cli.js --version (node + loading the bundle): ${ms(s.versionMs)}; import('dist/cli.js') inside a running node: ${ms(s.importMs)} (medians)`);
  say(`  peak RSS (process tree, medians): node -e 0 ${mb(s.rssKb.nodeBare)}; node dist/cli.js --version ${mb(s.rssKb.version)}; the CLI review ${mb(s.rssKb.cli)}`);
  const kb = (files: { bytes: number }[]): string => `${(files.reduce((n, f) => n + f.bytes, 0) / 1024 / 1024).toFixed(1)} MB`;
  say(`  loaded with dist/cli.js before anything runs: ${s.bundle.staticFiles.length} files, ${kb(s.bundle.staticFiles)} (${s.bundle.staticFiles.slice(0, 4).map((f) => `${f.path} ${(f.bytes / 1024).toFixed(0)} KB`).join(', ')})`);
  if (s.bundle.lazyFiles.length > 0) say(`  loaded later, on first use (dynamic import): ${s.bundle.lazyFiles.map((f) => `${f.path} ${(f.bytes / 1024).toFixed(0)} KB`).join(', ')}`);
  say(`  where the time goes (medians of ${s.timelineRuns} runs with bench/cli-timeline.mjs preloaded and --verbose; shares of their sum):`);
  printSegments(s.segments, s.segments.reduce((n, x) => n + (Number.isFinite(x.ms) ? x.ms : 0), 0));
}

export function cliSummaryRows(result: CliBenchResult): string[][] {
  const rows: string[][] = [];
  const r = result.realCode;
  if (r) {
    rows.push([
      `CLI end to end, real code (${count(r.files)} files): wall CLI / ast-grep`,
      `≤ ${CLI_TARGETS.wallRatio}x`,
      `${ratio(r.cli.wallMs, r.direct.wallMs)} (${ms(r.cli.wallMs)} / ${ms(r.direct.wallMs)}, medians of ${r.cli.runs.length}; CPU ${ratio(r.cli.cpuMs, r.direct.cpuMs)})`,
      `${r.cli.wallMs <= CLI_TARGETS.wallRatio * r.direct.wallMs ? 'OK' : 'MISSED'}${noisy(r.cli.runs) || noisy(r.direct.runs) ? ' (noisy, see [7])' : ''}`,
    ]);
    rows.push([
      'CLI end to end, real code: peak RSS (process tree)',
      `≤ 2 × ast-grep + 100 MB`,
      `${mb(r.cli.treePeakKb)} vs ${mb(rssTargetKb(r.direct.treePeakKb))} (ast-grep ${mb(r.direct.treePeakKb)})`,
      r.cli.treePeakKb <= rssTargetKb(r.direct.treePeakKb) ? 'OK' : 'MISSED',
    ]);
  }
  for (const f of result.largeFiles ?? []) {
    rows.push([
      `one ${count(f.lines)}-line ${f.language} file through the CLI`,
      `≤ ${seconds(CLI_TARGETS.largeFileMs)}`,
      f.timedOut ? `> ${seconds(LARGE_FILE_TIMEOUT_MS)} (stopped)` : `${seconds(f.medianMs)} (${f.runsMs.length === 1 ? '1 run' : `median of ${f.runsMs.length}`}; ast-grep scanner ${seconds(f.scannerMs)})`,
      !f.timedOut && f.medianMs <= CLI_TARGETS.largeFileMs ? 'OK' : 'MISSED',
    ]);
    rows.push([`one ${count(f.lines)}-line ${f.language} file: planted findings reported`, `${f.planted} / ${f.planted}`, `${f.found} / ${f.planted}${f.otherFindings ? ` (+${f.otherFindings} other)` : ''}`, f.found === f.planted ? 'OK' : 'MISSED']);
  }
  const s = result.startup;
  if (s) {
    rows.push([
      'CLI startup, tiny repository (whole process)',
      `≤ ${ms(CLI_TARGETS.startupMs)}`,
      `${ms(s.medianMs)} (median of ${s.runs}; CPU ${ms(s.cpuMs)}; node alone ${ms(s.nodeBareMs)}, node + loading the bundle ${ms(s.versionMs)})`,
      s.medianMs <= CLI_TARGETS.startupMs ? 'OK' : 'MISSED',
    ]);
  }
  for (const failure of result.failures) rows.push([failure.split(':')[0]!, 'measured', `FAILED: ${failure.slice(failure.indexOf(':') + 1).trim().split('\n')[0]}`, 'FAILED']);
  return rows;
}

/** [7]–[9] in order; a section that throws is printed and counted as a missed target, the others still run. */
export async function runCliSections(options: { runs: number }): Promise<CliBenchResult> {
  const result: CliBenchResult = { failures: [] };
  const section = async <T>(title: string, label: string, run: () => Promise<T>, print: (value: T) => void): Promise<T | undefined> => {
    say(title);
    const started = performance.now();
    try {
      const value = await run();
      print(value);
      return value;
    } catch (error) {
      say(`  FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      result.failures.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    } finally {
      say(`  section wall time ${ms(performance.now() - started)}`);
      say();
    }
  };
  if (!existsSync(DIST_CLI)) {
    result.failures.push(`CLI sections [7]–[9]: ${relative(REPO_ROOT, DIST_CLI)} does not exist (run npm run build)`);
    say(`[7]–[9] not run: ${relative(REPO_ROOT, DIST_CLI)} does not exist; run npm run build first.`);
    say();
    return result;
  }
  say('The CLI as a process (node dist/cli.js)');
  printCliPreamble();
  say();
  result.realCode = await section(
    `[7] CLI end to end on real code vs ast-grep alone (alternating, ${options.runs} runs each)`,
    'CLI end to end, real code',
    () => runRealCodeBench(options.runs),
    printRealCode,
  );
  result.largeFiles = await section(
    `[8] One large added file through the CLI: ${count(LARGE_FILE_LINES)} lines of JavaScript, then of Python, ${LARGE_FILE_PLANTS} planted findings each`,
    'large files',
    () => runLargeFileBench(3),
    printLargeFiles,
  );
  result.startup = await section(`[9] CLI startup on a tiny repository (${options.runs} runs)`, 'CLI startup', () => runStartupBench(options.runs), printStartup);
  return result;
}
