/**
 * [5] The Docker MCP gateway (issue 3), through the action's own runtime: `startGateway` → `GatewayHandle.callTool` / `close`, and
 * `cleanupRun` as the `post:` step calls it. The image is the stand-in built by `__tests__/support/images.ts` (it implements the real
 * gateway's contract and runs the real ast-grep binary for its `ast-grep` tool); it is built or reused before anything is timed.
 *
 * - Cold start: from the `startGateway` call to the first successful `ast-grep` tool call, image present; median of 3 starts, each
 *   closed after (close timed on its own).
 * - Per-call overhead, two ways, calls interleaved, medians after a warm-up: the stand-in's `ramparts` `scan` tool (canned JSON from
 *   memory: gateway + transport only) against an in-process no-op; the `ast-grep` pattern tool on a small folder against the same
 *   `ast-grep run --pattern … --json=stream` run on the host with the binary the scanner resolves.
 * - Cleanup: `cleanupRun` by run id after a start that was NOT closed (a crashed main step: the container still runs), from a fresh
 *   engine client as the post step makes; median of 3. Afterwards the docker CLI (not the code measured) must find nothing labelled.
 *
 * Without a Docker engine the section is skipped with the reason; the rest of the bench runs anyway.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerCli } from '../__tests__/support/docker.js';
import { buildStandInGatewayImage } from '../__tests__/support/images.js';
import { getErrorMessage } from '../src/errors.js';
import { RecordingLogger } from '../__tests__/support/recording-logger.js';
import { AST_GREP_SERVER_ROOT, AST_GREP_TOOL, parseMatches } from '../src/scanners/mcp-patterns/scanner.js';
import { cleanupRun } from '../src/runtime/cleanup.js';
import { createDockerEngine, newRunId, RUN_LABEL, tryCreateDockerEngine, type DockerEngine } from '../src/runtime/docker-engine.js';
import { startGateway, type GatewayHandle } from '../src/runtime/mcp-gateway.js';
import { resolveAstGrepBinary } from '../src/scanners/ast-grep/binary.js';
import { count, median, ms, table } from './stats.js';

/** The action's default `mcp-servers`. */
const SERVERS = ['ast-grep', 'ramparts'];
const STARTS = 3;
const CLEANUPS = 3;
const WARM_UP = 5;
const CALLS = 50;
/** Each per-call loop stops early past this (a slow machine still finishes the section in about a minute). */
const LOOP_BUDGET_MS = 12_000;
/** No new start once the section has run this long; what was not measured says so. */
const SECTION_BUDGET_MS = 50_000;
const HEALTH_TIMEOUT_MS = 20_000;
const CALL_TIMEOUT_MS = 15_000;
const FOLDER_FILES = 40;
const PATTERN = { pattern: 'eval($X)', lang: 'typescript' };
const SCAN_ARGS = { url: 'http://127.0.0.1:1/mcp' };

/** Issue 3's targets: per-call overhead on loopback, and cleanup. */
export const GATEWAY_TARGETS = { overheadMs: 20, cleanupMs: 5_000 };

const say = (text = ''): void => {
  process.stdout.write(`${text}\n`);
};

export interface PerCall {
  label: string;
  calls: number;
  gatewayMs: number;
  gatewayMinMs: number;
  inProcessMs: number;
  inProcessMinMs: number;
  /** gatewayMs - inProcessMs (medians). */
  overheadMs: number;
  /** gatewayMs / inProcessMs (medians). */
  ratio: number;
  /** Matches per call on each side (ast-grep only): equal, or the comparison is not of the same work. */
  matches?: { gateway: number; inProcess: number };
}

export interface GatewayBenchResult {
  /** No Docker engine (or none this client can use): why. Nothing else is set. */
  skipped?: string;
  /** What broke after the engine answered; the figures measured before it are kept. */
  failure?: string;
  engine?: string;
  image?: { ref: string; reused: boolean; ms: number };
  astGrep?: { binary: string; version: string };
  coldStart?: {
    runsMs: number[];
    medianMs: number;
    /** Medians of the handle's own timings and of the first call. */
    healthyMs: number;
    connectMs: number;
    firstCallMs: number;
    closeMs: number;
    leftAfterClose: number;
  };
  trivial?: PerCall;
  patternTool?: PerCall;
  cleanup?: {
    runsMs: number[];
    medianMs: number;
    /** What one cleanup removed (the last), e.g. `1 container(s), 1 network(s), 0 volume(s)`. */
    removed: string;
    failures: string[];
    timedOut: boolean;
    /** Containers + networks + volumes still carrying a measured run's label afterwards (docker CLI). */
    leftAfter: number;
  };
  notMeasured: string[];
  wallMs: number;
}

