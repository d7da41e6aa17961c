import { type ClaudeSummary, type Conclusion, type DraftSummary, type FailOn, type FilterMode, type Finding, type ScanReport, type Severity, type SkipReason, type SkippedFile } from '../types.js';
import { SEVERITIES, SEVERITY_RANK } from '../types.js';
import type { PlacedFinding, Placement, ReviewReport } from '../types.js';
import { compareStrings, cutAround, formatCount, formatDuration, formatUsdLimit, oneLine, plural, truncate } from '../text/strings.js';
import { revealHidden } from '../text/hidden.js';
import { describeRelated } from '../text/related.js';

export const SEVERITY_LABEL: Readonly<Record<Severity, string>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/** "1 critical, 3 high" — only the severities that occur, most severe first. */
export function severityBreakdown(findings: readonly Finding[]): string {
  const counts = countBySeverity(findings);
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
}

/** Most severe first, then by place: the order every reporter uses, so caps keep what matters and output is reproducible. */
export function compareBySeverity(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    compareStrings(a.path, b.path) ||
    a.startLine - b.startLine ||
    (a.startColumn ?? 0) - (b.startColumn ?? 0) ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.fingerprint, b.fingerprint)
  );
}

/** `path:12` or `path:12-14`. */
export function formatLocation(finding: Finding): string {
  const end = Math.max(finding.endLine, finding.startLine);
  return end === finding.startLine ? `${finding.path}:${finding.startLine}` : `${finding.path}:${finding.startLine}-${end}`;
}

/**
 * The scanner's reason without a final full stop (the reporters end the sentence), or a stand-in: a non-ok status without a reason
 * must still say something.
 */
export function scanReason(scan: ScanReport): string {
  return scan.reason?.trim().replace(/[.\s]+$/, '') || (scan.status === 'ok' ? '' : 'no reason given');
}

export function isDismissed(finding: Finding): boolean {
  return finding.verdict?.verdict === 'false_positive';
}

export const PLACEMENT_LABEL: Readonly<Record<Placement['kind'], string>> = {
  inline: 'inline comment',
  'already-commented': 'commented earlier',
  'already-listed': 'listed in an earlier review',
  overflow: 'over the comment limit',
  'outside-diff': 'outside the diff',
  dismissed: 'dismissed by Claude',
};

export function countByPlacement(report: ReviewReport): Record<Placement['kind'], number> {
  const counts: Record<Placement['kind'], number> = {
    inline: 0,
    'already-commented': 0,
    'already-listed': 0,
    overflow: 0,
    'outside-diff': 0,
    dismissed: 0,
  };
  for (const { placement } of report.findings) counts[placement.kind]++;
  return counts;
}

// ---------------------------------------------------------------------------------------------------------------------------------
// The model stages
// ---------------------------------------------------------------------------------------------------------------------------------

/**
 * What the model stages did, in sentences every reporter can use (plain text: the markdown reporters escape them). Counts come from
 * the stages' own statistics, so the summary says exactly how many comments a model wrote, how many are templates, and what Claude
 * cost.
 */

export function describeDrafts(drafts: DraftSummary): string {
  const { stats } = drafts;
  const total = stats.model + stats.template;
  if (total === 0) {
    return drafts.mode === 'off'
      ? `Comment drafts: ${drafts.reason ?? "local-model is 'off'"} (template text).`
      : 'Comment drafts: no new comment to word.';
  }
  if (drafts.mode !== 'model') {
    return `Comment drafts: ${plural(total, 'comment')} from templates (${drafts.reason ?? 'no local model'}).`;
  }
  const tokens = `${countText(stats.promptTokens)} prompt + ${countText(stats.completionTokens)} completion tokens`;
  const model = `${plural(stats.model, 'comment')} drafted by ${drafts.model ?? 'the local model'} (${plural(stats.calls, 'call')}, ${tokens}, ${(stats.durationMs / 1000).toFixed(1)} s)`;
  const template =
    stats.template > 0
      ? `, ${countText(stats.template)} from templates (${truncate(stats.failures[0] ?? 'no usable draft', 200)}${stats.failures.length > 1 ? `; ${plural(stats.failures.length - 1, 'more reason')}` : ''})`
      : '';
  return `Comment drafts: ${model}${template}.`;
}

