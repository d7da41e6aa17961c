/**
 * `npm run bench`: builds a 3,000-file synthetic pull request, runs the action on it in-process against the GitHub simulator, runs
 * the CLI path on the same change, times diff parsing and line mapping, and compares the ast-grep scanner with the ast-grep binary
 * run directly, times the Docker MCP gateway (skipped without an engine), compares the Claude tokens of the tiering with whole-diff
 * review and times the local drafts (loopback servers); then runs the built CLI (dist/cli.js) as a process: end to end on real code
 * against ast-grep alone, on two 50,000-line files, and its startup. bench/README.md says what each figure means.
 *
 * Exit code: 1 when a target of the summary is missed (or could not be measured), 0 when all hold; rows marked "info" never count.
 *
 * Options: --seed N (another synthetic PR of the same shape), --rounds N (rounds of the scan comparison, default 3), --runs N (runs
 * of each side in [7], [9] and [10], default 5), --only models (the setup, the CLI path [2] for the analysis, and the models section
 * [6]), --only cli (the CLI sections [7]–[9] only: no simulator), --only sandbox (the sandbox section [10] only), --only mcp (the MCP audit section [11] only),
 * --only mcp-live (the MCP audit's live checks [12] only: tool-description check per stdio server in the sandbox, ramparts scan through
 * the stand-in gateway).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { git } from '../__tests__/support/git-fixture.js';
import { resolveConfig } from '../src/config/load.js';
import { runActionInProcess } from './action-run.js';
import { runCliPath } from './cli-run.js';
import { runDiffBench } from './diff-bench.js';
import { printGateway, runGatewayBench } from './gateway-bench.js';
import { cliSummaryRows, runCliSections } from './cli-bench.js';
import { checkPublishing, missedTargets, printAction, printCli, printDiff, printScan, printSetup, printSummary, say } from './report.js';
import { buildFixturePrs, modelsSummaryRows, printModels, runModelsBench, syntheticPr, type ModelsBenchResult } from './models-bench.js';
import { mcpSummaryRows, printMcpAudit, runMcpAuditBench } from './mcp-audit-bench.js';
import { mcpLiveSummaryRows, printMcpLive, runMcpLiveBench } from './mcp-live-bench.js';
import { MemorySampler } from './rss.js';
import { runScanBench } from './scan-bench.js';
import { printSandbox, runSandboxBench, sandboxSummaryRows, type SandboxBenchResult } from './sandbox-bench.js';
import { startSimulatorProcess, type SimulatorProcess } from './simulator.js';
import { mb, ms, table } from './stats.js';
import { type Analysis } from '../src/triage.js';

/** GitHub's pacing (1 write/s) would dominate Publish; the bench measures the action, not the pacing. */
const THROTTLE = { writeMinTimeMs: 0, notificationMinTimeMs: 0 };

/** A checkout of the head commit: what actions/checkout leaves (the merge commit) when the base has not moved since. */
async function checkoutHead(repoDir: string, headSha: string): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'uc-bench-workspace-'));
  await git(workspace, ['clone', '--quiet', '--no-checkout', repoDir, '.']);
  await git(workspace, ['checkout', '--quiet', '--detach', headSha]);
  return workspace;
}

const indent = (text: string): string =>
  text
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');

const loadAverage = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

/**
 * [6] Claude tokens, tiered vs whole diff, and local drafts, on the synthetic PR (the CLI path's analysis) and two small fixture PRs.
 * A failure here is printed and does not stop the bench.
 */
