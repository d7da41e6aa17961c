import { ExternalServiceError, getErrorMessage, httpStatusOf, isRateLimited } from '../errors.js';
import type { CheckRunOutput, PullRequestApi, ReviewComment, ReviewCommentInput } from '../github/api.js';
import type { Logger } from '../logger.js';
import { chunkAnnotations, toCheckRunAnnotations } from '../report/annotations.js';
import { renderInlineComment, renderResolvedComment } from '../report/comment.js';
import { isMarkedResolved, readFingerprintMarker, readFingerprintSource, readListedMarker, readReviewMarker, readVerdictsMarker, reviewMarker, verdictsMarker } from '../report/markers.js';
import { renderCheckRunSummary, renderReviewBody } from '../report/markdown.js';
import { type RememberedVerdict, type ReviewReport, type RuleInfo } from '../types.js';
import type { ChangedFile } from '../types.js';
import { formatCount, truncate } from '../text/strings.js';

export const CHECK_RUN_NAME = 'ultra-create';
const ANNOTATIONS_PER_REQUEST = 50;
/** Commits (newest first, the head included) whose check runs are searched for recorded verdicts. */
const COMMITS_SEARCHED_FOR_VERDICTS = 5;

/** What earlier runs of this action left on the pull request, read before triage so that re-runs stay quiet. */
export interface PriorComments {
  /** The login whose markers are trusted; undefined when the token cannot tell (then no marker is trusted). */
  identity?: string;
  /** Our comments that are still open, by fingerprint. */
  open: Map<string, ReviewComment>;
  /** All our comments with a marker, for resolution. */
  ours: ReviewComment[];
  /** Fingerprints our earlier reviews listed in their body instead of commenting on them. */
  listed: Set<string>;
}

export interface PublishResult {
  reviewId?: number;
  reviewUrl?: string;
  checkRunId?: number;
  resolved: number;
  /** True when the token could not write (fork PR): results went to the log and summary only. */
  degraded: boolean;
  notices: string[];
}

/**
 * Publishes to a pull request in the order that keeps writes at 1 review + 1 + ceil(annotations / 50) check-run requests:
 * 1. the check run is created in progress, without annotations (its app slug identifies an installation token),
 * 2. earlier comments (and, with Claude on, the verdicts earlier check runs recorded) are read and the findings triaged against
 *    them (by the caller, through `triage`),
 * 3. resolved comments are edited, the review is posted once, and the remaining annotations are appended.
 */
export class GitHubPublisher {
  private checkRun?: { id: number; appSlug?: string };
  /** Annotations the check run has received so far (they append). */
  private annotationsSent = 0;
  private checkRunCompleted = false;
  /** The login whose markers are trusted, once `readPriorComments` has found it. */
  private identity?: string;
  private readOnly = false;
  private readonly notices: string[] = [];
  /** What GitHub did not take (rate limits, errors) although the token may write: the step fails with it. */
  private readonly failedWrites: string[] = [];

  constructor(
    private readonly api: PullRequestApi,
    private readonly options: {
      headSha: string;
      runKey: string;
      reviewEvent: 'comment' | 'request-changes';
      detailsUrl?: string;
      logger: Logger;
      /**
       * Told when this run's check run exists and when it is completed: the action saves both for the `post:` step, which completes
       * a check run that a cancelled or crashed main step left in progress (a required check would otherwise wait forever).
       */
      onCheckRun?(event: 'created' | 'completed', checkRunId: number): void;
    },
  ) {}

