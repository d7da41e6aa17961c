import type { Config } from './config/schema.js';
import type { Logger } from './logger.js';
import { claudeClientFromConfig, type ClaudeClient } from './models/claude.js';
import { draftStage, verifyStage, type DraftModel, type LinkContext } from './models/stage.js';
import { buildReviewReport, stage, type Analysis } from './pipeline.js';
import { type RememberedVerdict, type ReviewReport } from './types.js';

/** What earlier runs left on the pull request (empty for the CLI and for a token that cannot read comments). */
export interface EarlierReviews {
  /** Fingerprint → id of our open comment on it. */
  commented: ReadonlyMap<string, number>;
  /** Fingerprints an earlier review body listed. */
  listed: ReadonlySet<string>;
  /** Claude's verdicts an earlier run recorded in its check run, by `verdictKey`. */
  verdicts?: ReadonlyMap<string, RememberedVerdict>;
}

export const NOTHING_EARLIER: EarlierReviews = { commented: new Map(), listed: new Set(), verdicts: new Map() };

/**
 * triage ──> escalate (Claude) ──> triage again ──> draft (local model): the report every publisher reads. Claude sees the findings
 * at or above `escalate-on` that no earlier run commented on and no earlier run judged on the same code (that verdict is reused);
 * its verdicts decide what is posted (a false positive is not commented
 * inline), so triage runs again with them. The local model then words the comments that will be posted. Neither stage can fail the
 * run: a missing key, a spent budget or a silent model only changes the words (and says so in the summary).
 */
export async function reviewWithModels(input: {
  analysis: Analysis;
  config: Config;
  earlier: EarlierReviews;
  logger: Logger;
  /** The local model for drafts (the infrastructure starts the Model Runner when needed). */
  localModel: () => Promise<DraftModel>;
  /** Default: from `anthropic-api-key` / `anthropic-base-url`. */
  claude?: ClaudeClient;
  repository?: string;
  serverUrl?: string;
  pullNumber?: number;
}): Promise<ReviewReport> {
  const { analysis, config, earlier, logger } = input;
  const links: LinkContext = { repository: input.repository, serverUrl: input.serverUrl };
  const reportOf = (findings: Analysis['findings']): ReviewReport =>
    buildReviewReport({
      analysis: { ...analysis, findings },
      config,
      alreadyCommented: earlier.commented,
      alreadyListed: earlier.listed,
      repository: input.repository,
      pullNumber: input.pullNumber,
    });

  const first = reportOf(analysis.findings);
  const commentedBefore = new Set(
    first.findings.flatMap((p) => (p.placement.kind === 'already-commented' ? [p.finding.fingerprint] : [])),
  );
  // Within a severity the budget goes first to what this review would comment on, then to findings outside the diff (annotations).
  const onDiff = new Set(
    first.findings.flatMap((p) => (p.placement.kind === 'inline' || p.placement.kind === 'overflow' ? [p.finding] : [])),
  );
  const byPriority = [...analysis.findings].sort((a, b) => Number(onDiff.has(b)) - Number(onDiff.has(a)));
  const verified = await stage(logger, 'Verify (Claude)', () =>
    verifyStage(byPriority, {
      config,
      client: input.claude ?? claudeClientFromConfig(config, logger),
      change: analysis.change,
      rules: analysis.rules,
      skip: (finding) => commentedBefore.has(finding.fingerprint),
      ...(earlier.verdicts && { remembered: earlier.verdicts }),
      links,
      logger,
    }),
  );
  const verifiedOf = new Map(byPriority.map((finding, index) => [finding, verified.findings[index] ?? finding]));
  const withVerdicts = analysis.findings.map((finding) => verifiedOf.get(finding) ?? finding);
  const drafted = await stage(logger, 'Draft comments (local model)', () =>
    draftStage(reportOf(withVerdicts), {
      localModel: config.localModel,
      model: input.localModel,
      budgetMs: config.draftTimeoutSeconds * 1000,
      change: analysis.change,
      links,
      logger,
    }),
  );
  return {
    ...drafted.report,
    ...(input.serverUrl !== undefined && { serverUrl: input.serverUrl }),
    models: { drafts: drafted.summary, claude: verified.summary },
  };
}
