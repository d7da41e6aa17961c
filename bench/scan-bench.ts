/**
 * The scanner (runAstGrepScan) against the ast-grep binary run directly, on the same materialized files with the same rules.
 *
 * Fair by construction: the direct runs use the configuration the scanner itself writes (prepareBuiltinConfig: the built-in pack,
 * the tsx copies of the TypeScript rules, the same languageGlobs), the same binary, working directory, environment and argument
 * chunks (chunkFiles, run one after the other as the scanner does), and neither side passes --threads (ast-grep picks the thread
 * count itself). Runs alternate, so that drift hits both sides alike. Besides wall time, every run's CPU time is read from the
 * kernel (bench/cpu.ts): it says where the extra work is even when other work slows the wall clock down.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RecordingLogger } from '../__tests__/support/recording-logger.js';
import { builtinRulesDir, findingFromMatch, resolveAstGrepBinary, runAstGrepScan, type AstGrepMatch } from '../src/scanners/ast-grep/index.js';
import { astGrepEnv, runAstGrep } from '../src/scanners/ast-grep/process.js';
import { catalogOf, isForwardProbe, loadBuiltinRules, prepareBuiltinConfig, TSX_ID_SUFFIX } from '../src/scanners/ast-grep/rules.js';
import { chunkFiles } from '../src/scanners/ast-grep/scan.js';
import { measure, type Measured } from './cpu.js';
import { median } from './stats.js';

/** The flags runAstGrepScan passes besides `-c` (SCAN_FLAGS in src/scanners/ast-grep/scan.ts). */
const SCANNER_FLAGS = ['--json=stream', '--include-metadata', '--custom-languages', 'ignore', '--color', 'never', '--inspect', 'entity'];
const PLAIN_FLAGS = ['--json=stream'];

type DirectKey = 'plain' | 'metadata' | 'inspect' | 'scannerFlags' | 'wrapper' | 'oneInvocation';

interface DirectSpec {
  key: DirectKey;
  label: string;
  flags: string[];
  /** Our own spawn, or src's runAstGrep (readline, stripAnsi, process group) with handlers that only count. */
  via: 'spawn' | 'runAstGrep';
  allInOne?: boolean;
}

/** From the plain command to everything the scanner does short of turning lines into findings. */
const DIRECT: readonly DirectSpec[] = [
  { key: 'plain', label: 'ast-grep scan -c <config> --json=stream, same chunks in sequence', flags: PLAIN_FLAGS, via: 'spawn' },
  { key: 'metadata', label: '  + --include-metadata', flags: [...PLAIN_FLAGS, '--include-metadata'], via: 'spawn' },
  { key: 'inspect', label: '  + --inspect entity', flags: [...PLAIN_FLAGS, '--inspect', 'entity'], via: 'spawn' },
  { key: 'scannerFlags', label: "  with all the scanner's flags", flags: SCANNER_FLAGS, via: 'spawn' },
  { key: 'wrapper', label: '  same, through runAstGrep (process.ts), lines only counted', flags: SCANNER_FLAGS, via: 'runAstGrep' },
  { key: 'oneInvocation', label: 'ast-grep scan -c <config> --json=stream, all files in one process', flags: PLAIN_FLAGS, via: 'spawn', allInOne: true },
];

export interface Variant {
  label: string;
  runsMs: number[];
  medianMs: number;
  minMs: number;
  /** Medians of the CPU time in ast-grep (children) and in this node process. */
  astGrepCpuMs: number;
  nodeCpuMs: number;
  /** Matches printed (JSON lines) or findings returned. */
  results: number;
}

