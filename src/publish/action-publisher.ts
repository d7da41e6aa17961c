import type { CollectedChange } from '../collect/collect.js';
import { OUTPUT } from '../config/inputs.js';
import type { Config } from '../config/schema.js';
import { getErrorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Publisher } from '../main.js';
import { toWorkflowCommands } from '../report/annotations.js';
import { renderJobSummary } from '../report/markdown.js';
import { writeSarifFile } from '../report/sarif-file.js';
import type { EarlierReviews, ReviewReport } from '../types.js';
import { type GitHubPublisher, type PriorComments } from './github-publisher.js';

/** The runner's channels besides GitHub's API: step outputs, the job summary, workflow-command annotations in the log. */
export interface RunnerChannels {
  setOutput(name: string, value: string | number): void;
  writeSummary(markdown: string): Promise<void>;
  writeCommand(line: string): void;
}

/**
 * The action's publisher: the check run (opened in progress before the models, completed at the end), the review, and the runner's
 * channels (outputs, job summary, SARIF file). Without a check run, or with a read-only token, the annotations go to the log.
 */
export function createActionPublisher(
  github: GitHubPublisher,
  config: Pick<Config, 'sarifFile' | 'anthropicApiKey'>,
  runner: RunnerChannels,
  logger: Logger,
): Publisher {
  const nothingEarlier: PriorComments = { open: new Map(), ours: [], listed: new Set() };
  let prior = nothingEarlier;
  return {
    async open(provisional) {
      await github.openCheckRun(provisional);
      prior = github.isReadOnly ? nothingEarlier : await github.readPriorComments();
      // Claude's verdicts on unchanged code are reused, not paid for again (read only when Claude is on).
      const verdicts = !github.isReadOnly && config.anthropicApiKey ? await github.readEarlierVerdicts() : new Map();
      const earlier: EarlierReviews = {
        commented: new Map([...prior.open].map(([fingerprint, comment]) => [fingerprint, comment.id])),
        listed: prior.listed,
        verdicts,
      };
      return earlier;
    },

    async publish(report: ReviewReport, change: CollectedChange) {
      const result = await github.publish(report, prior, change);
      const final: ReviewReport = { ...report, resolvedCount: result.resolved, notices: [...report.notices, ...result.notices] };
      // Without a check run the annotations have no other home than the log.
      if (result.degraded || !github.hasCheckRun) for (const line of toWorkflowCommands(final)) runner.writeCommand(line);
      if (result.reviewId !== undefined) runner.setOutput(OUTPUT.reviewId, result.reviewId);
      if (result.checkRunId !== undefined) runner.setOutput(OUTPUT.checkRunId, result.checkRunId);
      await writeResults(final, config, runner);
      return final;
    },

    async abandon(known) {
      // The findings still reach the check run (completed), the log annotations, the summary and SARIF, with Claude's verdicts and
      // cost when that stage ran (money spent is reported even when GitHub failed us).
      await github.abandonCheckRun(known);
      for (const line of toWorkflowCommands(known)) runner.writeCommand(line);
      await writeResults(known, config, runner).catch((error: unknown) => logger.warning(`Could not write the results: ${getErrorMessage(error)}`));
    },
  };
}

async function writeResults(report: ReviewReport, config: Pick<Config, 'sarifFile'>, runner: RunnerChannels): Promise<void> {
  const sarifPath = await writeSarifFile(config.sarifFile, report);
  runner.setOutput(OUTPUT.sarifFile, sarifPath);
  runner.setOutput(OUTPUT.findings, report.findings.length);
  runner.setOutput(OUTPUT.critical, report.findings.filter((p) => p.finding.severity === 'critical').length);
  runner.setOutput(OUTPUT.conclusion, report.conclusion);
  runner.setOutput(OUTPUT.claudeCostUsd, (report.models?.claude.stats.costUsd ?? 0).toFixed(4));
  const testLog = report.scans.find((scan) => scan.tests?.logFile !== undefined)?.tests?.logFile;
  if (testLog !== undefined) runner.setOutput(OUTPUT.testLog, testLog);
  await runner.writeSummary(renderJobSummary(report));
}