  /**
   * Step 1: the check run, in progress, with the scan's counts, so the PR shows the run while the models work. Annotations and the
   * conclusion come with `publish` (Claude's verdicts change both); `abandonCheckRun` completes it when publishing fails.
   */
  async openCheckRun(provisional: ReviewReport): Promise<void> {
    const input = {
      name: CHECK_RUN_NAME,
      headSha: this.options.headSha,
      status: 'in_progress' as const,
      conclusion: undefined,
      output: checkRunOutput(provisional, []),
      detailsUrl: this.options.detailsUrl,
      externalId: this.options.runKey,
    };
    try {
      const created = await this.api.createCheckRun(input);
      this.checkRun = { id: created.id, appSlug: created.appSlug };
      this.options.onCheckRun?.('created', created.id);
    } catch (error) {
      const status = httpStatusOf(error);
      if (isRateLimited(error)) {
        this.notPosted('the check run', error);
        return;
      }
      if (status === 403) {
        // Only GitHub Apps (GITHUB_TOKEN included) may create check runs, and a workflow may grant pull-requests: write without
        // checks: write. Neither proves the review cannot be posted: the review POST decides whether the token is read-only.
        const reason = /GitHub App/i.test(getErrorMessage(error))
          ? 'the token is not a GitHub App token'
          : 'the token cannot write check runs (checks: write)';
        this.options.logger.warning(`No check run: ${reason}. The findings go to the log annotations, the job summary and SARIF.`);
        this.notices.push(`No check run: ${reason}. The findings are in the job summary, the log annotations and the SARIF file.`);
        return;
      }
      if (status !== undefined && status < 500) throw error;
      // A 5xx or a lost connection: the check run may exist. Look for this run's before creating it again.
      const existing = await this.api.findCheckRun(this.options.headSha, CHECK_RUN_NAME, this.options.runKey).catch(() => undefined);
      if (existing) {
        this.checkRun = existing;
        this.options.onCheckRun?.('created', existing.id);
        return;
      }
      this.options.logger.warning(`Creating the check run failed (${getErrorMessage(error)}); it was not created, trying once more.`);
      const created = await this.api.createCheckRun(input);
      this.checkRun = { id: created.id, appSlug: created.appSlug };
      this.options.onCheckRun?.('created', created.id);
    }
  }

  /** True when no check run carries the annotations (then the caller writes them to the log). */
  get hasCheckRun(): boolean {
    return this.checkRun !== undefined;
  }

  /** Step 2: the token's identity and its earlier comments. */
  async readPriorComments(): Promise<PriorComments> {
    const login = await this.api.getAuthenticatedLogin();
    const identity = login ?? (this.checkRun?.appSlug ? `${this.checkRun.appSlug}[bot]` : undefined);
    if (!identity) {
      this.options.logger.warning('Cannot tell which account this token belongs to: earlier comments are not matched.');
      return { open: new Map(), ours: [], listed: new Set() };
    }
    const [comments, reviews] = await Promise.all([this.api.listReviewComments(), this.api.listReviewBodies()]);
    const listed = new Set(reviews.filter((r) => r.userLogin === identity).flatMap((r) => readListedMarker(r.body)));
    const ours = comments.filter((c) => c.userLogin === identity && readFingerprintMarker(c.body) !== undefined);
    const open = new Map<string, ReviewComment>();
    for (const comment of ours) {
      const fingerprint = readFingerprintMarker(comment.body);
      if (fingerprint !== undefined && !isMarkedResolved(comment.body) && !open.has(fingerprint)) open.set(fingerprint, comment);
    }
    this.options.logger.info(`${ours.length} earlier comment(s) by ${identity}; ${open.size} still open.`);
    this.identity = identity;
    return { identity, open, ours, listed };
  }

  /**
   * Step 2b: Claude's verdicts that this action's earlier runs recorded in their check runs (`verdictsMarker` in `output.text`), from
   * the newest of ours on this head (a re-run) or on the latest commits before it. Only check runs of this run's own app count: its
   * slug is known from the check run `openCheckRun` created, and without that check run nothing was recorded either. Reading is best
   * effort: a failure costs only the memory (the findings are verified again).
   */
  async readEarlierVerdicts(): Promise<Map<string, RememberedVerdict>> {
    const own = this.checkRun;
    if (!own?.appSlug) return new Map();
    try {
      const commits = await this.api.listCommitShas();
      const newestFirst = [...new Set([this.options.headSha, ...[...commits].reverse()])].slice(0, COMMITS_SEARCHED_FOR_VERDICTS);
      for (const sha of newestFirst) {
        const runs = (await this.api.listCheckRuns(sha, CHECK_RUN_NAME))
          .filter((run) => run.appSlug === own.appSlug && run.id !== own.id)
          .sort((a, b) => b.id - a.id);
        for (const run of runs) {
          const verdicts = readVerdictsMarker(run.text);
          if (verdicts.length === 0) continue;
          this.options.logger.info(`${verdicts.length} Claude verdict(s) recorded by check run ${run.id} on ${sha.slice(0, 7)}.`);
          return new Map(verdicts.map((v) => [v.key, v]));
        }
      }
    } catch (error) {
      this.options.logger.warning(`Could not read the verdicts of earlier runs (${getErrorMessage(error)}); findings are verified again.`);
    }
    return new Map();
  }

