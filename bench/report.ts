/** What the bench prints, section by section. */
import { cpus } from 'node:os';
import type { ActionRunResult } from './action-run.js';
import type { CliRunResult } from './cli-run.js';
import type { DiffBenchResult } from './diff-bench.js';
import { gatewaySummaryRows, type GatewayBenchResult } from './gateway-bench.js';
import { modelsSummaryRows, type ModelsBenchResult } from './models-bench.js';
import type { PhaseMemory } from './rss.js';
import type { ScanBenchResult, Variant } from './scan-bench.js';
import type { ReadyMessage, StateMessage } from './sim-protocol.js';
import { count, mb, ms, table } from './stats.js';
import { INPUT } from '../src/config/inputs.js';
import { DEFAULTS } from '../src/config/table.js';

export const TARGETS = { diffMs: 1000, scanRatio: 1.2 };
const ANNOTATIONS_PER_REQUEST = 50;
/** Fastest-to-slowest spread of one variant's runs above which the scan figures are flagged as noisy. */
const NOISY_SPREAD = 1.25;

export const say = (text = ''): void => {
  process.stdout.write(`${text}\n`);
};

const indent = (text: string, by = '  '): string =>
  text
    .split('\n')
    .map((line) => (line ? by + line : line))
    .join('\n');

const clip = (text: string, max = 160): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/** Processes the bench starts that are not the action's. */
const NOT_THE_ACTION: Readonly<Record<string, string>> = { esbuild: "tsx's TypeScript transpiler, bench only" };

export function memoryLine(phase: PhaseMemory | undefined): string {
  if (!phase) return 'not sampled';
  const children = Object.entries(phase.children)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([comm, c]) => `${comm} ${mb(c.peakKb)} (largest of ${c.processes} process(es)${NOT_THE_ACTION[comm] ? `; ${NOT_THE_ACTION[comm]}` : ''})`);
  return [`bench process (node) ${mb(phase.mainPeakKb)} (${mb(phase.mainStartKb)} when the phase began)`, ...children].join('; ');
}

