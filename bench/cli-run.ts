/**
 * The CLI's path on the same change, through the real pipeline (src/main.ts `runReview`) with the CLI's ports: the local git
 * repository instead of the API (createLocalGitChangeSource), a checkout of the head as the working tree (so the head tree is read in
 * place, as `ultra-create review` does in a user's clone), the report rendered as the CLI's text format. The checkout is kept for the
 * scan comparison and the models section; the caller removes it.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from '../__tests__/support/git-fixture.js';
import type { CollectedChange } from '../src/collect/collect.js';
import { createLocalGitChangeSource, resolveLocalRevisions, type ChangeSource } from '../src/collect/source.js';
import { resolveConfig } from '../src/config/load.js';
import { defaultEffects } from '../src/effects.js';
import { runReview } from '../src/main.js';
import { renderText } from '../src/report/text.js';
import type { Analysis } from '../src/triage.js';
import { cpuClock } from './cpu.js';
import { StageLogger } from './stage-logger.js';

export interface CliRunResult {
  wallMs: number;
  /** CPU time of this process and of the processes it started and reaped (ast-grep, git). */
  cpu: { nodeMs: number; childrenMs: number };
  stages: { name: string; ms: number }[];
  /** Time inside each ChangeSource method (git), during Collect; the rest of Collect is collectChange's own work. */
  sourceMs: Record<string, number>;
  /** renderText, in the Publish stage. */
  reportMs: number;
  analysis: Analysis;
  logger: StageLogger;
  /** The checkout of the head (the head tree is read there in place); the caller removes it. */
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
    ...(source.headBlobSizes && { headBlobSizes: timed('headBlobSizes', source.headBlobSizes.bind(source)) }),
  };
}

export async function runCliPath(repoDir: string, baseSha: string, headSha: string): Promise<CliRunResult> {
  // A clone at the head: what a user's working tree is when they run `ultra-create review` (not timed).
  const checkout = await mkdtemp(join(tmpdir(), 'uc-bench-cli-'));
  await git(checkout, ['clone', '--quiet', '--no-checkout', repoDir, '.']);
  await git(checkout, ['checkout', '--quiet', '--detach', headSha]);
  const logger = new StageLogger();
  const cpuBefore = cpuClock();
  const started = performance.now();
  const revisions = await resolveLocalRevisions(checkout, baseSha, headSha);
  const sourceMs: Record<string, number> = {};
  const source = timedSource(createLocalGitChangeSource(checkout, revisions), sourceMs);
  let published: { change: CollectedChange; renderMs: number } | undefined;
  const report = await runReview({
    logger,
    effects: defaultEffects(process.env),
    // As `ultra-create review --fail-on none --local-model off` builds it (no .github/ultra-create.yml in the bench repositories).
    configure: () => Promise.resolve(resolveConfig({ inputs: { 'fail-on': 'none', 'local-model': 'off' } })),
    source,
    publisher: () => ({
      open: () => Promise.resolve({ commented: new Map(), listed: new Set() }),
      publish(final, change) {
        const renderStarted = performance.now();
        renderText(final, { color: false });
        published = { change, renderMs: performance.now() - renderStarted };
        return Promise.resolve(final);
      },
      abandon: () => Promise.resolve(),
    }),
    checkoutDir: checkout,
    tempRoot: tmpdir(),
    saveState: () => undefined,
    modelFallbackLevel: 'info',
    links: {},
  });
  const ended = performance.now();
  const cpuAfter = cpuClock();
  if (!published) throw new Error('the pipeline did not publish');
  const cpu = { nodeMs: cpuAfter.selfMs - cpuBefore.selfMs, childrenMs: cpuAfter.childrenMs - cpuBefore.childrenMs };
  // The findings as the scan stage handed them on, before the model stages (no draft, no verdict).
  const findings = report.findings.map(({ finding }) => {
    const scanned = { ...finding };
    delete scanned.draft;
    delete scanned.verdict;
    return scanned;
  });
  const analysis: Analysis = { change: published.change, findings, scans: report.scans, rules: report.rules };
  return { wallMs: ended - started, cpu, stages: logger.stages(), sourceMs, reportMs: published.renderMs, analysis, logger, tempDir: checkout };
}
