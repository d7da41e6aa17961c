/**
 * [10] The sandbox (issue 10): a small fixture project's `node --test` run directly on the host vs through the Docker sandbox
 * backend (`createDockerSandbox` → `run`: volume, tree copied in, a locked-down container, log, removal), median of ≥ 5 runs each,
 * the ratio and the difference in seconds; and the test container's create-to-first-output time (`firstOutputMs`).
 * Target: the sandbox adds at most 1.5 s per run. The image is the node + busybox test image (`docker import`, built or reused
 * before anything is timed). Without a Docker engine the section is skipped with the reason (and its target is "not measured").
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildSandboxImage } from '../__tests__/support/images.js';
import { RecordingLogger } from '../__tests__/support/recording-logger.js';
import { getErrorMessage } from '../src/errors.js';
import { cleanupRun } from '../src/runtime/cleanup.js';
import { createDockerEngine, newRunId, tryCreateDockerEngine } from '../src/runtime/docker-engine.js';
import { createDockerSandbox } from '../src/runtime/docker-sandbox.js';
import { median, ms, table } from './stats.js';

export const SANDBOX_TARGETS = { overheadMs: 1_500 };

const say = (text = ''): void => {
  process.stdout.write(`${text}\n`);
};

export type SandboxBenchResult =
  | { skipped: string }
  | {
      runs: number;
      directMs: number[];
      sandboxMs: number[];
      firstOutputMs: number[];
      image: string;
      imageMs: number;
      imageReused?: boolean;
      failure?: string;
    };

/** Four modules and their tests: enough for `node --test` to start a few test files. */
const FIXTURE: Record<string, string> = {
  'package.json': '{ "name": "sandbox-bench-fixture", "type": "module", "private": true }\n',
  'src/sum.js': 'export const sum = (values) => values.reduce((a, b) => a + b, 0);\n',
  'src/words.js': "export const words = (text) => text.split(/\\s+/).filter(Boolean);\n",
  'src/slug.js': "export const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');\n",
  'src/range.js': 'export const range = (n) => Array.from({ length: n }, (_, i) => i);\n',
  'test/sum.test.js': "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '../src/sum.js';\nimport { range } from '../src/range.js';\ntest('sum of a range', () => assert.equal(sum(range(101)), 5050));\ntest('sum of nothing', () => assert.equal(sum([]), 0));\n",
  'test/words.test.js': "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { words } from '../src/words.js';\ntest('words', () => assert.deepEqual(words('  a b  c '), ['a', 'b', 'c']));\n",
  'test/slug.test.js': "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { slug } from '../src/slug.js';\ntest('slug', () => assert.equal(slug('Hello, World!'), 'hello-world'));\n",
};
const COMMAND = 'node --test test/';

function runDirect(dir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // Same allowlist idea as the sandbox: the fixture gets PATH and HOME, not the bench's environment.
    const child = spawn(process.execPath, ['--test', 'test/'], { cwd: dir, stdio: 'ignore', env: { PATH: process.env.PATH ?? '', HOME: dir, CI: 'true' } });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`node --test exited ${code} on the host`))));
  });
}