export interface ScanBenchResult {
  binary: string;
  version: string;
  files: number;
  chunks: number[];
  rules: { builtin: number; tsxCopies: number };
  scanner: Variant;
  direct: Record<DirectKey, Variant | undefined>;
  /** Variants that could not run (all files in one process: E2BIG on a small ARG_MAX). */
  problems: string[];
  /** loadBuiltinRules + prepareBuiltinConfig (YAML read, rule files written), median of 3. */
  configPrepMs: number;
  /** JSON.parse + findingFromMatch for every line the scanner-flag run printed, median of 3. */
  parseMatchesMs: number;
  /** Bytes printed on stderr by --inspect entity in one run, and in how many pieces they arrived. */
  inspectStderrBytes: number;
  inspectStderrReads: number;
  /** runAstGrepScan / plain direct run: of the wall-time medians (the target figure), of each round's pair, of the fastest runs. */
  ratio: number;
  roundRatios: number[];
  fastestRatio: number;
  /** Of the CPU time (ast-grep + node): how much more work the scanner does, whatever else runs on the machine. */
  cpuRatio: number;
  /** Largest fastest-to-slowest spread of any variant's runs: above ~1.25 the machine was busy. */
  spread: number;
}

interface Output {
  lines: number;
  stderrBytes: number;
  /** 'data' events on stderr: how many pieces the output arrived in. */
  stderrReads: number;
  captured?: string[];
}

function spawnOnce(binary: string, cwd: string, args: string[], capture: boolean): Promise<Output & { exitCode: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd, env: astGrepEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let stderrBytes = 0;
    let stderrReads = 0;
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      if (capture) chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderrBytes += chunk.length;
      stderrReads++;
    });
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const captured = capture ? Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean) : undefined;
      resolve({ lines, stderrBytes, stderrReads, exitCode, captured });
    });
  });
}

async function runAstGrepOnce(binary: string, cwd: string, args: string[]): Promise<Output & { exitCode: number | null }> {
  let lines = 0;
  let stderrBytes = 0;
  const run = await runAstGrep({
    binary,
    args,
    cwd,
    timeoutMs: 300_000,
    onStdoutLine: () => {
      lines++;
    },
    onStderrLine: (line) => {
      stderrBytes += line.length + 1;
    },
  });
  if (run.spawnError) throw run.spawnError;
  return { lines, stderrBytes, stderrReads: NaN, exitCode: run.exitCode };
}

/** One configuration over the chunks, one process after the other, as the scanner's runConfig does. */
async function runChunks(binary: string, cwd: string, config: string, spec: DirectSpec, chunks: string[][], capture: boolean): Promise<Output> {
  const total: Output = { lines: 0, stderrBytes: 0, stderrReads: 0, captured: capture ? [] : undefined };
  for (const chunk of chunks) {
    const args = ['scan', '-c', config, ...spec.flags, '--', ...chunk];
    const run = spec.via === 'spawn' ? await spawnOnce(binary, cwd, args, capture) : await runAstGrepOnce(binary, cwd, args);
    // Exit 1 means error-severity matches, not a failure.
    if (run.exitCode !== 0 && run.exitCode !== 1) throw new Error(`ast-grep exited ${run.exitCode} (${spec.label.trim()})`);
    total.lines += run.lines;
    total.stderrBytes += run.stderrBytes;
    total.stderrReads += run.stderrReads;
    total.captured?.push(...(run.captured ?? []));
  }
  return total;
}

function variantOf(label: string, runs: Measured<unknown>[], results: number): Variant {
  const runsMs = runs.map((r) => r.wallMs);
  return {
    label,
    runsMs,
    medianMs: median(runsMs),
    minMs: Math.min(...runsMs),
    astGrepCpuMs: median(runs.map((r) => r.childCpuMs)),
    nodeCpuMs: median(runs.map((r) => r.selfCpuMs)),
    results,
  };
}