interface Left {
  containers: number;
  networks: number;
  volumes: number;
}

/** What still carries the run label, through the docker CLI (independent of the engine client measured); the engine API otherwise. */
async function labelled(runId: string): Promise<Left> {
  const filter = `label=${RUN_LABEL}=${runId}`;
  try {
    const lines = async (args: string[]): Promise<number> => {
      const result = await dockerCli(args, { timeoutMs: 15_000 });
      if (result.code !== 0) throw new Error(result.stderr.trim());
      return result.stdout.split('\n').filter((line) => line.trim()).length;
    };
    return {
      containers: await lines(['ps', '-aq', '--filter', filter]),
      networks: await lines(['network', 'ls', '-q', '--filter', filter]),
      volumes: await lines(['volume', 'ls', '-q', '--filter', filter]),
    };
  } catch {
    const engine = createDockerEngine();
    const labels = [`${RUN_LABEL}=${runId}`];
    return {
      containers: (await engine.listContainers({ labels })).length,
      networks: (await engine.listNetworks({ labels })).length,
      volumes: (await engine.listVolumes({ labels })).length,
    };
  }
}

const total = (left: Left): number => left.containers + left.networks + left.volumes;

/** A small TypeScript project: FOLDER_FILES files, every fourth with one `eval(...)`. */
async function writeSmallFolder(dir: string): Promise<void> {
  for (let i = 0; i < FOLDER_FILES; i++) {
    const body = [
      `import { log } from '../util/log${i % 5}';`,
      '',
      `export interface Item${i} { id: number; name: string; tags: string[] }`,
      '',
      `export function load${i}(items: Item${i}[], filter: string): Item${i}[] {`,
      `  const out: Item${i}[] = [];`,
      '  for (const item of items) {',
      '    if (item.name.includes(filter) || item.tags.some((t) => t === filter)) out.push(item);',
      '  }',
      `  log('load${i}', out.length);`,
      '  return out;',
      '}',
      '',
      `export class Service${i} {`,
      '  private readonly cache = new Map<number, string>();',
      '  get(id: number): string | undefined {',
      '    return this.cache.get(id);',
      '  }',
      i % 4 === 0 ? '  run(code: string): unknown {\n    return eval(code);\n  }' : '  size(): number {\n    return this.cache.size;\n  }',
      '}',
      '',
    ].join('\n');
    const path = join(dir, 'src', `module${i % 4}`, `file${i}.ts`);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, body);
  }
}

/** The same command the ast-grep tool runs in the container, here on the host; stdout collected the same way. */
function astGrepDirect(binary: string, dir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['run', '--pattern', PATTERN.pattern, '--lang', PATTERN.lang, '--json=stream', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      // ast-grep exits 1 when nothing matches: not an error (as in the stand-in).
      if (code === 0 || (code === 1 && !stderr.trim())) resolve(stdout);
      else reject(new Error(`ast-grep exited ${code}: ${stderr.trim()}`));
    });
  });
}

/** What the in-process side of the trivial comparison does: answer the same canned JSON from memory. */
function inProcessNoop(args: { url: string }): Promise<string> {
  const answer = JSON.stringify({
    url: args.url,
    status: 'Success',
    timestamp: new Date(0).toISOString(),
    response_time_ms: 0,
    server_info: null,
    tools: [],
    resources: [],
    prompts: [],
    security_issues: null,
    yara_results: [],
    errors: [],
  });
  return Promise.resolve(answer);
}

const timed = async <T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
};

/** Alternates the two sides call by call (drift hits both alike); WARM_UP calls of each first, then up to CALLS each. */
async function compare(
  label: string,
  viaGateway: () => Promise<string>,
  inProcess: () => Promise<string>,
  countMatches?: (text: string) => number,
): Promise<PerCall> {
  for (let i = 0; i < WARM_UP; i++) {
    await viaGateway();
    await inProcess();
  }
  const gateway: number[] = [];
  const local: number[] = [];
  const matches = { gateway: new Set<number>(), inProcess: new Set<number>() };
  const loopStarted = performance.now();
  for (let i = 0; i < CALLS && (i < 5 || performance.now() - loopStarted < LOOP_BUDGET_MS); i++) {
    const g = await timed(viaGateway);
    const l = await timed(inProcess);
    gateway.push(g.ms);
    local.push(l.ms);
    if (countMatches) {
      matches.gateway.add(countMatches(g.value));
      matches.inProcess.add(countMatches(l.value));
    }
  }
  const gatewayMs = median(gateway);
  const inProcessMs = median(local);
  const only = (set: Set<number>): number => (set.size === 1 ? [...set][0]! : NaN);
  return {
    label,
    calls: gateway.length,
    gatewayMs,
    gatewayMinMs: Math.min(...gateway),
    inProcessMs,
    inProcessMinMs: Math.min(...local),
    overheadMs: gatewayMs - inProcessMs,
    ratio: gatewayMs / inProcessMs,
    matches: countMatches ? { gateway: only(matches.gateway), inProcess: only(matches.inProcess) } : undefined,
  };
}