async function modelsSection(synthetic: Analysis, seed: number): Promise<ModelsBenchResult | undefined> {
  say('[6] Models: Claude input tokens, tiered (verifyStage) vs the whole diff; local drafts (draftStage); loopback servers');
  const fixtures = await buildFixturePrs(seed).catch((error: unknown) => error);
  if (!('prs' in (fixtures as object))) {
    say(`  FAILED to build the fixture PRs: ${fixtures instanceof Error ? fixtures.message : String(fixtures)}`);
    say();
    return undefined;
  }
  const { prs, cleanup } = fixtures as Awaited<ReturnType<typeof buildFixturePrs>>;
  try {
    const models = await runModelsBench([syntheticPr(synthetic), ...prs], resolveConfig({ inputs: {} }));
    printModels(models);
    return models;
  } catch (error) {
    say(`  FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return undefined;
  } finally {
    await cleanup();
    say();
  }
}

/** [10] The sandbox: the fixture's tests on the host vs in the Docker sandbox. A failure is printed and counted as a missed target. */
async function sandboxSection(runs: number): Promise<SandboxBenchResult> {
  say(`[10] Sandbox: a fixture project's \`node --test\` on the host vs through createDockerSandbox → run (median of ${Math.max(5, runs)} each)`);
  const result = await runSandboxBench({ runs }).catch((error: unknown): SandboxBenchResult => ({
    runs: 0, directMs: [], sandboxMs: [], firstOutputMs: [], image: '?', imageMs: 0, failure: error instanceof Error ? error.message : String(error),
  }));
  printSandbox(result);
  say();
  return result;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seed: { type: 'string' }, rounds: { type: 'string' }, runs: { type: 'string' }, only: { type: 'string' } } });
  const only = values.only;
  const known = ['models', 'cli', 'sandbox', 'mcp', 'mcp-live'];
  if (only !== undefined && !known.includes(only)) throw new Error(`--only: unknown section "${only}" (known: ${known.join(', ')})`);
  const seed = Number(values.seed ?? 20_240_101);
  const rounds = Math.max(1, Number(values.rounds ?? 3));
  const runs = Math.max(1, Number(values.runs ?? 5));
  /** Prints the summary table and sets the exit code from it. */
  const summary = (rows: string[][]): void => {
    say('Summary');
    say(indent(table([['figure', 'target', 'measured', ''], ...rows])));
    reportMissed(rows);
  };
  const benchStarted = performance.now();
  const sampler = MemorySampler.start();
  let sim: SimulatorProcess | undefined;
  const cleanup: string[] = [];
  try {
    say(`ultra-create bench: node ${process.version}, ${process.platform}-${process.arch}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? '?'}), seed ${seed}`);
    say(`load average before: ${loadAverage()} (other work on the machine makes every figure noisier)`);
    say();
    if (only === 'mcp-live') {
      const mcpLive = await runMcpLiveBench(Math.max(1, Number(values.runs ?? 3)));
      printMcpLive(mcpLive);
      say();
      summary(mcpLiveSummaryRows(mcpLive));
      say();
      say(`bench wall time: ${ms(performance.now() - benchStarted)}; load average after: ${loadAverage()}`);
      return;
    }
    if (only === 'mcp') {
      const mcp = await runMcpAuditBench(runs);
      printMcpAudit(mcp);
      summary(mcpSummaryRows(mcp));
      say();
      say(`bench wall time: ${ms(performance.now() - benchStarted)}; load average after: ${loadAverage()}`);
      return;
    }
    if (only === 'sandbox') {
      const sandbox = await sandboxSection(runs);
      summary(sandboxSummaryRows(sandbox));
      say();
      say(`bench wall time: ${ms(performance.now() - benchStarted)}; load average after: ${loadAverage()}`);
      return;
    }
    if (only === 'cli') {
      const cliProcess = await runCliSections({ runs });
      summary(cliSummaryRows(cliProcess));
      say();
      say(`bench wall time: ${ms(performance.now() - benchStarted)}; load average after: ${loadAverage()}`);
      return;
    }
    const setupStarted = performance.now();
    sim = await startSimulatorProcess(seed);
    const { ready } = sim;
    // The simulator (and the git processes it starts) is GitHub's cost: never counted.
    const notCounted = [sim.pid];
    const phase = (name: string | undefined): Promise<void> => sampler.phase(name, notCounted);
    await phase(undefined);
    const workspace = await checkoutHead(ready.fixture.dir, ready.fixture.headSha);
    cleanup.push(workspace);
    printSetup(ready, performance.now() - setupStarted, THROTTLE);
    say();

    // [2], in both the full run and --only models (whose section [6] analyses the synthetic PR through it).
    const cliSection = async () => {
      say('[2] The CLI path on the same change (runReview with the CLI\'s ports: createLocalGitChangeSource on a checkout of the head, text report)');
      await phase('cli');
      const cli = await runCliPath(ready.fixture.dir, ready.fixture.baseSha, ready.fixture.headSha);
      cleanup.push(cli.tempDir);
      await phase(undefined);
      printCli(cli, (await sampler.report()).phases.find((p) => p.name === 'cli'));
      say();
      return cli;
    };

    if (only === 'models') {
      const cli = await cliSection();
      const models = await modelsSection(cli.analysis, seed);
      summary(modelsSummaryRows(models));
      say();
      say(`bench wall time: ${ms(performance.now() - benchStarted)}; load average after: ${loadAverage()}`);
      return;
    }

    say('[1] The action in-process (runAction, outputs captured) against the simulator');
    await phase('action');
    const action = await runActionInProcess({ simUrl: ready.url, fixture: ready.fixture, workspace, throttle: THROTTLE, inputs: { 'fail-on': 'none' } });
    cleanup.push(action.runnerTemp);
    await phase(undefined);
    const state = await sim.state();
    const check = checkPublishing(state, Number(action.outputs.findings ?? NaN));
    const actionMemory = (await sampler.report()).phases.find((p) => p.name === 'action');
    printAction(action, state, actionMemory, check);
    say();

    const cli = await cliSection();

    say('[3] Diff parsing + line mapping (src/github/diff.ts) on the patches GitHub lists');
    const diff = runDiffBench(ready.files, cli.analysis.findings);
    printDiff(diff);
    say();

    say(`[4] Scanning: runAstGrepScan vs the ast-grep binary directly, same files and rules (median of ${rounds})`);
    await phase('scan');
    const scan = await runScanBench({ workDir: cli.analysis.change.tree.root, files: [...cli.analysis.change.tree.files], rounds });
    await phase(undefined);
    const memory = await sampler.report();
    printScan(scan, memory.phases.find((p) => p.name === 'scan'));
    say();

    say('[5] Docker MCP gateway: startGateway → callTool → close, and cleanupRun after a crash (src/runtime, stand-in image)');
    const gateway = await runGatewayBench();
    printGateway(gateway);
    say();

    const models = await modelsSection(cli.analysis, seed);

    // The built CLI as a process; the memory sampler has no phase open: these sections measure their processes themselves.
    const cliProcess = await runCliSections({ runs });

    const sandbox = await sandboxSection(runs);

    const mcp = await runMcpAuditBench(runs);
    printMcpAudit(mcp);

    const astGrepPeak = Math.max(0, ...memory.phases.map((p) => p.children['ast-grep']?.peakKb ?? 0));
    say('Memory');
    say(`  bench process, lifetime peak (process.resourceUsage().maxRSS): ${mb(process.resourceUsage().maxRSS)}; it also holds the listing, the CLI analysis and the diff-bench data.`);
    say(`  ast-grep, largest single process: ${mb(astGrepPeak)}. The simulator process is not counted. ${sampler.unavailable ?? 'Sampled from /proc every 10 ms by a separate process.'}`);
    say();

    const rows = printSummary({ action, cli, diff, scan, check, actionMemory, gateway, models, cliProcess: cliSummaryRows(cliProcess), sandbox: sandboxSummaryRows(sandbox), mcp: mcpSummaryRows(mcp) });
    reportMissed(rows);
    say();
    say(`bench wall time: ${ms(performance.now() - benchStarted)}; load average after: ${loadAverage()}`);
  } finally {
    sampler.stop();
    await sim?.close();
    for (const dir of cleanup) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** A missed target makes the exit code 1; the summary says which. */
function reportMissed(rows: string[][]): void {
  const missed = missedTargets(rows);
  say();
  if (missed.length === 0) {
    say('All targets hold (rows marked "info" are not targets): exit code 0.');
    return;
  }
  say(`${missed.length} target(s) missed or not measured: ${missed.map((row) => row[0]!.trim()).join('; ')}. Exit code 1.`);
  process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