  /** Step 3: resolved comments, the review, the remaining annotations. */
  async publish(
    report: ReviewReport,
    prior: PriorComments,
    change: { files: readonly ChangedFile[]; truncated?: boolean },
  ): Promise<PublishResult> {
    const resolved = this.readOnly ? 0 : await this.resolveFixedComments(report, prior, change);
    const review = this.readOnly ? undefined : await this.postReview(report);
    // A check run that was created proves checks are writable even when the review was refused (a token without
    // pull-requests: write): finish it, or it stays "in progress" with its first 50 annotations only. It says what did not post.
    await this.finishCheckRun({ ...report, notices: [...report.notices, ...this.notices] });
    return {
      reviewId: review?.id,
      reviewUrl: review?.htmlUrl,
      checkRunId: this.checkRun?.id,
      resolved,
      degraded: this.readOnly,
      notices: this.notices,
    };
  }

  /**
   * When publishing failed half way: completes the check run with what the scan found (best effort, never throws), so it does not
   * stay "in progress". Annotations already sent are not sent again.
   */
  async abandonCheckRun(provisional: ReviewReport): Promise<void> {
    if (this.checkRunCompleted) return;
    await this.finishCheckRun(provisional).catch((error: unknown) => {
      this.options.logger.warning(`Could not complete the check run: ${getErrorMessage(error)}`);
    });
  }

  get isReadOnly(): boolean {
    return this.readOnly;
  }

  /** What GitHub did not take although the token may write (a rate limit that outlasted the retries, a server error). */
  get undelivered(): readonly string[] {
    return this.failedWrites;
  }

  /** Records a write GitHub refused or failed for good: a notice for the summary and the check run, and a failure for the step. */
  private notPosted(what: string, error: unknown): void {
    const why = isRateLimited(error) ? `GitHub's rate limit outlasted the retries` : `GitHub answered ${httpStatusOf(error) ?? 'no response'}`;
    const line = `Not posted: ${what} (${why}: ${getErrorMessage(error).split('\n')[0]?.slice(0, 200) ?? ''}).`;
    this.options.logger.warning(line);
    this.notices.push(line);
    this.failedWrites.push(what);
  }

  private async resolveFixedComments(
    report: ReviewReport,
    prior: PriorComments,
    change: { files: readonly ChangedFile[]; truncated?: boolean },
  ): Promise<number> {
    const current = new Set(report.findings.map((p) => p.finding.fingerprint));
    const changedPaths = new Set(change.files.map((f) => f.path));
    const skippedPaths = new Set(report.skippedFiles.map((f) => f.path));
    // Only the scan that found a finding can tell that it is gone: a failed or skipped one says nothing.
    const scansThatRan = new Set(report.scans.filter((s) => s.status === 'ok' || s.status === 'degraded').map((s) => s.scanner as string));
    let resolved = 0;
    for (const [fingerprint, comment] of prior.open) {
      if (current.has(fingerprint)) continue;
      const scanTrusted = scansThatRan.has(readFingerprintSource(comment.body) ?? 'ast-grep');
      // A finding is gone only if its file was reviewed this time (or left the PR) by a scan that ran.
      const reviewedNow = changedPaths.has(comment.path) && !skippedPaths.has(comment.path);
      // Past GitHub's 3000-file cap an unlisted file may still be in the PR, unseen.
      const leftThePr = !changedPaths.has(comment.path) && !change.truncated;
      if (!scanTrusted || !(reviewedNow || leftThePr)) continue;
      try {
        await this.api.updateReviewComment(comment.id, renderResolvedComment(comment.body, this.options.headSha));
        resolved++;
      } catch (error) {
        if (isRateLimited(error)) {
          this.notPosted('the "resolved" mark of fixed findings\' comments', error);
          break;
        }
        if (this.handleWriteError('mark a fixed finding as resolved', error)) break;
      }
    }
    return resolved;
  }