export function describeClaude(claude: ClaudeSummary): string {
  const { stats } = claude;
  const threshold = `at or above ${claude.escalateOn}`;
  const earlier = claude.alreadyCommented > 0 ? ` (${countText(claude.alreadyCommented)} commented earlier, not sent again)` : '';
  if (stats.escalated === 0) return `Claude verification: no new finding ${threshold}${earlier}.`;
  if (claude.mode === 'no-key') {
    return `Claude verification is off (no anthropic-api-key): ${plural(stats.escalated, 'finding')} ${threshold} reported unverified${earlier}.`;
  }
  const verdicts = `${countText(stats.confirmed)} confirmed, ${countText(stats.dismissed)} dismissed as false positives, ${countText(stats.uncertain)} uncertain`;
  const unverified: string[] = [];
  if (stats.unverifiedBudget > 0) unverified.push(`${countText(stats.unverifiedBudget)} not verified because the budget was spent`);
  if (stats.unverifiedError > 0) unverified.push(`${countText(stats.unverifiedError)} not verified because Claude gave no usable answer`);
  const usage =
    `${plural(stats.calls, 'call')}, ${countText(stats.inputTokens)} input + ${countText(stats.outputTokens)} output tokens, ` +
    `$${stats.costUsd.toFixed(4)} of the $${formatUsdLimit(claude.maxUsd)} / ${plural(claude.maxCalls, 'call')} budget`;
  const reused = claude.reused > 0 ? ` (${countText(claude.reused)} of these verdicts from an earlier run on the same code: not sent again)` : '';
  return `Claude verification (${claude.model}): ${plural(stats.escalated, 'finding')} ${threshold}: ${verdicts}${reused}${unverified.length > 0 ? `; ${unverified.join(', ')}` : ''}; ${usage}${earlier}.`;
}

/** Both sentences, or nothing when the model stages did not run. */
export function modelLines(report: ReviewReport): string[] {
  return report.models ? [describeDrafts(report.models.drafts), describeClaude(report.models.claude)] : [];
}

export function dismissedFindings(report: ReviewReport): PlacedFinding[] {
  return report.findings.filter((p) => p.placement.kind === 'dismissed');
}

/**
 * Severity, place, rule and Claude's reason (its first paragraph on one line, roughly cut: a markdown reporter re-sanitizes and cuts
 * it, since joining lines can change what the markdown means).
 */
export function describeDismissed(placed: PlacedFinding, reasonChars: number): { where: string; rule: string; reason: string; severity: string } {
  const { finding } = placed;
  const firstParagraph = (finding.verdict?.reasoning ?? '').trim().split(/\n\s*\n/, 1)[0] ?? '';
  return {
    severity: SEVERITY_LABEL[finding.severity],
    where: formatLocation(finding),
    rule: finding.ruleId,
    reason: firstParagraph.replace(/\s+/g, ' ').slice(0, reasonChars * 2) || 'no reason given',
  };
}


function countText(n: number): string {
  return formatCount(n);
}

// ---------------------------------------------------------------------------------------------------------------------------------
// CLI: `--format text`
// ---------------------------------------------------------------------------------------------------------------------------------

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
  boldRed: '\u001b[1;31m',
} as const;

const SEVERITY_COLOR: Readonly<Record<Severity, string>> = {
  critical: ANSI.boldRed,
  high: ANSI.red,
  medium: ANSI.yellow,
  low: ANSI.cyan,
  info: ANSI.dim,
};

