/**
 * The CLI's path on the same change: the local git repository instead of the API (createLocalGitChangeSource), the same
 * analyzeChange, then the report the CLI renders. The materialized files are kept for the scan comparison.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalGitChangeSource, resolveLocalRevisions, type ChangeSource } from '../src/collect/source.js';
import { resolveConfig } from '../src/config/load.js';
import { analyzeChange, buildReviewReport, type Analysis } from '../src/pipeline.js';
import { renderText } from '../src/report/text.js';
import { createScanners } from '../src/scanners/registry.js';
import { StageLogger } from './stage-logger.js';
import { cpuClock } from './cpu.js';

export interface CliRunResult {
  wallMs: number;
  /** CPU time of this process and of the processes it started and reaped (ast-grep, git). */
  cpu: { nodeMs: number; childrenMs: number };
  stages: { name: string; ms: number }[];
  /** Time inside each ChangeSource method (git), during Collect; the rest of Collect is collectChange's own work. */
  sourceMs: Record<string, number>;
  /** buildReviewReport + renderText, after the analysis. */
  reportMs: number;
  analysis: Analysis;
  logger: StageLogger;
  /** Holds the materialized head files (analysis.change.workDir); the caller removes it. */
  tempDir: string;
}

/** The same source, with the time spent in each method added up. */
function timedSource(source: ChangeSource, times: Record<string, number>): ChangeSource {
  const timed =
    <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      try {
        return await fn(...args);
      } finally {
        times[name] = (times[name] ?? 0) + performance.now() - started;
      }
    };
  return {
    baseSha: source.baseSha,
    headSha: source.headSha,
    listChangedFiles: timed('listChangedFiles', () => source.listChangedFiles()),
    readBaseFile: timed('readBaseFile', (path: string) => source.readBaseFile(path)),
    listBaseTree: timed('listBaseTree', () => source.listBaseTree()),
    readBaseBlobs: timed('readBaseBlobs', (shas: readonly string[]) => source.readBaseBlobs(shas)),
    readHeadFiles: timed('readHeadFiles', (files: Parameters<ChangeSource['readHeadFiles']>[0]) => source.readHeadFiles(files)),
  };
}

export async function runCliPath(repoDir: string, baseSha: string, headSha: string): Promise<CliRunResult> {
  const logger = new StageLogger();
  const tempDir = await mkdtemp(join(tmpdir(), 'uc-bench-cli-'));
  const cpuBefore = cpuClock();
  const started = performance.now();
  const revisions = await resolveLocalRevisions(repoDir, baseSha, headSha);
  const sourceMs: Record<string, number> = {};
  const source = timedSource(createLocalGitChangeSource(repoDir, revisions), sourceMs);
  // As `ultra-create review --fail-on none` builds it (no .github/ultra-create.yml in the synthetic repository).
  const config = resolveConfig({ inputs: { 'fail-on': 'none' } });
  const analysis = await analyzeChange({ source, config, scanners: createScanners(config), logger, tempDir, checkoutDir: repoDir });
  const reportStarted = performance.now();
  const report = buildReviewReport({ analysis, config, alreadyCommented: new Map() });
  renderText(report, { color: false });
  const ended = performance.now();
  const cpuAfter = cpuClock();
  const cpu = { nodeMs: cpuAfter.selfMs - cpuBefore.selfMs, childrenMs: cpuAfter.childrenMs - cpuBefore.childrenMs };
  return { wallMs: ended - started, cpu, stages: logger.stages(), sourceMs, reportMs: ended - reportStarted, analysis, logger, tempDir };
}