export async function runSandboxBench(options: { runs: number }): Promise<SandboxBenchResult> {
  const attempt = tryCreateDockerEngine();
  if (!attempt.engine) return { skipped: attempt.problem };
  try {
    await attempt.engine.ping();
  } catch (error) {
    return { skipped: getErrorMessage(error) };
  }
  const runs = Math.max(5, options.runs);
  const scratch = await mkdtemp(join(tmpdir(), 'uc-bench-sandbox-'));
  const runIds: string[] = [];
  const result = { runs, directMs: [] as number[], sandboxMs: [] as number[], firstOutputMs: [] as number[], image: '', imageMs: 0, imageReused: false, failure: undefined as string | undefined };
  try {
    const built = await buildSandboxImage();
    result.image = built.ref;
    result.imageMs = built.durationMs;
    result.imageReused = built.reused;
    const tree = join(scratch, 'fixture');
    for (const [path, content] of Object.entries(FIXTURE)) {
      await mkdir(dirname(join(tree, path)), { recursive: true });
      await writeFile(join(tree, path), content);
    }
    // One warm-up of each side (page cache, the engine's first container), then the two sides interleaved.
    await runDirect(tree);
    const limits = { timeoutMs: 60_000, memoryBytes: 512 * 1024 * 1024, cpus: 2, pids: 256, openFiles: 1024, processes: 4096 };
    const sandboxRun = async (index: number) => {
      const runId = newRunId();
      runIds.push(runId);
      const sandbox = await createDockerSandbox(createDockerEngine({ runId }), { logger: new RecordingLogger() });
      const started = performance.now();
      const outcome = await sandbox.run({
        image: built.ref,
        tree: { kind: 'folder', root: tree },
        phases: [{ name: 'test', command: COMMAND, network: 'none' }],
        env: {},
        limits,
        logFile: join(scratch, `run-${index}.log`),
        redact: (text) => text,
      });
      const wall = performance.now() - started;
      const phase = outcome.phases[0];
      if (phase?.ended !== 'exited' || phase.exitCode !== 0) throw new Error(`the fixture's tests did not pass in the sandbox (${phase?.ended}, exit ${phase?.exitCode}): ${outcome.logTail.slice(-500)}`);
      return { wall, firstOutputMs: outcome.firstOutputMs };
    };
    await sandboxRun(-1);
    for (let i = 0; i < runs; i++) {
      result.directMs.push(await runDirect(tree));
      const { wall, firstOutputMs } = await sandboxRun(i);
      result.sandboxMs.push(wall);
      if (firstOutputMs !== undefined) result.firstOutputMs.push(firstOutputMs);
    }
  } catch (error) {
    result.failure = getErrorMessage(error);
  } finally {
    const engine = createDockerEngine();
    for (const runId of runIds) await cleanupRun(engine, runId, new RecordingLogger(), { timeoutMs: 20_000 });
    await rm(scratch, { recursive: true, force: true });
  }
  return result;
}

export function printSandbox(result: SandboxBenchResult): void {
  if ('skipped' in result) {
    say(`  skipped: ${result.skipped}`);
    return;
  }
  say(`  image ${result.image} (${result.imageReused ? 'reused' : 'built'}, ${ms(result.imageMs)}, not timed); fixture: 4 modules, 3 test files, \`${COMMAND}\``);
  if (result.failure) say(`  FAILED: ${result.failure}`);
  if (!result.sandboxMs.length) return;
  const direct = median(result.directMs);
  const sandbox = median(result.sandboxMs);
  say(
    table(
      [
        ['', 'median', 'min', 'max', 'runs'],
        ['node --test on the host', ms(direct), ms(Math.min(...result.directMs)), ms(Math.max(...result.directMs)), String(result.directMs.length)],
        ['the same through the sandbox', ms(sandbox), ms(Math.min(...result.sandboxMs)), ms(Math.max(...result.sandboxMs)), String(result.sandboxMs.length)],
        ['test container create → first output', ms(median(result.firstOutputMs)), ms(Math.min(...result.firstOutputMs)), ms(Math.max(...result.firstOutputMs)), String(result.firstOutputMs.length)],
      ],
      [1, 2, 3, 4],
    )
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n'),
  );
  say(`  ratio ${(sandbox / direct).toFixed(2)}x, difference ${((sandbox - direct) / 1000).toFixed(2)} s per run (volume, tree copy, container create/start/remove, log, inspection)`);
}

export function sandboxSummaryRows(result: SandboxBenchResult | undefined): string[][] {
  const target = `≤ ${(SANDBOX_TARGETS.overheadMs / 1000).toFixed(1)} s`;
  if (!result) return [];
  if ('skipped' in result) return [['sandbox overhead per run (node --test)', target, `not measured (${result.skipped})`, '']];
  if (result.failure || !result.sandboxMs.length) return [['sandbox overhead per run (node --test)', target, `FAILED: ${result.failure ?? 'no run'}`, '']];
  const direct = median(result.directMs);
  const sandbox = median(result.sandboxMs);
  const overhead = sandbox - direct;
  return [
    [
      'sandbox overhead per run (node --test)',
      target,
      `${(overhead / 1000).toFixed(2)} s (${ms(sandbox)} vs ${ms(direct)} direct, ${(sandbox / direct).toFixed(2)}x, medians of ${result.sandboxMs.length})`,
      overhead <= SANDBOX_TARGETS.overheadMs ? 'OK' : 'MISSED',
    ],
    ['sandbox: test container create → first output', '-', ms(median(result.firstOutputMs)), 'info'],
  ];
}
