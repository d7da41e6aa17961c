import { r as readRunnerEnvironment, b as readEventContext, d as asGitHubError, A as ActionsLogger, s as setFailed, e as saveState, f as summary, h as setOutput, a as createPullRequestApi, c as createOctokit } from './chunks/context.js';
import { s as serializeSarif, b as buildSarif, t as toWorkflowCommands, i as renderJobSummary, j as isMarkedResolved, k as readFingerprintMarker, l as readFingerprintSource, m as fingerprintMarker, n as resolvedMarker, o as severityBadge, p as codeSpan, q as escapeMarkdown, u as safeHttpUrl, v as sanitizeModelText, w as cweNumber, x as codeBlock, y as containsHiddenCharacters, z as fenceFor, A as readListedMarker, B as readVerdictsMarker, C as renderReviewBody, D as readReviewMarker, E as reviewMarker, F as toCheckRunAnnotations, G as chunkAnnotations, H as verdictsMarker, I as renderCheckRunSummary, f as runReview, J as createGitHubChangeSource, g as defaultEffects } from './chunks/sarif.js';
import { O as OUTPUT, S as STATE } from './chunks/table.js';
import { r as readActionInputs, a as resolveConfig, c as configFileLocation, p as parseConfigText } from './chunks/load.js';
import { g as getErrorMessage, h as httpStatusOf, i as isRateLimited, E as ExternalServiceError, C as ConfigurationError } from './chunks/errors.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve, dirname } from 'node:path';
import { U as UNVERIFIED, c as atLeast, T as TOOL } from './chunks/types.js';
import { d as describeRelated } from './chunks/local-drafts.js';
import { u as utf8Length, t as truncate, c as truncateUtf8, d as formatCount } from './chunks/strings.js';

/** Writes the SARIF log (creating its folder) and returns the absolute path. */
async function writeSarifFile(path, report) {
    const absolute = resolve(path);
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(absolute, serializeSarif(buildSarif(report)));
    return absolute;
}

/**
 * The action's publisher: the check run (opened in progress before the models, completed at the end), the review, and the runner's
 * channels (outputs, job summary, SARIF file). Without a check run, or with a read-only token, the annotations go to the log.
 */
function createActionPublisher(github, config, runner, logger) {
    const nothingEarlier = { open: new Map(), ours: [], listed: new Set() };
    let prior = nothingEarlier;
    return {
        async open(provisional) {
            await github.openCheckRun(provisional);
            prior = github.isReadOnly ? nothingEarlier : await github.readPriorComments();
            // Claude's verdicts on unchanged code are reused, not paid for again (read only when Claude is on).
            const verdicts = !github.isReadOnly && config.anthropicApiKey ? await github.readEarlierVerdicts() : new Map();
            const earlier = {
                commented: new Map([...prior.open].map(([fingerprint, comment]) => [fingerprint, comment.id])),
                listed: prior.listed,
                verdicts,
            };
            return earlier;
        },
        async publish(report, change) {
            const result = await github.publish(report, prior, change);
            const final = { ...report, resolvedCount: result.resolved, notices: [...report.notices, ...result.notices] };
            // Without a check run the annotations have no other home than the log.
            if (result.degraded || !github.hasCheckRun)
                for (const line of toWorkflowCommands(final))
                    runner.writeCommand(line);
            if (result.reviewId !== undefined)
                runner.setOutput(OUTPUT.reviewId, result.reviewId);
            if (result.checkRunId !== undefined)
                runner.setOutput(OUTPUT.checkRunId, result.checkRunId);
            await writeResults(final, config, runner);
            return final;
        },
        async abandon(known) {
            // The findings still reach the check run (completed), the log annotations, the summary and SARIF, with Claude's verdicts and
            // cost when that stage ran (money spent is reported even when GitHub failed us).
            await github.abandonCheckRun(known);
            for (const line of toWorkflowCommands(known))
                runner.writeCommand(line);
            await writeResults(known, config, runner).catch((error) => logger.warning(`Could not write the results: ${getErrorMessage(error)}`));
        },
    };
}
async function writeResults(report, config, runner) {
    const sarifPath = await writeSarifFile(config.sarifFile, report);
    runner.setOutput(OUTPUT.sarifFile, sarifPath);
    runner.setOutput(OUTPUT.findings, report.findings.length);
    runner.setOutput(OUTPUT.critical, report.findings.filter((p) => p.finding.severity === 'critical').length);
    runner.setOutput(OUTPUT.conclusion, report.conclusion);
    runner.setOutput(OUTPUT.claudeCostUsd, (report.models?.claude.stats.costUsd ?? 0).toFixed(4));
    const testLog = report.scans.find((scan) => scan.tests?.logFile !== undefined)?.tests?.logFile;
    if (testLog !== undefined)
        runner.setOutput(OUTPUT.testLog, testLog);
    await runner.writeSummary(renderJobSummary(report));
}