  private async postReview(report: ReviewReport): Promise<{ id: number; htmlUrl?: string } | undefined> {
    const rules = new Map(report.rules.map((r) => [r.id, r]));
    const comments = report.findings.flatMap(({ finding, placement }) =>
      placement.kind === 'inline'
        ? [toReviewComment(finding, placement, rules.get(finding.ruleId), { repository: report.repository, serverUrl: report.serverUrl })]
        : [],
    );
    if (comments.length === 0) {
      this.options.logger.info('No new inline comments: no review posted (the check run and summary carry the results).');
      return undefined;
    }
    const blocking = report.findings.some(
      ({ finding, placement }) =>
        placement.kind === 'inline' &&
        finding.severity === 'critical' &&
        (finding.verdict === undefined || finding.verdict.verdict === 'confirmed'),
    );
    const event = this.options.reviewEvent === 'request-changes' && blocking ? 'REQUEST_CHANGES' : 'COMMENT';
    const body = renderReviewBody(report, { runKey: this.options.runKey });
    return this.createReviewSafely({ commitId: this.options.headSha, body, event, comments }, report);
  }

  /**
   * A review POST is never retried blindly: after a 5xx or a network error the review may exist, so the PR's reviews are read for
   * this run's marker first. A 422 means GitHub rejected a comment (it says not which): the review is posted once more with no
   * inline comments, every finding listed in its body, so nothing is lost.
   */
  private async createReviewSafely(
    input: Parameters<PullRequestApi['createReview']>[0],
    report: ReviewReport,
  ): Promise<{ id: number; htmlUrl?: string } | undefined> {
    try {
      return await this.api.createReview(input);
    } catch (error) {
      const status = httpStatusOf(error);
      if (isRateLimited(error)) {
        this.notPosted(`the review (${input.comments.length} inline comment(s); the findings are in the check run and the summary)`, error);
        return undefined;
      }
      if (status === 403) {
        this.handleWriteError('post the review', error);
        return undefined;
      }
      if (status === 422) {
        const message = getErrorMessage(error);
        if (input.event === 'REQUEST_CHANGES' && /own pull request/i.test(message)) {
          this.options.logger.warning('GitHub refuses REQUEST_CHANGES on your own pull request: posting a COMMENT review.');
          return this.createReviewSafely({ ...input, event: 'COMMENT' }, report);
        }
        this.options.logger.warning(`GitHub rejected the review (${message}); posting it again without inline comments.`);
        const notice = 'GitHub rejected an inline comment: this review lists the findings in its body instead.';
        this.notices.push(notice);
        // The notice goes into the body too: the reader must learn why the findings are listed instead of commented.
        const fallbackReport = { ...asAllOverflow(report), notices: [...report.notices, notice] };
        const fallback = renderReviewBody(fallbackReport, { runKey: this.options.runKey });
        return this.api.createReview({ ...input, body: fallback, comments: [] }).catch((retryError: unknown) => {
          throw reviewError(retryError);
        });
      }
      let existing: { id: number; htmlUrl?: string } | undefined;
      try {
        existing = await this.findReviewOfThisRun(input);
      } catch (lookupError) {
        // Posting again without knowing whether the first POST worked is exactly the blind retry that duplicates reviews.
        throw new ExternalServiceError(
          `GitHub API: posting the review failed (${getErrorMessage(error)}) and the reviews could not be read to tell whether it was created (${getErrorMessage(lookupError)}); not posting it again.`,
          'github',
          httpStatusOf(error),
          { cause: error },
        );
      }
      if (existing) {
        this.options.logger.info(`The review was created despite the error (${getErrorMessage(error)}).`);
        return existing;
      }
      this.options.logger.warning(
        `Posting the review failed (${getErrorMessage(error)}); no review of this run is on the pull request, trying once more.`,
      );
      return this.api.createReview(input).catch((retryError: unknown) => {
        throw reviewError(retryError);
      });
    }
  }