export async function runGatewayBench(): Promise<GatewayBenchResult> {
  const sectionStarted = performance.now();
  const result: GatewayBenchResult = { notMeasured: [], wallMs: 0 };
  const done = (): GatewayBenchResult => ({ ...result, wallMs: performance.now() - sectionStarted });

  // 1. An engine, or the reason there is none.
  const attempt = tryCreateDockerEngine();
  if (!attempt.engine) return { ...done(), skipped: attempt.problem };
  const probe: DockerEngine = attempt.engine;
  try {
    const version = await probe.ping();
    result.engine = `Docker ${version.version} (API ${version.apiVersion}, ${version.os}/${version.arch}) at ${probe.host}`;
  } catch (error) {
    return { ...done(), skipped: getErrorMessage(error) };
  }
  if (!probe.socketPath) return { ...done(), skipped: `the engine at ${probe.host} is not reached through a unix socket, which the gateway needs` };

  const runIds: string[] = [];
  const open: GatewayHandle[] = [];
  let scratch: string | undefined;
  try {
    // 2. Image present before anything is timed; the folder the gateway may read; the host's ast-grep.
    const building = performance.now();
    const image = await buildStandInGatewayImage().catch((error: unknown) => {
      throw new Error(`the stand-in gateway image could not be built: ${getErrorMessage(error)}`);
    });
    result.image = { ref: image.ref, reused: image.reused, ms: performance.now() - building };
    const binary = await resolveAstGrepBinary({ env: process.env, logger: new RecordingLogger() });
    result.astGrep = { binary: binary.path, version: binary.version };
    scratch = await mkdtemp(join(tmpdir(), 'uc-bench-gateway-'));
    const workDir = join(scratch, 'head');
    await writeSmallFolder(workDir);
    const countMatches = (text: string): number => parseMatches(text).length;

    const start = async (runId: string): Promise<GatewayHandle> => {
      runIds.push(runId);
      const gateway = await startGateway(createDockerEngine({ runId }), {
        image: image.ref,
        servers: SERVERS,
        runId,
        workDir,
        logger: new RecordingLogger(),
        tempDir: scratch,
        healthTimeoutMs: HEALTH_TIMEOUT_MS,
        callTimeoutMs: CALL_TIMEOUT_MS,
      });
      open.push(gateway);
      return gateway;
    };
    const closeGateway = async (gateway: GatewayHandle): Promise<number> => {
      const closing = await timed(() => gateway.close());
      open.splice(open.indexOf(gateway), 1);
      return closing.ms;
    };
    const patternCall = async (gateway: GatewayHandle): Promise<string> =>
      (await gateway.callTool(AST_GREP_TOOL, { ...PATTERN, dir: AST_GREP_SERVER_ROOT })).text;
    const overBudget = (): boolean => performance.now() - sectionStarted > SECTION_BUDGET_MS;
    const expected = countMatches(await astGrepDirect(binary.path, workDir));

    // 3. Cold starts.
    const cold = { runs: [] as number[], healthy: [] as number[], connect: [] as number[], firstCall: [] as number[], close: [] as number[], left: 0 };
    for (let i = 0; i < STARTS; i++) {
      if (overBudget()) {
        result.notMeasured.push(`cold starts ${i + 1}-${STARTS} (section budget)`);
        break;
      }
      const runId = newRunId();
      const started = performance.now();
      const gateway = await start(runId);
      const callStarted = performance.now();
      const text = await patternCall(gateway);
      const ended = performance.now();
      if (countMatches(text) !== expected) throw new Error(`the first ast-grep call through the gateway found ${countMatches(text)} match(es), the host run ${expected}`);
      cold.runs.push(ended - started);
      cold.healthy.push(gateway.timings.healthyMs);
      cold.connect.push(gateway.timings.connectMs);
      cold.firstCall.push(ended - callStarted);
      cold.close.push(await closeGateway(gateway));
      cold.left += total(await labelled(runId));
    }
    if (cold.runs.length > 0) {
      result.coldStart = {
        runsMs: cold.runs,
        medianMs: median(cold.runs),
        healthyMs: median(cold.healthy),
        connectMs: median(cold.connect),
        firstCallMs: median(cold.firstCall),
        closeMs: median(cold.close),
        leftAfterClose: cold.left,
      };
    }

    // 4. Per-call overhead on one warm gateway.
    if (overBudget()) result.notMeasured.push('per-call overhead (section budget)');
    else {
      const gateway = await start(newRunId());
      result.trivial = await compare(
        "ramparts 'scan' (canned JSON from memory) vs an in-process no-op",
        async () => (await gateway.callTool('scan', SCAN_ARGS)).text,
        () => inProcessNoop(SCAN_ARGS),
      );
      result.patternTool = await compare(
        `'${AST_GREP_TOOL}' ${PATTERN.pattern} on ${FOLDER_FILES} files vs ast-grep run on the host`,
        () => patternCall(gateway),
        () => astGrepDirect(binary.path, workDir),
        countMatches,
      );
      await closeGateway(gateway);
    }

    // 5. Cleanup after a crash: started, never closed.
    const cleanup = { runs: [] as number[], removed: '', failures: [] as string[], timedOut: false, left: 0 };
    for (let i = 0; i < CLEANUPS; i++) {
      if (overBudget()) {
        result.notMeasured.push(`cleanups ${i + 1}-${CLEANUPS} (section budget)`);
        break;
      }
      const runId = newRunId();
      const gateway = await start(runId);
      await gateway.callTool('scan', SCAN_ARGS);
      // The post step: a fresh engine client that knows nothing but the run id.
      const { value: report, ms: cleanupMs } = await timed(() => cleanupRun(createDockerEngine(), runId, new RecordingLogger(), { timeoutMs: 30_000 }));
      cleanup.runs.push(cleanupMs);
      cleanup.removed = `${report.containers.length} container(s), ${report.networks.length} network(s), ${report.volumes.length} volume(s)`;
      cleanup.failures.push(...report.failures);
      cleanup.timedOut ||= report.timedOut;
      cleanup.left += total(await labelled(runId));
      // The handle of the "crashed" step still holds a client and a log stream here: release them (the container is gone already).
      await closeGateway(gateway);
    }
    if (cleanup.runs.length > 0) {
      result.cleanup = {
        runsMs: cleanup.runs,
        medianMs: median(cleanup.runs),
        removed: cleanup.removed,
        failures: cleanup.failures,
        timedOut: cleanup.timedOut,
        leftAfter: cleanup.left,
      };
    }
  } catch (error) {
    result.failure = getErrorMessage(error);
  } finally {
    for (const gateway of open) await gateway.close().catch(() => undefined);
    const engine = createDockerEngine();
    for (const runId of runIds) await cleanupRun(engine, runId, new RecordingLogger(), { timeoutMs: 10_000 });
    if (scratch) await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
  }
  return done();
}