const STATUS_COLOR: Readonly<Record<ScanReport['status'], string>> = {
  ok: ANSI.green,
  degraded: ANSI.yellow,
  skipped: ANSI.yellow,
  failed: ANSI.boldRed,
};

const MAX_EVIDENCE_LINES = 8;
/** A code line longer than this (minified code) is shown as a window around the match. */
export const MAX_CODE_LINE_CHARS = 160;
const MAX_DRAFT_CHARS = 600;
/** The evidence `--format json` (and SARIF) carries: whole, up to this many characters (a minified file is one huge line). */
export const MAX_SNIPPET_CHARS = 16_384;

export interface TextOptions {
  color: boolean;
}

/**
 * One block per finding (`path:line:col  severity  rule  message`, the evidence indented, a blank line), then the scanners, the
 * files not reviewed and a one-line total. Every string from the PR goes through `revealHidden`, so a message cannot move the
 * cursor, recolour the terminal or hide text with escape sequences.
 */
export function renderText(report: ReviewReport, options: TextOptions): string {
  const paint = (color: string, text: string): string => (options.color ? `${color}${text}${ANSI.reset}` : text);
  const clean = (text: string): string => revealHidden(text);
  const out: string[] = [];

  const findings = report.findings.map((p) => p.finding).sort(compareBySeverity);
  for (const finding of findings) {
    const column = finding.startColumn !== undefined ? `:${finding.startColumn}` : '';
    const location = `${clean(finding.path)}:${finding.startLine}${column}`;
    const dismissed = isDismissed(finding) ? `  ${paint(ANSI.dim, '(likely false positive)')}` : '';
    out.push(
      `${paint(ANSI.bold, location)}  ${paint(SEVERITY_COLOR[finding.severity], finding.severity)}  ${clean(finding.ruleId)}  ` +
        `${clean(oneLine(finding.message))}${dismissed}`,
    );
    const related = describeRelated(finding);
    if (related) out.push(`    ${clean(related)}`);
    const verdict = finding.verdict;
    if (verdict && verdict.verdict !== 'unverified') {
      const said = oneLine((isDismissed(finding) ? verdict.reasoning : verdict.comment) ?? '');
      out.push(paint(ANSI.dim, `    Claude: ${verdict.verdict.replace('_', ' ')}${said ? ` — ${truncate(clean(said), 300)}` : ''}`));
    }
    const draft = finding.draft;
    if (draft?.author === 'model') {
      const words = oneLine(`${draft.title} — ${draft.body}`);
      out.push(paint(ANSI.dim, `    Draft (local model): ${truncate(clean(words), MAX_DRAFT_CHARS)}`));
    }
    if (finding.output) {
      // The start says what failed (a test's message and first frames), the end how a run ended: both, around what is left out.
      const output = clean(finding.output).split('\n');
      const half = Math.ceil(MAX_EVIDENCE_LINES / 2);
      const shown = output.length > MAX_EVIDENCE_LINES ? [...output.slice(0, half), `… ${plural(output.length - 2 * half, 'more line')}`, ...output.slice(-half)] : output;
      for (const line of shown) out.push(paint(ANSI.dim, `    | ${truncate(line, 300)}`));
    }
    // Cut before revealing hidden characters: the column counts the characters of the source line.
    const lines = finding.evidence.replace(/\n+$/, '').split('\n');
    if (lines.length > 0 && lines.some((l) => l.trim().length > 0)) {
      for (const [index, line] of lines.slice(0, MAX_EVIDENCE_LINES).entries()) {
        const at = index === 0 ? (finding.startColumn ?? 1) - 1 : 0;
        out.push(paint(ANSI.dim, `    ${clean(cutAround(line, at, MAX_CODE_LINE_CHARS))}`));
      }
      if (lines.length > MAX_EVIDENCE_LINES) out.push(paint(ANSI.dim, `    … ${plural(lines.length - MAX_EVIDENCE_LINES, 'more line')}`));
    }
    out.push('');
  }

  for (const scan of report.scans) {
    const status = paint(STATUS_COLOR[scan.status], scan.status === 'failed' ? 'FAILED' : scan.status);
    // A skipped scanner, or a failed one that never got to scan, ran nothing: counts next to it would read like a clean result.
    const ranNothing = scan.status === 'skipped' || (scan.status === 'failed' && scan.filesScanned === 0 && scan.findings.length === 0);
    const facts =
      ranNothing
        ? ''
        : ` (${[
            plural(scan.findings.length, 'finding'),
            plural(scan.filesScanned, 'file'),
            // The MCP audit counts the servers it audited there.
            ...(scan.rulesRun !== undefined ? [plural(scan.rulesRun, scan.scanner === 'ramparts' ? 'MCP server' : 'rule')] : []),
            formatDuration(scan.durationMs),
          ].join(', ')})`;
    const reason = scan.status === 'ok' ? '' : `: ${clean(oneLine(scanReason(scan)))}`;
    out.push(`${scan.scanner}: ${status}${facts}${reason}`);
    if (scan.tests) {
      const t = scan.tests;
      out.push(`  ${t.passed} passed, ${t.failed} failed, ${t.errors} errors, ${t.skipped} skipped; ${clean(oneLine(t.outcome))}`);
      if (t.logFile) out.push(`  log: ${clean(t.logFile)}`);
    }
    for (const o of scan.mcpServers ?? []) {
      const color = o.status === 'scanned' ? ANSI.green : o.status === 'failed' ? ANSI.boldRed : ANSI.yellow;
      const reason = o.reason ? `: ${clean(oneLine(o.reason))}` : '';
      out.push(`  ${o.check === 'ramparts-skills' ? 'agent file' : 'MCP server'} ${clean(oneLine(o.server))} (${clean(o.configPath)}:${o.line}) ${o.check}: ${paint(color, o.status)}${reason}`);
    }
    for (const warning of scan.warnings) out.push(`  ${paint(ANSI.yellow, 'warning')}: ${clean(oneLine(warning))}`);
  }
  if (report.skippedFiles.length > 0) {
    out.push(`Not reviewed: ${plural(report.skippedFiles.length, 'file')} (${skippedBreakdown(report.skippedFiles)})`);
  }
  for (const notice of report.notices) out.push(`${paint(ANSI.yellow, 'notice')}: ${clean(oneLine(notice))}`);
  for (const line of modelLines(report)) out.push(clean(line));

  const breakdown = findings.length > 0 ? ` (${severityBreakdown(findings)})` : '';
  const conclusionColor = report.conclusion === 'failure' ? ANSI.boldRed : report.conclusion === 'neutral' ? ANSI.yellow : ANSI.green;
  out.push(
    `${plural(findings.length, 'finding')}${breakdown} in ${plural(report.filesReviewed, 'file')}; ` +
      `conclusion: ${paint(conclusionColor, report.conclusion)} (fail-on: ${report.failOn})`,
  );
  return `${out.join('\n')}\n`;
}