  /**
   * This run's review among the pull request's, after a POST whose answer was lost. Anyone can write the marker into a review: with
   * the token's identity known, only that identity's review counts. Unknown (an installation token answers 403 on GET /user and,
   * without a check run, no app slug tells the bot's name), a review counts only when it carries this run's marker, on this head
   * commit, with exactly the body this run posted: a copy made in advance would have to predict the run key and every finding, and
   * at worst it stands in for ours (the check run, summary and SARIF carry the findings either way).
   */
  private async findReviewOfThisRun(
    posted: Parameters<PullRequestApi['createReview']>[0],
  ): Promise<{ id: number; htmlUrl?: string } | undefined> {
    const marker = readReviewMarker(reviewMarker(this.options.runKey));
    const reviews = await this.api.listReviewBodies();
    const found = reviews.find(
      (r) =>
        readReviewMarker(r.body) === marker &&
        (this.identity !== undefined
          ? r.userLogin === this.identity
          : r.commitId === posted.commitId && normalizeBody(r.body) === normalizeBody(posted.body)),
    );
    return found ? { id: found.id, htmlUrl: found.htmlUrl } : undefined;
  }

  private async finishCheckRun(report: ReviewReport): Promise<void> {
    if (!this.checkRun || this.checkRunCompleted) return;
    // The run was created without annotations: every chunk goes now (after a failure, those not sent yet), the last one completes
    // it; one request when there are none left.
    const sentBefore = this.annotationsSent;
    const pending = toCheckRunAnnotations(report).slice(sentBefore);
    const annotations = chunkAnnotations(pending, ANNOTATIONS_PER_REQUEST);
    const chunks = annotations.length > 0 ? annotations : [[]];
    for (const [i, chunk] of chunks.entries()) {
      const last = i === chunks.length - 1;
      const update = {
        status: last ? ('completed' as const) : undefined,
        conclusion: last ? report.conclusion : undefined,
        output: checkRunOutput(report, chunk),
      };
      try {
        await this.updateCheckRunOnce(this.checkRun.id, update, chunk.length);
      } catch (error) {
        if (httpStatusOf(error) === 403 && !isRateLimited(error)) {
          this.handleWriteError('update the check run', error);
          return;
        }
        // The annotations that did not go stay in the summary, the log and SARIF; the check run this run created is still
        // completed, with its conclusion and a summary that says what it lacks (never left "in progress").
        const total = sentBefore + pending.length;
        this.notPosted(`annotations ${this.annotationsSent + 1}-${total} of ${total} on the check run`, error);
        await this.completeCheckRun(this.checkRun.id, { ...report, notices: [...report.notices, ...this.notices.slice(-1)] });
        return;
      }
    }
    this.checkRunCompleted = true;
    this.options.onCheckRun?.('completed', this.checkRun.id);
  }

  /** The last resort after a failed update: completes the check run with its conclusion and summary, no annotations. */
  private async completeCheckRun(checkRunId: number, report: ReviewReport): Promise<void> {
    try {
      await this.api.updateCheckRun(checkRunId, { status: 'completed', conclusion: report.conclusion, output: checkRunOutput(report, []) });
      this.checkRunCompleted = true;
      this.options.onCheckRun?.('completed', checkRunId);
    } catch (error) {
      throw new ExternalServiceError(
        `GitHub API: could not complete check run ${checkRunId} (PATCH /repos/{owner}/{repo}/check-runs/${checkRunId}): ${getErrorMessage(error)}`,
        'github',
        httpStatusOf(error),
        { cause: error },
      );
    }
  }