export function printSetup(ready: ReadyMessage, setupMs: number, throttle: { writeMinTimeMs: number; notificationMinTimeMs: number }): void {
  const added = ready.files.reduce((n, f) => n + f.additions, 0);
  const deleted = ready.files.reduce((n, f) => n + f.deletions, 0);
  const statuses = new Map<string, number>();
  for (const f of ready.files) statuses.set(f.status, (statuses.get(f.status) ?? 0) + 1);
  say('Synthetic pull request');
  say(`  planned: ${Object.entries(ready.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  say(`  listed by GitHub: ${count(ready.files.length)} files (${[...statuses].map(([k, v]) => `${k} ${v}`).join(', ')}), ${count(ready.files.filter((f) => f.patch !== undefined).length)} with a patch`);
  say(`  +${count(added)} / -${count(deleted)} lines; rule-triggering lines written: ${ready.triggersInAddedCode} in added code (${((ready.triggersInAddedCode / added) * 100).toFixed(2)} % of added lines), ~${ready.triggersInUnchangedCode} in unchanged code`);
  say(`  built in ${ms(setupMs)}: plan ${ms(ready.timings.planMs)}, git fast-import + diff ${ms(ready.timings.fixtureMs)}, simulator ${ms(ready.timings.simulatorMs)}, workspace checkout (head commit) the rest`);
  say('  GitHub simulator in its own process, rate limits OFF (primaryRateLimit: false, secondaryRateLimit: false).');
  say(`  Octokit pacing LOWERED to writeMinTimeMs ${throttle.writeMinTimeMs}, notificationMinTimeMs ${throttle.notificationMinTimeMs} (GitHub's: 1 write/s, 1 notifying write per 3 s).`);
}

export interface PublishCheck {
  checkRunRequests: number;
  annotations: number;
  expectedCheckRunRequests: number;
  reviewPosts: number;
  inlineComments: number;
  findings: number;
  ok: boolean;
}

export function checkPublishing(state: StateMessage, findings: number): PublishCheck {
  const checkRunRequests = state.requests.filter(
    (r) => (r.method === 'POST' || r.method === 'PATCH') && /\/check-runs(\/\{check_run_id\})?$/.test(r.route),
  ).length;
  const annotations = state.checkRuns.reduce((n, c) => n + c.annotations, 0);
  const reviewPosts = state.requests.filter((r) => r.method === 'POST' && r.route.endsWith('/pulls/{pull_number}/reviews')).length;
  // The create (in progress, no annotations: Claude's verdicts can still change them), then the annotations 50 per update.
  const expectedCheckRunRequests = 1 + Math.max(1, Math.ceil(annotations / ANNOTATIONS_PER_REQUEST));
  const inlineComments = state.reviews.reduce((n, r) => n + r.comments, 0);
  return {
    checkRunRequests,
    annotations,
    expectedCheckRunRequests,
    reviewPosts,
    inlineComments,
    findings,
    // Every finding is annotated up to the max-annotations cap (its default here); the summary and the SARIF file hold the rest.
    ok: checkRunRequests === expectedCheckRunRequests && reviewPosts === 1 && annotations === Math.min(findings, Number(DEFAULTS[INPUT.maxAnnotations])),
  };
}

const okOr = (ok: boolean, otherwise = 'MISMATCH'): string => (ok ? 'OK' : otherwise);

export function printAction(run: ActionRunResult, state: StateMessage, memory: PhaseMemory | undefined, check: PublishCheck): void {
  const staged = run.stages.reduce((n, s) => n + s.ms, 0);
  const rows = [
    ['stage', 'wall', 'waiting for the API', 'calls'],
    ...run.stages.map((s) => [s.name, ms(s.ms), ms(s.apiMs), String(s.apiCalls)]),
    ['results (outputs, summary, SARIF) + cleanup', ms(run.wallMs - staged), '', ''],
    ['total (runAction)', ms(run.wallMs), '', ''],
  ];
  say(indent(table(rows, [1, 2, 3])));
  say(`  CPU time: node ${ms(run.cpu.nodeMs)}, processes it started (ast-grep, git) ${ms(run.cpu.childrenMs)}; the simulator's is not counted`);
  say();
  const lines = run.logger.lines;
  const warnings = lines.filter((l) => l.level === 'warning').map((l) => l.message);
  const errors = lines.filter((l) => l.level === 'error').map((l) => l.message);
  for (const pattern of [/changed file\(s\):/, /^ast-grep: \d+ finding/]) {
    const line = lines.find((l) => pattern.test(l.message));
    if (line) say(`  ${line.message}`);
  }
  const o = run.outputs;
  say(`  outputs: findings=${o.findings ?? '?'} critical=${o.critical ?? '?'} conclusion=${o.conclusion ?? '?'} review-id=${o['review-id'] ?? '-'} check-run-id=${o['check-run-id'] ?? '-'}`);
  say(`  step failed: ${run.failed ?? 'no'}; job summary ${count(run.summaryChars)} chars; workflow commands ${run.workflowCommands}; log: ${warnings.length} warning(s), ${errors.length} error(s)`);
  for (const w of warnings.slice(0, 3)) say(`    warning: ${clip(w)}`);
  for (const e of errors.slice(0, 3)) say(`    error: ${clip(e)}`);
  say(`  peak memory during the action: ${memoryLine(memory)}`);
  say();

  const byRoute = new Map<string, { calls: number; statuses: Map<number, number> }>();
  for (const r of state.requests) {
    const key = `${r.method} ${r.route}`;
    const entry = byRoute.get(key) ?? { calls: 0, statuses: new Map<number, number>() };
    entry.calls++;
    entry.statuses.set(r.status, (entry.statuses.get(r.status) ?? 0) + 1);
    byRoute.set(key, entry);
  }
  const routeRows = [...byRoute].map(([key, e]) => [key, String(e.calls), [...e.statuses].map(([status, n]) => `${status}×${n}`).join(' ')]);
  say(indent(table([['API call (route as the simulator matched it)', 'calls', 'status'], ...routeRows, ['total', String(state.requests.length), '']], [1])));
  for (const r of state.requests.filter((x) => x.status >= 400).slice(0, 5)) say(`    ${r.method} ${r.route} → ${r.status}${r.detail ? `: ${r.detail}` : ''}`);
  const writes = state.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD').length;
  say(`  writes: ${writes}. With GitHub's pacing (1 write/s) Publish would take about ${writes} × 1 s = ${writes} s longer; the bench lowers it to 0 ms.`);
  const violations = state.violations.slice(0, 3).map((v) => `${v.method} ${v.path}: ${v.messages.join('; ')}`);
  say(`  requests GitHub's API description rejects: ${state.violations.length}${violations.length > 0 ? ` (${violations.join(' | ')})` : ''}`);
  say(
    `  publishing: check-run POST/PATCH = ${check.checkRunRequests} vs 1 create + ceil(${check.annotations} annotations / 50) = ${check.expectedCheckRunRequests} → ${okOr(check.checkRunRequests === check.expectedCheckRunRequests)}; ` +
      `review POST = ${check.reviewPosts} → ${okOr(check.reviewPosts === 1)}; annotations = findings up to the cap of ${DEFAULTS[INPUT.maxAnnotations]} (${check.findings}) → ${okOr(check.annotations === Math.min(check.findings, Number(DEFAULTS[INPUT.maxAnnotations])))}; ` +
      `inline comments ${check.inlineComments} (max-comments ${run.inputs['max-comments']})`,
  );
}

export function printCli(run: CliRunResult, memory: PhaseMemory | undefined): void {
  const staged = run.stages.reduce((n, s) => n + s.ms, 0);
  const rows = [
    ['stage', 'wall'],
    ...run.stages.map((s) => [s.name, ms(s.ms)]),
    ['buildReviewReport + renderText', ms(run.reportMs)],
    ['other (revisions, config)', ms(run.wallMs - staged - run.reportMs)],
    ['total', ms(run.wallMs)],
  ];
  say(indent(table(rows, [1])));
  say(`  CPU time: node ${ms(run.cpu.nodeMs)}, processes it started (ast-grep, git) ${ms(run.cpu.childrenMs)}`);
  const collect = run.stages.find((st) => st.name === 'Collect')?.ms ?? NaN;
  const inSource = Object.values(run.sourceMs).reduce((n, v) => n + v, 0);
  const parts = Object.entries(run.sourceMs).map(([name, v]) => `${name} ${ms(v)}`);
  say(`  Collect: git (ChangeSource) ${ms(inSource)} [${parts.join(', ')}]; collectChange's own work (skip rules, the head tree) ${ms(collect - inSource)}`);
  const { change, findings } = run.analysis;
  say(`  ${count(change.files.length)} files, ${count(change.reviewable.length)} reviewed, ${change.skipped.length} not reviewed; ${findings.length} finding(s)`);
  say(`  peak memory: ${memoryLine(memory)}`);
}

export function printDiff(result: DiffBenchResult): void {
  say(`  ${count(result.patches)} patches (${(result.patchBytes / 1024 / 1024).toFixed(1)} MB), ${count(result.addedLines)} added lines; medians of ${result.runs} runs after a warm-up`);
  const rows = [
    ['step', 'median'],
    ['parsePatch, every patch', ms(result.parseMs)],
    ['indexParsedPatch, every patch', ms(result.indexMs)],
    [`planInlineComment for every added line (${count(result.addedLines)})`, ms(result.planAddedMs)],
    [`planInlineCommentForPath: ${count(result.findings)} real findings + ${count(result.randomRanges)} random ranges`, ms(result.planFindingsMs)],
    ['total', ms(result.totalMs)],
    [`triageFindings on the ${count(result.findings)} findings (the action runs it twice)`, ms(result.triageMs)],
  ];
  say(indent(table(rows, [1])));
  say(`  every added line anchored on itself: ${result.anchoredAll ? 'OK' : `NO (${result.anchorProblems.join('; ')})`}; ${result.inlineFindings} of ${result.findings} findings can be inline (filter-mode added)`);
}

export function printScan(result: ScanBenchResult, memory: PhaseMemory | undefined): void {
  say(`  ast-grep ${result.version} (${result.binary})`);
  say(`  ${count(result.files)} files in ${result.chunks.length} chunk(s) of ${result.chunks.join(' + ')} (chunkFiles: at most 100 KB of paths per command line), run one after the other on both sides`);
  say(`  rules: ${result.rules.builtin} built-in + ${result.rules.tsxCopies} tsx copies, from the configuration prepareBuiltinConfig writes; threads: ast-grep's default on both sides (${cpus().length} CPU(s))`);
  const d = result.direct;
  const variants = [result.scanner, ...Object.values(d).filter((v): v is Variant => v !== undefined)];
  const rows = [
    ['', 'wall median', 'fastest', 'CPU ast-grep', 'CPU node', 'runs (wall)', 'matches'],
    ...variants.map((v) => [v.label, ms(v.medianMs), ms(v.minMs), ms(v.astGrepCpuMs), ms(v.nodeCpuMs), v.runsMs.map((r) => ms(r)).join(', '), count(v.results)]),
  ];
  say(indent(table(rows, [1, 2, 3, 4, 6])));
  for (const problem of result.problems) say(`  not run: ${problem}`);
  say(
    `  ratio runAstGrepScan / direct (same chunks), wall: ${result.ratio.toFixed(2)}x of the medians (target ≤ ${TARGETS.scanRatio}x); ` +
      `per round ${result.roundRatios.map((r) => r.toFixed(2)).join(', ')}; of the fastest runs ${result.fastestRatio.toFixed(2)}x. CPU time: ${result.cpuRatio.toFixed(2)}x`,
  );
  if (result.spread > NOISY_SPREAD) {
    say(`  NOISY: one variant's runs differ by ${result.spread.toFixed(2)}x (fastest to slowest): the CPUs were shared with other work; the CPU columns are the reliable ones. Re-run on an idle machine or with --rounds 5.`);
  }
  const cpu = (a: Variant | undefined, b: Variant | undefined, side: 'astGrepCpuMs' | 'nodeCpuMs'): string => (a && b ? ms(a[side] - b[side]) : 'n/a');
  say('  where the extra work is (differences of CPU-time medians; ±30 ms is noise):');
  say(`    inside ast-grep: --include-metadata ${cpu(d.metadata, d.plain, 'astGrepCpuMs')}, --inspect entity ${cpu(d.inspect, d.plain, 'astGrepCpuMs')} (${count(result.inspectStderrBytes)} bytes of stderr, arriving in ${count(result.inspectStderrReads)} pipe reads), all the scanner's flags ${cpu(d.scannerFlags, d.plain, 'astGrepCpuMs')}`);
  say(`    in node, runAstGrep (process.ts: readline on both pipes, stripAnsi on every stderr line) vs a bare spawn: ${cpu(d.wrapper, d.scannerFlags, 'nodeCpuMs')}`);
  say(
    `    in node, scan.ts around runAstGrep: ${cpu(result.scanner, d.wrapper, 'nodeCpuMs')}, of which reading the pack + writing ${result.rules.builtin + result.rules.tsxCopies} rule files ${ms(result.configPrepMs)} (wall), ` +
      `JSON.parse + findingFromMatch for ${count(d.scannerFlags?.results ?? 0)} lines ${ms(result.parseMatchesMs)} (wall)`,
  );
  if (d.oneInvocation) {
    say(`    chunking (${result.chunks.length} processes instead of 1; both sides pay it): wall ${ms(d.plain!.minMs - d.oneInvocation.minMs)} (fastest runs), ast-grep CPU ${cpu(d.plain, d.oneInvocation, 'astGrepCpuMs')}`);
  }
  say(`  peak memory: ${memoryLine(memory)}`);
}

export function printSummary(input: {
  action: ActionRunResult;
  cli: CliRunResult;
  diff: DiffBenchResult;
  scan: ScanBenchResult;
  check: PublishCheck;
  actionMemory: PhaseMemory | undefined;
  gateway: GatewayBenchResult;
  models: ModelsBenchResult | undefined;
  /** [7]–[9]: the CLI as a process (cli-bench.ts). */
  cliProcess: string[][];
  /** [10]: the sandbox (sandbox-bench.ts). */
  sandbox?: string[][];
  mcp?: string[][];
}): string[][] {
  const { action, cli, diff, scan, check, actionMemory, gateway, models } = input;
  const stageMs = (name: string): number => action.stages.find((s) => s.name === name)?.ms ?? NaN;
  say('Summary');
  const rows = [
    ['figure', 'target', 'measured', ''],
    ['diff parse + index + mapping', `< ${ms(TARGETS.diffMs)}`, ms(diff.totalMs), okOr(diff.totalMs < TARGETS.diffMs && diff.anchoredAll, 'MISSED')],
    [
      'scan: runAstGrepScan / ast-grep direct',
      `≤ ${TARGETS.scanRatio}x`,
      `${scan.ratio.toFixed(2)}x (fastest ${scan.fastestRatio.toFixed(2)}x, CPU ${scan.cpuRatio.toFixed(2)}x)`,
      `${okOr(scan.ratio <= TARGETS.scanRatio, 'MISSED')}${scan.spread > NOISY_SPREAD ? ' (noisy, see [4])' : ''}`,
    ],
    [
      'publish calls',
      '1 review + 1 + ceil(n/50) check-run',
      `${check.reviewPosts} + ${check.checkRunRequests} (n = ${check.annotations}, expected ${check.expectedCheckRunRequests})`,
      okOr(check.ok),
    ],
    ...gatewaySummaryRows(gateway),
    ...(models ? modelsSummaryRows(models) : [['Claude tokens, whole diff / tiered', '≥ 10x', 'not measured: [6] failed', 'FAILED']]),
    ...input.cliProcess,
    ...(input.sandbox ?? []),
    ...(input.mcp ?? []),
    ['action wall time (runAction)', '-', ms(action.wallMs), `config ${ms(stageMs('Configuration'))}, collect ${ms(stageMs('Collect'))}, scan ${ms(stageMs('Scan'))}, publish ${ms(stageMs('Publish'))}`],
    ['CLI path wall time', '-', ms(cli.wallMs), ''],
    ['peak RSS during the action', '-', `node ${mb(actionMemory?.mainPeakKb)}, ast-grep ${mb(actionMemory?.children['ast-grep']?.peakKb)}`, ''],
  ];
  say(indent(table(rows)));
  return rows;
}

/**
 * The summary rows that make the bench fail: a verdict of MISSED, MISMATCH or FAILED, or a target whose figure could not be
 * measured. Rows without a target ('-') and rows marked "info" never count; neither does a section skipped for a stated reason
 * (no Docker engine).
 */
export function missedTargets(rows: readonly (readonly string[])[]): (readonly string[])[] {
  return rows.filter(([, target = '-', measured = '', verdict = '']) => {
    if (verdict.startsWith('info')) return false;
    if (/^(MISSED|MISMATCH|FAILED)/.test(verdict)) return true;
    return target !== '-' && /^(FAILED|not measured)/.test(measured);
  });
}