/** How each reason for not reviewing a file is named to people. */
export const SKIP_REASON_LABEL: Readonly<Record<SkipReason, string>> = {
  binary: 'binary',
  // The detail says which: diff too large for GitHub, renamed without changes.
  'no-patch': 'no patch to review',
  empty: 'empty',
  removed: 'removed',
  vendored: 'vendored',
  generated: 'generated',
  minified: 'minified',
  'too-large': 'too large',
  unreadable: 'unreadable',
  'file-cap': "over GitHub's file limit",
};

function skippedBreakdown(files: readonly SkippedFile[]): string {
  const counts = new Map<string, number>();
  for (const file of files) counts.set(SKIP_REASON_LABEL[file.reason], (counts.get(SKIP_REASON_LABEL[file.reason]) ?? 0) + 1);
  return [...counts.entries()].map(([reason, count]) => `${reason} ${count}`).join(', ');
}


// ---------------------------------------------------------------------------------------------------------------------------------
// CLI: `--format json`
// ---------------------------------------------------------------------------------------------------------------------------------

/**
 * The document `--format json` prints. Scripts depend on it: add fields, never rename or remove them without bumping
 * `schemaVersion`. Keys are emitted in the order declared here; findings are most severe first, then by path and line.
 *
 * ```
 * {
 *   "schemaVersion": 1,
 *   "tool": { "name", "version", "informationUri" },
 *   "repository"?, "pullNumber"?, "baseSha"?, "headSha",
 *   "filterMode", "failOn", "conclusion": "success" | "failure" | "neutral",
 *   "totals": { "findings", "bySeverity": { "critical", "high", "medium", "low", "info" }, "filesReviewed", "filesSkipped" },
 *   "findings": [ { ...Finding (ruleId, source, severity, path, startLine, endLine, startColumn?, endColumn?, message, note?, fix?,
 *                   evidence, fingerprint, helpUri?, draft?, verdict?, related?: [ { path, startLine, endLine, startColumn?,
 *                   endColumn?, message } ]), "placement": Placement } ],
 *   "scans": [ { "scanner", "status", "reason"?, "findings": <count>, "durationMs", "filesScanned", "rulesRun"?, "warnings": [] } ],
 *   "skippedFiles": [ { "path", "reason", "detail"? } ],
 *   "resolvedCount", "notices": []
 * }
 * ```
 */
