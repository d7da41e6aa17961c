import { collectChange, type CollectedChange } from './collect/collect.js';
import type { ChangeSource } from './collect/source.js';
import type { Config } from './config/schema.js';
import type { Logger } from './logger.js';
import { computeConclusion } from './report/conclusion.js';
import { assignFingerprints } from './report/fingerprint.js';
import type { PlacedFinding, ReviewReport, RuleInfo } from './types.js';
import { runScanners, type Scanner } from './scanners/scanner.js';
import { triageFindings } from './triage.js';
import type { Finding, ScanReport } from './types.js';

export const TOOL = {
  name: 'ultra-create',
  version: '0.1.0',
  informationUri: 'https://github.com/ultra-create/action',
} as const;

export interface Analysis {
  change: CollectedChange;
  findings: Finding[];
  scans: ScanReport[];
  rules: RuleInfo[];
}

/** Runs `fn` as a log group and logs how long the stage took. */
export async function stage<T>(logger: Logger, name: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await logger.group(name, fn);
  logger.info(`${name}: ${Date.now() - started} ms`);
  return result;
}

/** collect ──> scan: what the action and the CLI share. */
export async function analyzeChange(input: {
  source: ChangeSource;
  config: Config;
  scanners: readonly Scanner[];
  logger: Logger;
  tempDir: string;
  checkoutDir: string;
  signal?: AbortSignal;
  /** Runs between collection and scanning (starting infrastructure that needs the head files, like the MCP gateway). */
  beforeScan?: (change: CollectedChange) => Promise<void>;
}): Promise<Analysis> {
  const { logger, config } = input;
  const change = await stage(logger, 'Collect the change', () =>
    collectChange(input.source, {
      tempDir: input.tempDir,
      logger,
      extraRules: config.rules,
      checkoutDir: input.checkoutDir,
    }),
  );
  if (input.beforeScan) await input.beforeScan(change);
  const results = await stage(logger, 'Scan', async () => {
    const scanResults = await runScanners(input.scanners, {
      change,
      config,
      logger,
      tempDir: input.tempDir,
      signal: input.signal,
    });
    for (const { report } of scanResults) {
      const detail = report.reason ? `: ${report.reason}` : '';
      logger.info(`${report.scanner}: ${report.status}, ${report.findings.length} finding(s) in ${report.durationMs} ms${detail}`);
      for (const warning of report.warnings) logger.warning(`${report.scanner}: ${warning}`);
    }
    return scanResults;
  });
  const findings = assignFingerprints(results.flatMap((r) => r.report.findings));
  const rules = new Map<string, RuleInfo>();
  for (const result of results) for (const rule of result.rules) if (!rules.has(rule.id)) rules.set(rule.id, rule);
  return { change, findings, scans: results.map((r) => r.report), rules: [...rules.values()] };
}

/** triage ──> report: places every finding and assembles what every reporter reads. */
export function buildReviewReport(input: {
  analysis: Analysis;
  config: Config;
  alreadyCommented: ReadonlyMap<string, number>;
  alreadyListed?: ReadonlySet<string>;
  repository?: string;
  pullNumber?: number;
  resolvedCount?: number;
  notices?: string[];
}): ReviewReport {
  const { analysis, config } = input;
  const placed: PlacedFinding[] = triageFindings({
    findings: analysis.findings,
    files: analysis.change.files,
    filterMode: config.filterMode,
    maxComments: config.maxComments,
    alreadyCommented: input.alreadyCommented,
    alreadyListed: input.alreadyListed,
  });
  return {
    tool: { ...TOOL },
    repository: input.repository,
    pullNumber: input.pullNumber,
    baseSha: analysis.change.baseSha,
    headSha: analysis.change.headSha,
    filterMode: config.filterMode,
    failOn: config.failOn,
    conclusion: computeConclusion(
      placed.map((p) => p.finding),
      config.failOn,
      analysis.scans,
    ),
    maxComments: config.maxComments,
    findings: placed,
    scans: analysis.scans,
    rules: analysis.rules,
    filesReviewed: analysis.change.reviewable.length,
    skippedFiles: analysis.change.skipped,
    resolvedCount: input.resolvedCount ?? 0,
    notices: [...analysis.change.notices, ...(input.notices ?? [])],
  };
}