// ── printing ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────

/** Milliseconds with the precision small figures need: µs below 0.1 ms, two decimals below 100 ms. */
export function fineMs(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) < 0.1) return `${(value * 1000).toFixed(1)} µs`;
  if (Math.abs(value) < 100) return `${value.toFixed(2)} ms`;
  return ms(value);
}

export function ratio(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 100 ? `${count(Math.round(value))}x` : `${value.toFixed(2)}x`;
}

export const overheadOk = (perCall: PerCall | undefined): boolean => perCall !== undefined && perCall.overheadMs < GATEWAY_TARGETS.overheadMs;

export function printGateway(result: GatewayBenchResult): void {
  if (result.skipped) {
    say(`  skipped: no Docker engine (${result.skipped.replace(/\.$/, '')}); the rest of the bench does not need one`);
    return;
  }
  say(`  ${result.engine ?? 'Docker engine'}; servers ${SERVERS.join(', ')}; port published on 127.0.0.1 only`);
  if (result.image) say(`  image ${result.image.ref} (stand-in for docker/mcp-gateway): ${result.image.reused ? 'reused' : 'built'} in ${ms(result.image.ms)}, before any timing`);
  const c = result.coldStart;
  if (c) {
    say(`  cold start, startGateway → first successful ast-grep call (image present; median of ${c.runsMs.length}): ${ms(c.medianMs)}  [${c.runsMs.map((r) => ms(r)).join(', ')}]`);
    say(`    of which /health 200 after ${ms(c.healthyMs)} (the stand-in answers 503 for its first 300 ms, as the real one while it loads tools), MCP connect + tools/list ${ms(c.connectMs)}, first call ${ms(c.firstCallMs)}`);
    say(`    close() (client, container, network): ${ms(c.closeMs)} median; labelled objects left after the closes: ${c.leftAfterClose}`);
    say('    the real image also pulls and starts one container per server: its cold start is longer');
  }
  const rows = [['per call (median; fastest)', 'through the gateway', 'in process', 'overhead', 'ratio', 'calls']];
  for (const p of [result.trivial, result.patternTool]) {
    if (!p) continue;
    rows.push([p.label, `${fineMs(p.gatewayMs)}; ${fineMs(p.gatewayMinMs)}`, `${fineMs(p.inProcessMs)}; ${fineMs(p.inProcessMinMs)}`, fineMs(p.overheadMs), ratio(p.ratio), String(p.calls)]);
  }
  if (rows.length > 1) {
    say(indentTable(table(rows, [1, 2, 3, 4, 5])));
    say(`    interleaved calls after ${WARM_UP} warm-up calls of each; one gateway, MCP over streamable HTTP on loopback; target: overhead < ${GATEWAY_TARGETS.overheadMs} ms`);
    const m = result.patternTool?.matches;
    if (m) say(`    ast-grep matches per call: ${m.gateway} through the gateway (dir ${AST_GREP_SERVER_ROOT}, as the action sends it), ${m.inProcess} on the host (${result.astGrep?.binary ?? '?'}, ${result.astGrep?.version ?? '?'}) → ${okOr(m.gateway === m.inProcess && Number.isFinite(m.gateway))}`);
    say('    the gateway container runs with 1 CPU (GATEWAY_LIMITS); the host run may use every CPU');
  }
  const k = result.cleanup;
  if (k) {
    say(`  cleanupRun after a start that was not closed (container running; median of ${k.runsMs.length}): ${ms(k.medianMs)}  [${k.runsMs.map((r) => ms(r)).join(', ')}]; target < ${ms(GATEWAY_TARGETS.cleanupMs)}`);
    say(`    each removed ${k.removed}; failures ${k.failures.length}${k.failures.length ? ` (${k.failures.slice(0, 2).join('; ')})` : ''}${k.timedOut ? '; TIMED OUT' : ''}; labelled objects left (docker CLI): ${k.leftAfter} → ${okOr(k.leftAfter === 0)}`);
  }
  for (const what of result.notMeasured) say(`  not measured: ${what}`);
  if (result.failure) say(`  FAILED: ${result.failure}`);
  say(`  section wall time ${ms(result.wallMs)}`);
}