export async function runScanBench(input: { workDir: string; files: string[]; rounds?: number }): Promise<ScanBenchResult> {
  const rounds = input.rounds ?? 3;
  const logger = new RecordingLogger();
  const rulesDir = builtinRulesDir(fileURLToPath(new URL('../src/scanners/', import.meta.url)));
  const binary = await resolveAstGrepBinary({ env: process.env, distDir: dirname(rulesDir), logger });
  const scratch = await mkdtemp(join(tmpdir(), 'uc-bench-scan-'));
  try {
    // The configuration the scanner writes for itself on every run.
    const pack = await loadBuiltinRules(rulesDir);
    // (less the forwarding probes: the scanner runs them apart, only on the files a call with request data reaches)
    const config = await prepareBuiltinConfig(join(scratch, 'builtin'), pack, new Set(), undefined, (doc) => !isForwardProbe(doc));
    const catalog = new Map(catalogOf(pack.rules).map((r) => [r.id, r]));
    const chunks = chunkFiles(input.files);

    const configPrep: number[] = [];
    for (let i = 0; i < 3; i++) {
      const dir = await mkdtemp(join(scratch, 'prep-'));
      configPrep.push((await measure(async () => prepareBuiltinConfig(dir, await loadBuiltinRules(rulesDir), new Set()))).wallMs);
    }

    const scannerOnce = () =>
      measure(async () => {
        const result = await runAstGrepScan({
          binary: binary.path,
          workDir: input.workDir,
          files: input.files,
          builtinRulesDir: rulesDir,
          extraRuleSources: [],
          logger,
          tempDir: scratch,
        });
        if (result.report.status !== 'ok') throw new Error(`runAstGrepScan: ${result.report.status}: ${result.report.reason ?? ''}`);
        return result.report.findings.length;
      });
    const directOnce = (spec: DirectSpec, capture = false) =>
      measure(() => runChunks(binary.path, input.workDir, config.configPath, spec, spec.allInOne ? [input.files] : chunks, capture));

    // Warm-up: the page cache and the binary itself.
    await directOnce(DIRECT[0]!);
    await scannerOnce();

    const scanner: Measured<number>[] = [];
    const direct = new Map<DirectKey, Measured<Output>[]>();
    const problems: string[] = [];
    let captured: Output | undefined;
    for (let round = 0; round < rounds; round++) {
      scanner.push(await scannerOnce());
      for (const spec of DIRECT) {
        if (spec.allInOne && problems.length > 0) continue;
        try {
          const run = await directOnce(spec, round === 0 && spec.key === 'scannerFlags');
          if (run.value.captured) captured = run.value;
          direct.set(spec.key, [...(direct.get(spec.key) ?? []), run]);
        } catch (error) {
          if (!spec.allInOne) throw error;
          problems.push(`${spec.label}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }

    // The part of the scanner's own work that is proportional to the matches: reading them into findings.
    const parse: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      for (const line of captured?.captured ?? []) {
        const match = JSON.parse(line) as AstGrepMatch;
        const id = match.ruleId.endsWith(TSX_ID_SUFFIX) ? match.ruleId.slice(0, -TSX_ID_SUFFIX.length) : match.ruleId;
        findingFromMatch(match, id, catalog.get(id));
      }
      parse.push(performance.now() - started);
    }

    const variants = Object.fromEntries(
      DIRECT.map((spec) => {
        const runs = direct.get(spec.key);
        return [spec.key, runs ? variantOf(spec.label, runs, runs.at(-1)!.value.lines) : undefined];
      }),
    ) as Record<DirectKey, Variant | undefined>;
    const scannerVariant = variantOf('runAstGrepScan (src/scanners/ast-grep/scan.ts)', scanner, scanner.at(-1)?.value ?? 0);
    const plain = variants.plain!;
    const all = [scannerVariant, ...Object.values(variants).filter((v): v is Variant => v !== undefined)];
    return {
      binary: binary.path,
      version: binary.version,
      files: input.files.length,
      chunks: chunks.map((c) => c.length),
      rules: { builtin: pack.rules.length, tsxCopies: config.rules.length - pack.rules.length },
      scanner: scannerVariant,
      direct: variants,
      problems,
      configPrepMs: median(configPrep),
      parseMatchesMs: median(parse),
      inspectStderrBytes: captured?.stderrBytes ?? 0,
      inspectStderrReads: captured?.stderrReads ?? 0,
      ratio: scannerVariant.medianMs / plain.medianMs,
      roundRatios: scanner.map((run, i) => run.wallMs / plain.runsMs[i]!),
      fastestRatio: scannerVariant.minMs / plain.minMs,
      cpuRatio: (scannerVariant.astGrepCpuMs + scannerVariant.nodeCpuMs) / (plain.astGrepCpuMs + plain.nodeCpuMs),
      spread: Math.max(...all.map((v) => Math.max(...v.runsMs) / v.minMs)),
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