  /**
   * Annotations append, so an update is not retried blindly either: after a 5xx or a lost connection the annotation count tells
   * whether GitHub applied it.
   */
  private async updateCheckRunOnce(
    checkRunId: number,
    update: Parameters<PullRequestApi['updateCheckRun']>[1],
    added: number,
  ): Promise<void> {
    try {
      await this.api.updateCheckRun(checkRunId, update);
    } catch (error) {
      const status = httpStatusOf(error);
      if (status !== undefined && status < 500) throw error;
      const count = await this.api.countCheckRunAnnotations(checkRunId);
      if (count === this.annotationsSent + added) {
        this.options.logger.info(`The check-run update was applied despite the error (${getErrorMessage(error)}).`);
      } else if (count === this.annotationsSent) {
        this.options.logger.warning(`A check-run update failed (${getErrorMessage(error)}) and was not applied; sending it once more.`);
        await this.api.updateCheckRun(checkRunId, update);
      } else {
        throw error;
      }
    }
    this.annotationsSent += added;
  }

  /** A 403 on a write is a read-only token (fork PR): switch to the degraded channels. Returns true when it was one. */
  private handleWriteError(action: string, error: unknown): boolean {
    if (httpStatusOf(error) === 403) {
      if (!this.readOnly) {
        this.options.logger.warning(
          `The token cannot write to this repository (${action}: HTTP 403). Fork pull requests get a read-only token: the results are in the job summary, the log annotations and the SARIF file.`,
        );
      }
      this.readOnly = true;
      return true;
    }
    throw error;
  }
}

function checkRunOutput(report: ReviewReport, annotations: CheckRunOutput['annotations']): CheckRunOutput {
  const total = report.findings.length;
  const title = checkRunTitle(total, report.notReviewed);
  const remember = verdictsToRecord(report);
  return { title, summary: renderCheckRunSummary(report), ...(remember.length > 0 && { text: verdictsMarker(remember) }), annotations };
}

/**
 * This run's verdicts for the next one, in the order the marker keeps them when they do not all fit: those of findings commented
 * inline last, since their comment already keeps them from being sent again (dismissals stay first, as the stage orders them).
 */
function verdictsToRecord(report: ReviewReport): RememberedVerdict[] {
  const commented = new Set(
    report.findings.flatMap((p) => (p.placement.kind === 'inline' || p.placement.kind === 'already-commented' ? [p.finding.fingerprint] : [])),
  );
  const isCommented = (v: RememberedVerdict) => commented.has(v.key.slice(0, v.key.indexOf('.')));
  return [...(report.models?.claude.remember ?? [])].sort((a, b) => Number(isCommented(a)) - Number(isCommented(b)));
}

/** What the checks list shows: the count, and what did not run whenever the review was incomplete (never a bare "No findings"). */
export function checkRunTitle(total: number, notReviewed: readonly string[]): string {
  const count = total === 0 ? 'No findings' : `${formatCount(total)} finding${total === 1 ? '' : 's'}`;
  if (notReviewed.length === 0) return count;
  return truncate(`${count}, not fully reviewed: ${notReviewed.join('; ')}`, CHECK_RUN_TITLE_CHARS);
}

/** GitHub shows about this much of a check run's title. */
const CHECK_RUN_TITLE_CHARS = 250;

function toReviewComment(
  finding: ReviewReport['findings'][number]['finding'],
  placement: { line: number; startLine?: number; exact: boolean },
  rule: RuleInfo | undefined,
  links: { repository?: string; serverUrl?: string },
): ReviewCommentInput {
  return {
    path: finding.path,
    body: renderInlineComment(finding, rule, { exact: placement.exact, suggestionAllowed: true, links }),
    line: placement.line,
    side: 'RIGHT',
    ...(placement.startLine !== undefined ? { start_line: placement.startLine, start_side: 'RIGHT' as const } : {}),
  };
}

/** A GitHub failure is reported as one (the action's taxonomy), not as a crash of this action. */
function reviewError(error: unknown): ExternalServiceError {
  return new ExternalServiceError(`GitHub API: could not post the review: ${getErrorMessage(error)}`, 'github', httpStatusOf(error), {
    cause: error,
  });
}

/** GitHub stores a body as sent, but may end lines with CRLF; trailing space does not tell two bodies apart. */
function normalizeBody(body: string): string {
  return body.replace(/\r\n/g, '\n').trimEnd();
}

function asAllOverflow(report: ReviewReport): ReviewReport {
  return {
    ...report,
    findings: report.findings.map((p) => (p.placement.kind === 'inline' ? { ...p, placement: { kind: 'overflow' as const } } : p)),
  };
}