export interface JsonReport {
  schemaVersion: 1;
  tool: ReviewReport['tool'];
  repository?: string;
  pullNumber?: number;
  baseSha?: string;
  headSha: string;
  filterMode: FilterMode;
  failOn: FailOn;
  conclusion: Conclusion;
  totals: { findings: number; bySeverity: Record<Severity, number>; filesReviewed: number; filesSkipped: number };
  findings: (Finding & { placement: Placement })[];
  scans: (Omit<ScanReport, 'findings'> & { findings: number })[];
  skippedFiles: SkippedFile[];
  resolvedCount: number;
  notices: string[];
}

export function toJsonReport(report: ReviewReport): JsonReport {
  const placed = [...report.findings].sort((a, b) => compareBySeverity(a.finding, b.finding));
  const findings = placed.map((p) => p.finding);
  return {
    schemaVersion: 1,
    tool: { name: report.tool.name, version: report.tool.version, informationUri: report.tool.informationUri },
    repository: report.repository,
    pullNumber: report.pullNumber,
    baseSha: report.baseSha,
    headSha: report.headSha,
    filterMode: report.filterMode,
    failOn: report.failOn,
    conclusion: report.conclusion,
    totals: {
      findings: findings.length,
      bySeverity: countBySeverity(findings),
      filesReviewed: report.filesReviewed,
      filesSkipped: report.skippedFiles.length,
    },
    findings: placed.map(({ finding, placement }) => ({ ...finding, evidence: truncate(finding.evidence, MAX_SNIPPET_CHARS), placement })),
    scans: report.scans.map((scan) => ({
      scanner: scan.scanner,
      status: scan.status,
      reason: scan.reason,
      findings: scan.findings.length,
      durationMs: scan.durationMs,
      filesScanned: scan.filesScanned,
      rulesRun: scan.rulesRun,
      ...(scan.tests && { tests: scan.tests }),
      ...(scan.mcpServers && { mcpServers: scan.mcpServers.map((o) => ({ ...o })) }),
      warnings: [...scan.warnings],
    })),
    skippedFiles: report.skippedFiles.map((f) => ({ path: f.path, reason: f.reason, detail: f.detail })),
    resolvedCount: report.resolvedCount,
    notices: [...report.notices],
  };
}

/** `toJsonReport` serialized: two-space indent, absent optional fields omitted, trailing newline. */
export function renderJson(report: ReviewReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