const okOr = (ok: boolean): string => (ok ? 'OK' : 'MISMATCH');
const indentTable = (text: string): string =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');

/** The rows of the final summary table: figure, target, measured, verdict. */
export function gatewaySummaryRows(result: GatewayBenchResult): string[][] {
  if (result.skipped) return [['MCP gateway (Docker)', '-', `skipped: ${result.skipped.replace(/\.$/, '')}`, '']];
  const failed = result.failure ? `FAILED: ${result.failure.split('\n')[0]}` : 'not measured';
  const rows: string[][] = [];
  const c = result.coldStart;
  rows.push(['gateway cold start → first tool call', '-', c ? `${ms(c.medianMs)} (median of ${c.runsMs.length}; healthy ${ms(c.healthyMs)})` : failed, '']);
  for (const [name, p] of [
    ['gateway per-call overhead, trivial tool', result.trivial],
    ['gateway per-call overhead, ast-grep tool', result.patternTool],
  ] as const) {
    rows.push([
      name,
      `< ${GATEWAY_TARGETS.overheadMs} ms`,
      p ? `${fineMs(p.overheadMs)} (${fineMs(p.gatewayMs)} vs ${fineMs(p.inProcessMs)} in process, ${ratio(p.ratio)})` : failed,
      p ? (overheadOk(p) ? 'OK' : 'MISSED') : '',
    ]);
  }
  const k = result.cleanup;
  rows.push([
    'gateway cleanup after a crash (cleanupRun)',
    `< ${ms(GATEWAY_TARGETS.cleanupMs)}, 0 left`,
    k ? `${ms(k.medianMs)} (median of ${k.runsMs.length}), ${k.leftAfter} left` : failed,
    k ? (k.medianMs < GATEWAY_TARGETS.cleanupMs && k.leftAfter === 0 && k.failures.length === 0 ? 'OK' : 'MISSED') : '',
  ]);
  return rows;
}