/** GitHub refuses comment bodies over 65,536 characters; measured in UTF-8 bytes, which is never less. */
const COMMENT_LIMIT = 60_000;
/** Any of this action's markers, in whatever spelling a forged one might use. */
const MARKER_LIKE = /<!--\s*ultra-create:/i;
const ALL_FINGERPRINT_MARKERS = /[ \t]*<!-- ultra-create:fp=[0-9a-f]{16,64}(?: src=[a-z][a-z-]{0,31})? -->[ \t]*\n?/g;
const SUGGESTION_FENCE = /^( {0,3}`{3,})suggestion\b[^\n]*$/gm;
/** Half the body at most, so that the explanation always has room next to a long replacement. */
const MAX_CODE_BYTES = 30_000;
const MAX_REASONING_CHARS = 5_000;
const VERDICT_LABEL = {
    confirmed: '✅ verified by Claude',
    uncertain: '❔ Claude is uncertain',
    unverified: '⚠️ not verified',
    false_positive: '🚫 likely a false positive (Claude)',
};
/** Our own words for why a finding was not verified (`unverified` reasons start with one of `UNVERIFIED`'s keys). */
function unverifiedLabel(verdict) {
    const reason = verdict.reasoning ?? '';
    if (reason.startsWith(UNVERIFIED.budget))
        return `${VERDICT_LABEL.unverified} (Claude budget spent)`;
    if (reason.startsWith(UNVERIFIED.noKey))
        return `${VERDICT_LABEL.unverified} (Claude verification is off)`;
    return `${VERDICT_LABEL.unverified} (Claude gave no usable answer)`;
}
function verdictLabel(verdict) {
    return verdict.verdict === 'unverified' ? unverifiedLabel(verdict) : VERDICT_LABEL[verdict.verdict];
}
/**
 * Template and tool text is plain and escaped. Model text is markdown the model stages already sanitized (see `FindingDraft`); it is
 * sanitized again here, which changes nothing for sanitized text (the sanitizer is idempotent) and keeps this renderer safe whatever
 * it is given.
 */
function draftText(text, author, links) {
    return author === 'template' ? escapeMarkdown(text, { multiline: true }) : sanitizeModelText(text, { ...links, maxLength: COMMENT_LIMIT });
}
/**
 * The body of one inline review comment: severity badge and rule, the text (Claude's comment, else the draft, else the tool's
 * message), why it matters with the CWE linked, a ```suggestion``` block when the comment covers exactly the finding's lines, and
 * the fingerprint marker on the last line. Everything from the PR or a model is escaped. When the body would exceed the limit the
 * prose is shortened; a suggestion is never cut (a cut suggestion would commit broken code): one over 30 KB is replaced by a note.
 * The marker always stays.
 */
function renderInlineComment(finding, rule, options = { exact: false, suggestionAllowed: false }) {
    const marker = fingerprintMarker(finding.fingerprint, finding.source);
    const header = [
        severityBadge(finding.severity),
        codeSpan(truncate(finding.ruleId, 200)),
        finding.verdict ? verdictLabel(finding.verdict) : undefined,
    ]
        .filter((part) => part !== undefined)
        .join(' · ');
    const prose = [];
    const draft = finding.draft;
    const title = draft?.title.trim();
    if (draft && title)
        prose.push(`**${draftText(truncate(title.replace(/\s+/g, ' '), 300), draft.author, options.links).replace(/\s+/g, ' ')}**`);
    const claudeComment = finding.verdict?.comment?.trim();
    if (claudeComment)
        prose.push(draftText(claudeComment, 'claude', options.links));
    else if (draft?.body.trim() && draft.body.trim() !== title)
        prose.push(draftText(draft.body.trim(), draft.author, options.links));
    else if (!draft)
        prose.push(escapeMarkdown(finding.message, { multiline: true }));
    const related = describeRelated(finding);
    if (related)
        prose.push(escapeMarkdown(related));
    if (finding.verdict?.verdict === 'uncertain') {
        prose.push('_Claude could neither confirm nor rule out this finding: please check it._');
    }
    if (draft?.fixHint?.trim() && !claudeComment)
        prose.push(`**How to fix:** ${draftText(draft.fixHint.trim(), draft.author, options.links)}`);
    const why = whyItMatters(finding, rule);
    if (why)
        prose.push(why);
    let code = [outputSection(finding), fixSection(finding, options)].filter((part) => part.length > 0).join('\n\n');
    if (utf8Length(code) > MAX_CODE_BYTES)
        code = '_The suggested change is too long to show here._';
    const reasoning = reasoningSection(finding.verdict, options.links);
    const helpUri = safeHttpUrl(finding.helpUri ?? rule?.helpUri);
    const link = helpUri ? `[Rule documentation](${helpUri})` : '';
    const fixedBytes = [header, code, reasoning, link, marker].reduce((sum, part) => sum + utf8Length(part) + 2, 0);
    let proseText = prose.filter((p) => p.length > 0).join('\n\n');
    const proseBudget = COMMENT_LIMIT - fixedBytes - 2;
    if (utf8Length(proseText) > proseBudget) {
        // Cutting rendered prose is safe: it holds no HTML, and a cut code span or escape only shows a stray character.
        proseText = `${truncateUtf8(proseText, proseBudget - 32, '…')}\n\n_(shortened)_`;
    }
    return [header, proseText, code, reasoning, link, marker].filter((part) => part.length > 0).join('\n\n');
}
function whyItMatters(finding, rule) {
    const note = (finding.note ?? rule?.fullDescription)?.trim();
    const cwe = cweNumber(rule?.cwe);
    const mentionsCwe = cwe !== undefined && note !== undefined && new RegExp(`\\bCWE-${cwe}\\b`).test(note);
    const text = [note, cwe && !mentionsCwe ? `(CWE-${cwe})` : undefined].filter(Boolean).join(' ');
    if (!text)
        return undefined;
    return `**Why it matters:** ${escapeMarkdown(text, { multiline: true, linkCwe: true })}`;
}
/**
 * A suggestion replaces the commented lines with the block's content verbatim, so it is only offered when the comment covers exactly
 * the finding's lines and the replacement is known line by line. It is withheld when the replacement holds something a reviewer could
 * not see or that looks like our markers (it cannot be altered without changing what gets committed); the fix is then shown as text.
 */
function fixSection(finding, options) {
    const fix = finding.fix;
    const language = languageOf(finding.path);
    const lines = fix?.replacementLines;
    if (fix && lines !== undefined && options.exact && options.suggestionAllowed) {
        if (!MARKER_LIKE.test(lines) && !containsHiddenCharacters(lines))
            return suggestionBlock(lines);
        return details('Suggested change (shown as text: it contains hidden characters or marker-like text)', codeBlock(lines, language));
    }
    if (fix && fix.replacement.length > 0)
        return details('Possible fix', codeBlock(fix.replacement, language));
    const claudeFix = finding.verdict?.fix?.trim();
    if (claudeFix)
        return details('Possible fix (Claude)', codeBlock(claudeFix, language));
    return '';
}
/**
 * `replacementLines` is the text of the replaced lines; one trailing line break is a terminator, not an extra empty line. An empty
 * block deletes the lines, as GitHub defines it.
 */
function suggestionBlock(replacementLines) {
    const content = replacementLines.replace(/\r?\n$/, '');
    const fence = fenceFor(content);
    return content.length === 0 ? `${fence}suggestion\n${fence}` : `${fence}suggestion\n${content}\n${fence}`;
}
/** Claude's reasoning (sanitized markdown, folded); an `unverified` verdict's reason is ours and already in the header. */
function reasoningSection(verdict, links) {
    const reasoning = verdict?.reasoning?.trim();
    if (!reasoning || verdict?.verdict === 'unverified')
        return '';
    return details("Claude's reasoning", sanitizeModelText(reasoning, { ...links, maxLength: MAX_REASONING_CHARS }));
}
/** The tool's own output (a failing test's log excerpt): PR text, so only ever inside a fence. */
function outputSection(finding) {
    const output = finding.output?.trim();
    if (!output)
        return '';
    return details('Output', codeBlock(truncate(output, 8_000), 'text'));
}
/** `summary` is our own text; `content` is already escaped markdown. */
function details(summary, content) {
    return `<details>\n<summary>${summary}</summary>\n\n${content}\n\n</details>`;
}
function languageOf(path) {
    const extension = /\.([A-Za-z0-9]{1,10})$/.exec(path)?.[1];
    return extension ? extension.toLowerCase() : '';
}
/**
 * The edit made to a comment whose finding is gone: a "resolved" line, the original folded away (its suggestion turned into a plain
 * code block, since applying it now would edit code that changed), the same fingerprint marker and the resolved marker. Resolving a
 * resolved body returns it unchanged. A finding that comes back later gets a new comment from `renderInlineComment`.
 */
function renderResolvedComment(previousBody, headSha) {
    if (isMarkedResolved(previousBody))
        return previousBody;
    const fingerprint = readFingerprintMarker(previousBody);
    const source = readFingerprintSource(previousBody);
    const shortSha = headSha.replace(/[^0-9a-f]/gi, '').slice(0, 7);
    const line = `✅ Resolved${shortSha ? ` in ${shortSha}` : ''}: this finding is no longer reported.`;
    const markers = [fingerprint ? fingerprintMarker(fingerprint, source) : undefined, resolvedMarker()].filter(Boolean).join('\n');
    const original = previousBody.replace(ALL_FINGERPRINT_MARKERS, '').replace(SUGGESTION_FENCE, '$1').trim();
    const folded = original ? details('Original comment', original) : '';
    const body = [line, folded, markers].filter((part) => part.length > 0).join('\n\n');
    // An original close to GitHub's limit cannot be kept whole; cutting it could leave a fence open, so it is dropped instead.
    return utf8Length(body) <= COMMENT_LIMIT + 5_000
        ? body
        : [line, '_The original comment was too long to keep._', markers].join('\n\n');
}

const CHECK_RUN_NAME = 'ultra-create';
const ANNOTATIONS_PER_REQUEST = 50;
/** Commits (newest first, the head included) whose check runs are searched for recorded verdicts. */
const COMMITS_SEARCHED_FOR_VERDICTS = 5;
/**
 * Publishes to a pull request in the order that keeps writes at 1 review + 1 + ceil(annotations / 50) check-run requests:
 * 1. the check run is created in progress, without annotations (its app slug identifies an installation token),
 * 2. earlier comments (and, with Claude on, the verdicts earlier check runs recorded) are read and the findings triaged against
 *    them (by the caller, through `triage`),
 * 3. resolved comments are edited, the review is posted once, and the remaining annotations are appended.
 */
class GitHubPublisher {
    api;
    options;
    checkRun;
    /** Annotations the check run has received so far (they append). */
    annotationsSent = 0;
    checkRunCompleted = false;
    /** The login whose markers are trusted, once `readPriorComments` has found it. */
    identity;
    readOnly = false;
    notices = [];
    /** What GitHub did not take (rate limits, errors) although the token may write: the step fails with it. */
    failedWrites = [];
    constructor(api, options) {
        this.api = api;
        this.options = options;
    }
    /**
     * Step 1: the check run, in progress, with the scan's counts, so the PR shows the run while the models work. Annotations and the
     * conclusion come with `publish` (Claude's verdicts change both); `abandonCheckRun` completes it when publishing fails.
     */
    async openCheckRun(provisional) {
        const input = {
            name: CHECK_RUN_NAME,
            headSha: this.options.headSha,
            status: 'in_progress',
            conclusion: undefined,
            output: checkRunOutput(provisional, []),
            detailsUrl: this.options.detailsUrl,
            externalId: this.options.runKey,
        };
        try {
            const created = await this.api.createCheckRun(input);
            this.checkRun = { id: created.id, appSlug: created.appSlug };
            this.options.onCheckRun?.('created', created.id);
        }
        catch (error) {
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
            if (status !== undefined && status < 500)
                throw error;
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
    get hasCheckRun() {
        return this.checkRun !== undefined;
    }
    /** Step 2: the token's identity and its earlier comments. */
    async readPriorComments() {
        const login = await this.api.getAuthenticatedLogin();
        const identity = login ?? (this.checkRun?.appSlug ? `${this.checkRun.appSlug}[bot]` : undefined);
        if (!identity) {
            this.options.logger.warning('Cannot tell which account this token belongs to: earlier comments are not matched.');
            return { open: new Map(), ours: [], listed: new Set() };
        }
        const [comments, reviews] = await Promise.all([this.api.listReviewComments(), this.api.listReviewBodies()]);
        const listed = new Set(reviews.filter((r) => r.userLogin === identity).flatMap((r) => readListedMarker(r.body)));
        const ours = comments.filter((c) => c.userLogin === identity && readFingerprintMarker(c.body) !== undefined);
        const open = new Map();
        for (const comment of ours) {
            const fingerprint = readFingerprintMarker(comment.body);
            if (fingerprint !== undefined && !isMarkedResolved(comment.body) && !open.has(fingerprint))
                open.set(fingerprint, comment);
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
    async readEarlierVerdicts() {
        const own = this.checkRun;
        if (!own?.appSlug)
            return new Map();
        try {
            const commits = await this.api.listCommitShas();
            const newestFirst = [...new Set([this.options.headSha, ...[...commits].reverse()])].slice(0, COMMITS_SEARCHED_FOR_VERDICTS);
            for (const sha of newestFirst) {
                const runs = (await this.api.listCheckRuns(sha, CHECK_RUN_NAME))
                    .filter((run) => run.appSlug === own.appSlug && run.id !== own.id)
                    .sort((a, b) => b.id - a.id);
                for (const run of runs) {
                    const verdicts = readVerdictsMarker(run.text);
                    if (verdicts.length === 0)
                        continue;
                    this.options.logger.info(`${verdicts.length} Claude verdict(s) recorded by check run ${run.id} on ${sha.slice(0, 7)}.`);
                    return new Map(verdicts.map((v) => [v.key, v]));
                }
            }
        }
        catch (error) {
            this.options.logger.warning(`Could not read the verdicts of earlier runs (${getErrorMessage(error)}); findings are verified again.`);
        }
        return new Map();
    }
    /** Step 3: resolved comments, the review, the remaining annotations. */
    async publish(report, prior, change) {
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
    async abandonCheckRun(provisional) {
        if (this.checkRunCompleted)
            return;
        await this.finishCheckRun(provisional).catch((error) => {
            this.options.logger.warning(`Could not complete the check run: ${getErrorMessage(error)}`);
        });
    }
    get isReadOnly() {
        return this.readOnly;
    }
    /** What GitHub did not take although the token may write (a rate limit that outlasted the retries, a server error). */
    get undelivered() {
        return this.failedWrites;
    }
    /** Records a write GitHub refused or failed for good: a notice for the summary and the check run, and a failure for the step. */
    notPosted(what, error) {
        const why = isRateLimited(error) ? `GitHub's rate limit outlasted the retries` : `GitHub answered ${httpStatusOf(error) ?? 'no response'}`;
        const line = `Not posted: ${what} (${why}: ${getErrorMessage(error).split('\n')[0]?.slice(0, 200) ?? ''}).`;
        this.options.logger.warning(line);
        this.notices.push(line);
        this.failedWrites.push(what);
    }
    async resolveFixedComments(report, prior, change) {
        const current = new Set(report.findings.map((p) => p.finding.fingerprint));
        const changedPaths = new Set(change.files.map((f) => f.path));
        const skippedPaths = new Set(report.skippedFiles.map((f) => f.path));
        // Only the scan that found a finding can tell that it is gone: a failed or skipped one says nothing.
        const scansThatRan = new Set(report.scans.filter((s) => s.status === 'ok' || s.status === 'degraded').map((s) => s.scanner));
        let resolved = 0;
        for (const [fingerprint, comment] of prior.open) {
            if (current.has(fingerprint))
                continue;
            const scanTrusted = scansThatRan.has(readFingerprintSource(comment.body) ?? 'ast-grep');
            // A finding is gone only if its file was reviewed this time (or left the PR) by a scan that ran.
            const reviewedNow = changedPaths.has(comment.path) && !skippedPaths.has(comment.path);
            // Past GitHub's 3000-file cap an unlisted file may still be in the PR, unseen.
            const leftThePr = !changedPaths.has(comment.path) && !change.truncated;
            if (!scanTrusted || !(reviewedNow || leftThePr))
                continue;
            try {
                await this.api.updateReviewComment(comment.id, renderResolvedComment(comment.body, this.options.headSha));
                resolved++;
            }
            catch (error) {
                if (isRateLimited(error)) {
                    this.notPosted('the "resolved" mark of fixed findings\' comments', error);
                    break;
                }
                if (this.handleWriteError('mark a fixed finding as resolved', error))
                    break;
            }
        }
        return resolved;
    }
    async postReview(report) {
        const rules = new Map(report.rules.map((r) => [r.id, r]));
        const comments = report.findings.flatMap(({ finding, placement }) => placement.kind === 'inline'
            ? [toReviewComment(finding, placement, rules.get(finding.ruleId), { repository: report.repository, serverUrl: report.serverUrl })]
            : []);
        if (comments.length === 0) {
            this.options.logger.info('No new inline comments: no review posted (the check run and summary carry the results).');
            return undefined;
        }
        const blocking = report.findings.some(({ finding, placement }) => placement.kind === 'inline' &&
            finding.severity === 'critical' &&
            (finding.verdict === undefined || finding.verdict.verdict === 'confirmed'));
        const event = this.options.reviewEvent === 'request-changes' && blocking ? 'REQUEST_CHANGES' : 'COMMENT';
        const body = renderReviewBody(report, { runKey: this.options.runKey });
        return this.createReviewSafely({ commitId: this.options.headSha, body, event, comments }, report);
    }
    /**
     * A review POST is never retried blindly: after a 5xx or a network error the review may exist, so the PR's reviews are read for
     * this run's marker first. A 422 means GitHub rejected a comment (it says not which): the review is posted once more with no
     * inline comments, every finding listed in its body, so nothing is lost.
     */
    async createReviewSafely(input, report) {
        try {
            return await this.api.createReview(input);
        }
        catch (error) {
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
                return this.api.createReview({ ...input, body: fallback, comments: [] }).catch((retryError) => {
                    throw reviewError(retryError);
                });
            }
            let existing;
            try {
                existing = await this.findReviewOfThisRun(input);
            }
            catch (lookupError) {
                // Posting again without knowing whether the first POST worked is exactly the blind retry that duplicates reviews.
                throw new ExternalServiceError(`GitHub API: posting the review failed (${getErrorMessage(error)}) and the reviews could not be read to tell whether it was created (${getErrorMessage(lookupError)}); not posting it again.`, 'github', httpStatusOf(error), { cause: error });
            }
            if (existing) {
                this.options.logger.info(`The review was created despite the error (${getErrorMessage(error)}).`);
                return existing;
            }
            this.options.logger.warning(`Posting the review failed (${getErrorMessage(error)}); no review of this run is on the pull request, trying once more.`);
            return this.api.createReview(input).catch((retryError) => {
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
    async findReviewOfThisRun(posted) {
        const marker = readReviewMarker(reviewMarker(this.options.runKey));
        const reviews = await this.api.listReviewBodies();
        const found = reviews.find((r) => readReviewMarker(r.body) === marker &&
            (this.identity !== undefined
                ? r.userLogin === this.identity
                : r.commitId === posted.commitId && normalizeBody(r.body) === normalizeBody(posted.body)));
        return found ? { id: found.id, htmlUrl: found.htmlUrl } : undefined;
    }
    async finishCheckRun(report) {
        if (!this.checkRun || this.checkRunCompleted)
            return;
        // The run was created without annotations: every chunk goes now (after a failure, those not sent yet), the last one completes
        // it; one request when there are none left.
        const sentBefore = this.annotationsSent;
        const pending = toCheckRunAnnotations(report).slice(sentBefore);
        const annotations = chunkAnnotations(pending, ANNOTATIONS_PER_REQUEST);
        const chunks = annotations.length > 0 ? annotations : [[]];
        for (const [i, chunk] of chunks.entries()) {
            const last = i === chunks.length - 1;
            const update = {
                status: last ? 'completed' : undefined,
                conclusion: last ? report.conclusion : undefined,
                output: checkRunOutput(report, chunk),
            };
            try {
                await this.updateCheckRunOnce(this.checkRun.id, update, chunk.length);
            }
            catch (error) {
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
    async completeCheckRun(checkRunId, report) {
        try {
            await this.api.updateCheckRun(checkRunId, { status: 'completed', conclusion: report.conclusion, output: checkRunOutput(report, []) });
            this.checkRunCompleted = true;
            this.options.onCheckRun?.('completed', checkRunId);
        }
        catch (error) {
            throw new ExternalServiceError(`GitHub API: could not complete check run ${checkRunId} (PATCH /repos/{owner}/{repo}/check-runs/${checkRunId}): ${getErrorMessage(error)}`, 'github', httpStatusOf(error), { cause: error });
        }
    }
    /**
     * Annotations append, so an update is not retried blindly either: after a 5xx or a lost connection the annotation count tells
     * whether GitHub applied it.
     */
    async updateCheckRunOnce(checkRunId, update, added) {
        try {
            await this.api.updateCheckRun(checkRunId, update);
        }
        catch (error) {
            const status = httpStatusOf(error);
            if (status !== undefined && status < 500)
                throw error;
            const count = await this.api.countCheckRunAnnotations(checkRunId);
            if (count === this.annotationsSent + added) {
                this.options.logger.info(`The check-run update was applied despite the error (${getErrorMessage(error)}).`);
            }
            else if (count === this.annotationsSent) {
                this.options.logger.warning(`A check-run update failed (${getErrorMessage(error)}) and was not applied; sending it once more.`);
                await this.api.updateCheckRun(checkRunId, update);
            }
            else {
                throw error;
            }
        }
        this.annotationsSent += added;
    }
    /** A 403 on a write is a read-only token (fork PR): switch to the degraded channels. Returns true when it was one. */
    handleWriteError(action, error) {
        if (httpStatusOf(error) === 403) {
            if (!this.readOnly) {
                this.options.logger.warning(`The token cannot write to this repository (${action}: HTTP 403). Fork pull requests get a read-only token: the results are in the job summary, the log annotations and the SARIF file.`);
            }
            this.readOnly = true;
            return true;
        }
        throw error;
    }
}
function checkRunOutput(report, annotations) {
    const total = report.findings.length;
    const title = checkRunTitle(total, report.notReviewed);
    const remember = verdictsToRecord(report);
    return { title, summary: renderCheckRunSummary(report), ...(remember.length > 0 && { text: verdictsMarker(remember) }), annotations };
}
/**
 * This run's verdicts for the next one, in the order the marker keeps them when they do not all fit: those of findings commented
 * inline last, since their comment already keeps them from being sent again (dismissals stay first, as the stage orders them).
 */
function verdictsToRecord(report) {
    const commented = new Set(report.findings.flatMap((p) => (p.placement.kind === 'inline' || p.placement.kind === 'already-commented' ? [p.finding.fingerprint] : [])));
    const isCommented = (v) => commented.has(v.key.slice(0, v.key.indexOf('.')));
    return [...(report.models?.claude.remember ?? [])].sort((a, b) => Number(isCommented(a)) - Number(isCommented(b)));
}
/** What the checks list shows: the count, and what did not run whenever the review was incomplete (never a bare "No findings"). */
function checkRunTitle(total, notReviewed) {
    const count = total === 0 ? 'No findings' : `${formatCount(total)} finding${total === 1 ? '' : 's'}`;
    if (notReviewed.length === 0)
        return count;
    return truncate(`${count}, not fully reviewed: ${notReviewed.join('; ')}`, CHECK_RUN_TITLE_CHARS);
}
/** GitHub shows about this much of a check run's title. */
const CHECK_RUN_TITLE_CHARS = 250;
function toReviewComment(finding, placement, rule, links) {
    return {
        path: finding.path,
        body: renderInlineComment(finding, rule, { exact: placement.exact, suggestionAllowed: true, links }),
        line: placement.line,
        side: 'RIGHT',
        ...(placement.startLine !== undefined ? { start_line: placement.startLine, start_side: 'RIGHT' } : {}),
    };
}
/** A GitHub failure is reported as one (the action's taxonomy), not as a crash of this action. */
function reviewError(error) {
    return new ExternalServiceError(`GitHub API: could not post the review: ${getErrorMessage(error)}`, 'github', httpStatusOf(error), {
        cause: error,
    });
}
/** GitHub stores a body as sent, but may end lines with CRLF; trailing space does not tell two bodies apart. */
function normalizeBody(body) {
    return body.replace(/\r\n/g, '\n').trimEnd();
}
function asAllOverflow(report) {
    return {
        ...report,
        findings: report.findings.map((p) => (p.placement.kind === 'inline' ? { ...p, placement: { kind: 'overflow' } } : p)),
    };
}

/** An internal setting for the end-to-end tests: scales GitHub's waits (rate limits, 5xx back-off) by a factor in (0, 1]. */
const GITHUB_WAIT_SCALE_ENV = 'ULTRA_CREATE_GITHUB_WAIT_SCALE';
function defaultActionDeps(overrides = {}) {
    const waitScale = Number(process.env[GITHUB_WAIT_SCALE_ENV]);
    const logger = new ActionsLogger();
    return {
        env: process.env,
        logger,
        createApi: (token, runner, pr) => createPullRequestApi(createOctokit({
            token,
            baseUrl: runner.apiUrl,
            logger,
            userAgent: `${TOOL.name}/${TOOL.version}`,
            throttle: overrides.throttle,
            ...(Number.isFinite(waitScale) && waitScale > 0 && { waitScale }),
        }), { owner: runner.repository.owner, repo: runner.repository.repo, pullNumber: pr.number }),
        setOutput: (name, value) => setOutput(name, value),
        writeSummary: async (markdown) => {
            if (process.env.GITHUB_STEP_SUMMARY)
                await summary.addRaw(markdown, true).write();
        },
        saveState: (name, value) => saveState(name, value),
        writeCommand: (line) => process.stdout.write(`${line}\n`),
        setFailed: (message) => setFailed(message),
    };
}
/** Why the step fails: findings at or above `fail-on`, else a review that did not run fully (`fail-on-scan-error`). */
function failureMessage(report) {
    const failing = report.failOn !== 'none' && report.findings.some((p) => p.finding.verdict?.verdict !== 'false_positive' && atLeast(p.finding.severity, report.failOn));
    if (failing || report.notReviewed.length === 0)
        return `ultra-create: findings at or above '${report.failOn}' (see the check run and the job summary).`;
    return `ultra-create: the pull request was not fully reviewed (fail-on-scan-error): ${report.notReviewed.join('; ')}. See the check run and the job summary.`;
}
/**
 * The action's main step: reads the runner's context, then runs the review pipeline (src/main.ts) with the action's ports — the pull
 * request through the API, the GitHub publisher and the runner's outputs. Never throws: failures end in `setFailed`, with user errors
 * told apart from bugs.
 */
async function runAction(deps = defaultActionDeps()) {
    const { logger } = deps;
    try {
        const runner = readRunnerEnvironment(deps.env);
        const event = readEventContext(runner);
        const inputs = readActionInputs(deps.env);
        const token = inputs['github-token'] ?? '';
        if (token)
            logger.mask(token);
        if (inputs['anthropic-api-key'])
            logger.mask(inputs['anthropic-api-key']);
        if (event.kind === 'no-pull-request') {
            // Validate anyway: a broken configuration should fail on every event, not only on the next PR.
            resolveConfig({ inputs, runnerTemp: runner.runnerTemp });
            logger.info(`ultra-create reviews pull requests; the ${event.eventName || 'current'} event has none. Nothing to do.`);
            deps.setOutput(OUTPUT.conclusion, 'skipped');
            return;
        }
        if (!token)
            throw new ConfigurationError(`Input 'github-token' is empty: pass \${{ github.token }} or a token with pull-requests: write.`);
        if (event.eventName === 'pull_request_target') {
            logger.warning('pull_request_target runs with a write token and secrets: never check out and run the PR head in this workflow. ultra-create itself only reads the PR through the API and runs nothing from it on the runner.');
        }
        const api = deps.createApi(token, runner, event);
        const repository = `${runner.repository.owner}/${runner.repository.repo}`;
        let github;
        const report = await runReview({
            logger,
            effects: deps.effects ?? defaultEffects(deps.env),
            configure: () => loadConfig(api, inputs, event, runner, logger),
            source: createGitHubChangeSource({ api, baseSha: event.baseSha, headSha: event.headSha, workspace: runner.workspace, logger }),
            publisher: (config) => createActionPublisher((github = new GitHubPublisher(api, {
                headSha: event.headSha,
                runKey: `${runner.runId}.${runner.runAttempt}`,
                reviewEvent: config.reviewEvent,
                detailsUrl: `${runner.serverUrl}/${repository}/actions/runs/${runner.runId}`,
                logger,
                onCheckRun: (what, id) => deps.saveState(what === 'created' ? STATE.checkRunId : STATE.checkRunCompleted, what === 'created' ? String(id) : 'true'),
            })), config, deps, logger),
            checkoutDir: runner.workspace,
            tempRoot: runner.runnerTemp,
            saveState: (name, value) => deps.saveState(name, value),
            modelFallbackLevel: 'warning',
            links: { repository, serverUrl: runner.serverUrl, pullNumber: event.number },
        });
        logger.info(`Conclusion: ${report.conclusion} (${report.findings.length} finding(s)).`);
        const undelivered = github?.undelivered ?? [];
        if (undelivered.length > 0) {
            // The review is incomplete on the pull request: the step says so even when the findings alone would pass.
            deps.setFailed(`ultra-create: GitHub did not take ${undelivered.join('; ')} (see the job summary).`);
        }
        if (report.conclusion === 'failure')
            deps.setFailed(failureMessage(report));
    }
    catch (error) {
        reportFailure(deps, error);
    }
}
async function loadConfig(api, inputs, event, runner, logger) {
    const location = configFileLocation(inputs);
    // From the base commit: a pull request must not be able to change how it is reviewed.
    const text = await api.readFile(event.baseSha, location.path);
    if (text === undefined && location.userSet) {
        throw new ConfigurationError(`Invalid input 'config-file': ${location.path} does not exist on the base branch (${event.baseRef || event.baseSha}).`);
    }
    logger.info(text === undefined
        ? `No ${location.path} on the base branch: inputs and defaults apply.`
        : `Read ${location.path} from the base commit.`);
    return resolveConfig({
        inputs,
        configFile: text === undefined ? undefined : await parseConfigText({ path: location.path, text }),
        runnerTemp: runner.runnerTemp,
    });
}
function reportFailure(deps, error) {
    const external = asGitHubError(error);
    if (error instanceof ConfigurationError || error instanceof ExternalServiceError) {
        deps.setFailed(error.message);
    }
    else if (external) {
        deps.setFailed(external.message);
    }
    else {
        deps.logger.debug(error instanceof Error && error.stack ? error.stack : String(error));
        deps.setFailed(`ultra-create hit an internal error (please report it): ${getErrorMessage(error)}`);
    }
}

// Exit explicitly so that no pending retry or timer keeps the runner step alive.
await runAction().finally(() => process.exit());
