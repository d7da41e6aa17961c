import { SEVERITIES, type Finding, type McpServerOutcome, type ScanReport, type Severity, type SkippedFile } from '../types.js';
import { sanitizeModelText } from '../text/sanitize.js';
import { listedMarker, reviewMarker } from './markers.js';
import type { PlacedFinding, Placement, ReviewReport } from '../types.js';
import { compareBySeverity, countByPlacement, countBySeverity, describeDismissed, dismissedFindings, formatLocation, isDismissed, modelLines, PLACEMENT_LABEL, scanReason, SEVERITY_LABEL, SKIP_REASON_LABEL } from './text.js';
import { compareStrings, formatCount, formatDuration, plural, truncate, truncateUtf8, utf8Length } from '../text/strings.js';
import { codeSpan, escapeMarkdown } from '../text/markdown.js';
import { describeRelated } from '../text/related.js';

// ---------------------------------------------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------------------------------------------

export const SEVERITY_EMOJI: Readonly<Record<Severity, string>> = {
  critical: '🔴',
  high: '🟠',
  medium: '🟡',
  low: '🔵',
  info: '⚪',
};

/** `🔴 **Critical**` */
export function severityBadge(severity: Severity): string {
  return `${SEVERITY_EMOJI[severity]} **${SEVERITY_LABEL[severity]}**`;
}

const STATUS_ICON: Readonly<Record<ScanReport['status'], string>> = {
  ok: '✅',
  degraded: '⚠️',
  skipped: '⏭️',
  failed: '❌',
};

/** GitHub's limits minus a margin; measured in UTF-8 bytes, which is never less than GitHub's character count. */
export const REVIEW_BODY_LIMIT = 60_000;
export const CHECK_RUN_SUMMARY_LIMIT = 65_535;
export const JOB_SUMMARY_LIMIT = 1024 * 1024;

const MESSAGE_CELL_CHARS = 300;

interface Caps {
  /** A failed scanner's reason: long enough to hold a useful error. */
  reasonChars: number;
  /** One warning or notice. */
  itemChars: number;
  warningsPerScan: number;
  skippedPerReason: number;
  notices: number;
  /** Bytes the status sections may use before the rest is cut off with a note. */
  statusBytes: number;
}

const CHECK_RUN_CAPS: Caps = {
  reasonChars: 2000,
  itemChars: 500,
  warningsPerScan: 25,
  skippedPerReason: 20,
  notices: 20,
  statusBytes: 50_000,
};
const JOB_SUMMARY_CAPS: Caps = {
  reasonChars: 4000,
  itemChars: 2000,
  warningsPerScan: 200,
  skippedPerReason: 200,
  notices: 100,
  statusBytes: 300_000,
};

/**
 * One line per scanner that did not run cleanly. A failed scanner is stated as such so that its silence is never read as "no
 * findings".
 */
function scanStatusLines(scans: readonly ScanReport[], reasonChars: number): string[] {
  return scans
    .filter((scan) => scan.status !== 'ok')
    .map((scan) => {
      const reason = escapeMarkdown(truncate(scanReason(scan), reasonChars));
      const name = codeSpan(scan.scanner);
      switch (scan.status) {
        case 'failed':
          return `${STATUS_ICON.failed} **Scanner ${name} failed**: ${reason}. Its findings are missing from this report: this is not a clean result.`;
        case 'degraded':
          return `${STATUS_ICON.degraded} Scanner ${name} ran degraded: ${reason}. It may have missed findings.`;
        default:
          return `${STATUS_ICON.skipped} Scanner ${name} was skipped: ${reason}.`;
      }
    });
}

function headline(report: ReviewReport): string {
  const findings = report.findings.map((p) => p.finding);
  if (findings.length === 0) {
    const incomplete = report.notReviewed.length > 0 || report.scans.some((s) => s.status === 'failed' || s.status === 'skipped');
    return incomplete ? '**No findings from the scanners that ran** (not every scanner ran: see below).' : '**No findings.**';
  }
  const counts = countBySeverity(findings);
  const bySeverity = SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${SEVERITY_EMOJI[s]} ${formatCount(counts[s])} ${s}`)
    .join(' · ');
  return `**${plural(findings.length, 'finding')}**: ${bySeverity}`;
}

function placementLine(report: ReviewReport, forReview: boolean): string {
  const counts = countByPlacement(report);
  const parts = [plural(counts.inline, 'new inline comment')];
  if (counts['already-commented'] > 0) parts.push(`${formatCount(counts['already-commented'])} already commented in earlier runs`);
  if (counts['already-listed'] > 0) parts.push(`${formatCount(counts['already-listed'])} listed in earlier reviews`);
  if (counts.overflow > 0) {
    parts.push(
      `${formatCount(counts.overflow)} over the limit of ${plural(report.maxComments, 'comment')}${forReview ? ' (listed below)' : ''}`,
    );
  }
  if (counts['outside-diff'] > 0) {
    parts.push(`${formatCount(counts['outside-diff'])} outside the diff${forReview ? ' (annotations in the check run)' : ''}`);
  }
  const dismissed = report.findings.filter((p) => isDismissed(p.finding)).length;
  if (dismissed > 0) parts.push(`${formatCount(dismissed)} judged likely false positives by Claude (they do not fail the check)`);
  return `${parts.join(', ')}.`;
}

const FINDING_TABLE_HEADER = ['| Severity | Location | Rule | Message |', '| --- | --- | --- | --- |'];
const FINDING_TABLE_HEADER_WITH_PLACEMENT = [
  '| Severity | Location | Rule | Message | Reported as |',
  '| --- | --- | --- | --- | --- |',
];

function findingRow(placed: PlacedFinding, withPlacement: boolean): string {
  const { finding } = placed;
  const related = describeRelated(finding);
  const message =
    escapeMarkdown(truncate(finding.message, MESSAGE_CELL_CHARS), { table: true }) +
    (related ? ` ${escapeMarkdown(truncate(related, MESSAGE_CELL_CHARS), { table: true })}` : '') +
    (isDismissed(finding) ? ' _(likely false positive)_' : '');
  const cells = [
    `${SEVERITY_EMOJI[finding.severity]} ${SEVERITY_LABEL[finding.severity]}`,
    codeSpan(truncate(formatLocation(finding), 400), { table: true }),
    codeSpan(truncate(finding.ruleId, 200), { table: true }),
    message || ' ',
  ];
  if (withPlacement) cells.push(placementCell(placed.placement));
  return `| ${cells.join(' | ')} |`;
}

function placementCell(placement: Placement): string {
  return placement.kind === 'outside-diff'
    ? `${PLACEMENT_LABEL['outside-diff']} (${escapeMarkdown(truncate(placement.reason, 120), { table: true })})`
    : PLACEMENT_LABEL[placement.kind];
}

/**
 * Takes rows while they fit in `budget` bytes, keeping room for the "and N more" line. Returns the lines to print (possibly just the
 * "more" line) and how many rows were kept.
 */
function fitRows(
  header: readonly string[],
  rows: readonly string[],
  budget: number,
  more: (remaining: number) => string,
): { lines: string[]; kept: number } {
  if (rows.length === 0) return { lines: [], kept: 0 };
  const headerBytes = header.reduce((sum, line) => sum + utf8Length(line) + 1, 0);
  const reserve = utf8Length(more(rows.length)) + 2;
  let used = headerBytes;
  let kept = 0;
  for (const row of rows) {
    const size = utf8Length(row) + 1;
    const isLast = kept === rows.length - 1;
    if (used + size + (isLast ? 0 : reserve) > budget) break;
    used += size;
    kept++;
  }
  if (kept === 0) return { lines: [more(rows.length)], kept: 0 };
  const lines = [...header, ...rows.slice(0, kept)];
  if (kept < rows.length) lines.push('', more(rows.length - kept));
  return { lines, kept };
}

/** Safety net for every document: cut at a line boundary and say so. Sections are sized to stay under it, this only catches bugs. */
function capDocument(text: string, limit: number, note: string): string {
  if (utf8Length(text) <= limit) return text;
  let cut = truncateUtf8(text, limit - utf8Length(note) - 2, '');
  const newline = cut.lastIndexOf('\n');
  if (newline > 0) cut = cut.slice(0, newline);
  return `${cut}\n\n${note}`;
}

function joinBlocks(blocks: readonly (string | undefined)[]): string {
  return blocks.filter((b): b is string => b !== undefined && b.length > 0).join('\n\n');
}

// ---------------------------------------------------------------------------------------------------------------------------------
// The review body
// ---------------------------------------------------------------------------------------------------------------------------------

/** Whether an outside-diff finding is in a file of the pull request. */
function inChangedFile(placement: Placement): boolean {
  return placement.kind === 'outside-diff' && placement.inChangedFile;
}

/**
 * The body of the one review this run posts: what the inline comments do not say. Headline counts, scanners that did not run
 * cleanly, the findings that did not fit under `max-comments`, in `file`/`nofilter` modes the findings in changed files that GitHub
 * does not accept a comment on, and the run marker last.
 */
export function renderReviewBody(report: ReviewReport, options: { runKey: string }): string {
  const overflow = report.findings.filter((p) => p.placement.kind === 'overflow');
  const outside =
    report.filterMode === 'file' || report.filterMode === 'nofilter'
      ? report.findings.filter((p) => inChangedFile(p.placement))
      : [];
  // What this body lists is reported: later runs neither list it again nor comment on it.
  const marker = `${listedMarker([...overflow, ...outside].map((p) => p.finding.fingerprint))}\n${reviewMarker(options.runKey)}`;
  const limit = REVIEW_BODY_LIMIT - utf8Length(marker) - 2;

  const head = joinBlocks([
    `### ${report.tool.name.replace(/[^A-Za-z0-9 ._-]/g, '') || 'ultra-create'} review`,
    `${headline(report)}${report.findings.length > 0 ? ` — ${placementLine(report, true)}` : ''}`,
    scanStatusLines(report.scans, 500).join('\n\n'),
    report.notices.length > 0 ? noticeList(report.notices, 10, 500) : undefined,
  ]);
  const headSized = capDocument(head, Math.floor(limit / 2), '_… (shortened)_');

  let remaining = limit - utf8Length(headSized) - 4;
  const sections: string[] = [];
  const addList = (title: string, list: readonly PlacedFinding[]): void => {
    if (list.length === 0) return;
    const heading = `#### ${title} (${formatCount(list.length)})`;
    const rows = sortPlaced(list).map((p) => findingRow(p, false));
    const { lines } = fitRows(
      FINDING_TABLE_HEADER,
      rows,
      remaining - utf8Length(heading) - 4,
      (n) => `_and ${formatCount(n)} more — see the check run._`,
    );
    const section = `${heading}\n\n${lines.join('\n')}`;
    sections.push(section);
    remaining -= utf8Length(section) + 2;
  };
  addList(`Over the limit of ${plural(report.maxComments, 'inline comment')}`, overflow);
  addList('In changed files, outside the diff', outside);

  const body = capDocument(joinBlocks([headSized, ...sections]), limit, '_… (shortened: see the check run)_');
  return `${body}\n\n${marker}`;
}

function noticeList(notices: readonly string[], cap: number, itemChars: number): string {
  const lines = notices.slice(0, cap).map((n) => `- ${escapeMarkdown(truncate(n, itemChars))}`);
  if (notices.length > cap) lines.push(`- _and ${notices.length - cap} more notices_`);
  return `**Notices**\n${lines.join('\n')}`;
}

function sortPlaced(list: readonly PlacedFinding[]): PlacedFinding[] {
  return [...list].sort((a, b) => compareBySeverity(a.finding, b.finding));
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Check run summary and job summary
// ---------------------------------------------------------------------------------------------------------------------------------

/**
 * The check run's `output.summary` (65,535 characters at most): counts per severity and scanner, scanner problems with their reasons,
 * the files that were not reviewed and why, resolved comments, notices. The findings themselves travel as annotations.
 */
export function renderCheckRunSummary(report: ReviewReport): string {
  const { head, tail } = statusSections(report, CHECK_RUN_CAPS);
  const text = joinBlocks([...head, ...tail]);
  return capDocument(
    text,
    CHECK_RUN_SUMMARY_LIMIT,
    '_… summary truncated at 65,535 characters: the full report is in the job summary and the SARIF file._',
  );
}

/**
 * The job summary (1 MiB at most): the check run summary plus a table of every finding, as many rows as fit, the rest counted and
 * pointed to the SARIF file.
 */
export function renderJobSummary(report: ReviewReport): string {
  const { head, tail } = statusSections(report, JOB_SUMMARY_CAPS);
  const title = `## ${escapeMarkdown(report.tool.name)} review${reviewTarget(report)}`;
  const before = joinBlocks([title, ...head]);
  const after = joinBlocks(tail);
  const budget = JOB_SUMMARY_LIMIT - utf8Length(before) - utf8Length(after) - 64;

  let table: string | undefined;
  if (report.findings.length > 0) {
    const heading = '### Findings';
    const rows = sortPlaced(report.findings).map((p) => findingRow(p, true));
    const { lines } = fitRows(
      FINDING_TABLE_HEADER_WITH_PLACEMENT,
      rows,
      budget - utf8Length(heading) - 4,
      (n) => `_${formatCount(n)} more in the SARIF file._`,
    );
    table = `${heading}\n\n${lines.join('\n')}`;
  }
  return capDocument(
    `${joinBlocks([before, table, after])}\n`,
    JOB_SUMMARY_LIMIT,
    '_… summary truncated at 1 MiB: the full report is in the SARIF file._',
  );
}

/**
 * `--format markdown` for the CLI: the job summary (a complete, self-contained report), then the comments the local model drafted
 * (on a pull request they are the inline comments; locally this is the only place they show).
 */
export function renderFindingsMarkdown(report: ReviewReport): string {
  const summary = renderJobSummary(report);
  const drafted = sortPlaced(report.findings).filter((p) => p.finding.draft?.author === 'model');
  if (drafted.length === 0) return summary;
  const shown = drafted.slice(0, MAX_MARKDOWN_DRAFTS).map(({ finding }) => {
    const draft = finding.draft!;
    const where = `${SEVERITY_EMOJI[finding.severity]} ${codeSpan(truncate(formatLocation(finding), 400))} ${codeSpan(truncate(finding.ruleId, 200))}`;
    // The model's words passed `sanitizeModelText` in the draft stage: they are posted as they are, as on a pull request.
    const related = describeRelated(finding);
    const relatedLine = related ? `\n\n${escapeMarkdown(related)}` : '';
    return `##### ${where}\n\n**${escapeMarkdown(oneLineText(draft.title))}**\n\n${draft.body.trim()}${relatedLine}`;
  });
  const more = drafted.length > shown.length ? [`_${formatCount(drafted.length - shown.length)} more drafts in \`--format json\`._`] : [];
  return `${summary}\n${joinBlocks([`### Comments drafted by the local model (${formatCount(drafted.length)})`, ...shown, ...more])}\n`;
}

const MAX_MARKDOWN_DRAFTS = 100;

function oneLineText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function reviewTarget(report: ReviewReport): string {
  const repo = report.repository ? codeSpan(report.repository) : undefined;
  const pr = report.pullNumber !== undefined ? `pull request ${report.pullNumber}` : undefined;
  const sha = /^[0-9a-f]{7,64}$/i.test(report.headSha) ? codeSpan(report.headSha.slice(0, 12)) : undefined;
  const parts = [repo && pr ? `${repo} ${pr}` : (repo ?? pr), sha ? `at ${sha}` : undefined].filter(Boolean);
  return parts.length > 0 ? `: ${parts.join(' ')}` : '';
}

/**
 * `head` must never be cut (counts, the scanner table, failed scanners); `tail` holds the long lists, each capped by count, and
 * together capped by `statusBytes`.
 */
function statusSections(report: ReviewReport, caps: Caps): { head: string[]; tail: string[] } {
  const findings = report.findings.map((p) => p.finding);
  const conclusion = `Conclusion: **${report.conclusion}** (fail-on ${codeSpan(report.failOn)}, filter mode ${codeSpan(report.filterMode)}).`;
  const placement = findings.length > 0 ? placementLine(report, false) : undefined;
  const resolved =
    report.resolvedCount > 0
      ? `✅ ${plural(report.resolvedCount, 'earlier comment')} marked resolved: ${report.resolvedCount === 1 ? 'its finding is' : 'their findings are'} no longer reported.`
      : undefined;
  const models = modelLines(report);
  const notReviewed =
    report.notReviewed.length > 0 ? `⛔ **Not fully reviewed**: ${escapeMarkdown(report.notReviewed.join('; '))}.` : undefined;
  const head = [
    headline(report),
    conclusion,
    notReviewed,
    scannerTable(report.scans, findings),
    scanStatusLines(report.scans, caps.reasonChars).join('\n\n'),
    testRunSection(report.scans),
    mcpServerSection(report.scans, caps),
    placement,
    resolved,
    models.length > 0 ? models.map((line) => `- ${escapeMarkdown(line)}`).join('\n') : undefined,
  ].filter((b): b is string => b !== undefined && b.length > 0);

  const tail = [
    dismissedSection(report, caps),
    warningSection(report.scans, caps),
    skippedSection(report.skippedFiles, report.filesReviewed, caps),
  ];
  if (report.notices.length > 0) tail.push(noticeList(report.notices, caps.notices, caps.itemChars));
  const tailText = capDocument(joinBlocks(tail), caps.statusBytes, '_… (lists shortened)_');
  return { head, tail: tailText.length > 0 ? [tailText] : [] };
}

/** Findings Claude dismissed, each with its reason: they are not commented inline, so this is where a reviewer can check them. */
function dismissedSection(report: ReviewReport, caps: Caps): string {
  const dismissed = sortPlaced(dismissedFindings(report));
  if (dismissed.length === 0) return '';
  const shown = dismissed.slice(0, caps.notices);
  const lines = shown.map((placed) => {
    const d = describeDismissed(placed, 300);
    // Claude's words: sanitized again once on one line (joining lines can change what markdown means).
    const reason = sanitizeModelText(d.reason, { repository: report.repository, maxLength: 300 });
    return `- ${SEVERITY_EMOJI[placed.finding.severity]} ${d.severity} ${codeSpan(truncate(d.where, 400))} ${codeSpan(truncate(d.rule, 200))}: ${reason}`;
  });
  if (dismissed.length > shown.length) lines.push(`- _and ${formatCount(dismissed.length - shown.length)} more in the SARIF file_`);
  return `#### Dismissed by Claude as likely false positives (${formatCount(dismissed.length)})\n\nNot commented inline and not counted against fail-on; the annotations and the SARIF file keep them.\n\n${lines.join('\n')}`;
}

/** The sandboxed test run: counts, how it ended, where the log is, and the sandbox settings that applied. */
function testRunSection(scans: readonly ScanReport[]): string | undefined {
  const tests = scans.find((scan) => scan.tests !== undefined)?.tests;
  if (!tests) return undefined;
  const n = formatCount;
  const table = [
    '| Passed | Failed | Errors | Skipped | Duration |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${n(tests.passed)} | ${n(tests.failed)} | ${n(tests.errors)} | ${n(tests.skipped)} | ${formatDuration(tests.durationMs)} |`,
  ].join('\n');
  const reports = tests.reports.length > 0 ? tests.reports.slice(0, 10).map((r) => codeSpan(truncate(r, 200))).join(', ') : 'none found';
  const facts = [
    `Outcome: ${escapeMarkdown(truncate(tests.outcome, 300))}.`,
    `Reports: ${reports}${tests.reports.length > 10 ? ', …' : ''}.`,
    tests.logFile ? `Full log on the runner: ${codeSpan(truncate(tests.logFile, 300))}.` : undefined,
  ].filter((line): line is string => line !== undefined);
  const settings = tests.sandbox.map((line) => `- ${escapeMarkdown(truncate(line, 300))}`).join('\n');
  return `#### Tests (sandbox)\n\n${table}\n\n${facts.join(' ')}\n\n<details>\n<summary>Sandbox settings that applied</summary>\n\n${settings}\n\n</details>`;
}

const MCP_STATUS_ICON: Readonly<Record<McpServerOutcome['status'], string>> = {
  scanned: '✅',
  degraded: '⚠️',
  'not-scanned': '⏭️',
  failed: '❌',
};

/** The MCP audit's live checks, one row per server and check: anything but `scanned` with its reason, never as clean. */
function mcpServerSection(scans: readonly ScanReport[], caps: Caps): string | undefined {
  const outcomes = scans.flatMap((scan) => scan.mcpServers ?? []);
  if (outcomes.length === 0) return undefined;
  const shown = outcomes.slice(0, caps.warningsPerScan);
  const rows = shown.map((o) => {
    const listed = o.tools === undefined ? '' : `${formatCount(o.tools)} tools, ${formatCount(o.prompts ?? 0)} prompts, ${formatCount(o.resources ?? 0)} resources`;
    const cells = [
      codeSpan(truncate(o.server, 100), { table: true }),
      codeSpan(truncate(`${o.configPath}:${o.line}`, 300), { table: true }),
      escapeMarkdown(o.check, { table: true }),
      `${MCP_STATUS_ICON[o.status]} ${o.status}`,
      escapeMarkdown(truncate([o.reason, listed].filter(Boolean).join('; '), caps.itemChars), { table: true }) || ' ',
      formatCount(o.findings),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  const more = outcomes.length > shown.length ? `\n\n_${formatCount(outcomes.length - shown.length)} more in the SARIF file._` : '';
  const title = outcomes.some((o) => o.check === 'ramparts-skills') ? 'MCP servers and agent files' : 'MCP servers';
  return `#### ${title} (live checks)\n\n| Server | Config | Check | Status | Reason | Findings |\n| --- | --- | --- | --- | --- | ---: |\n${rows.join('\n')}${more}`;
}

function scannerTable(scans: readonly ScanReport[], findings: readonly Finding[]): string {
  const sources = new Map<string, Finding[]>();
  for (const finding of findings) {
    const list = sources.get(finding.source) ?? [];
    list.push(finding);
    sources.set(finding.source, list);
  }
  const rows: string[] = [];
  const severityCells = (list: readonly Finding[]): string[] => {
    const counts = countBySeverity(list);
    return [...SEVERITIES.map((s) => (counts[s] > 0 ? formatCount(counts[s]) : '·')), formatCount(list.length)];
  };
  for (const scan of scans) {
    const cells = [
      codeSpan(scan.scanner, { table: true }),
      `${STATUS_ICON[scan.status]} ${scan.status}`,
      ...severityCells(sources.get(scan.scanner) ?? []),
      formatCount(scan.filesScanned),
      scan.rulesRun !== undefined ? formatCount(scan.rulesRun) : '·',
      formatDuration(scan.durationMs),
    ];
    rows.push(`| ${cells.join(' | ')} |`);
  }
  // Findings whose source is not one of the scans (e.g. pattern checks run by another scanner) still get counted.
  const scanned = new Set<string>(scans.map((s) => s.scanner));
  for (const [source, list] of [...sources.entries()].sort(([a], [b]) => compareStrings(a, b))) {
    if (scanned.has(source)) continue;
    rows.push(`| ${[codeSpan(source, { table: true }), '·', ...severityCells(list), '·', '·', '·'].join(' | ')} |`);
  }
  rows.push(`| **Total** | | ${severityCells(findings).map((c) => `**${c}**`).join(' | ')} | | | |`);
  const header = `| Scanner | Status | ${SEVERITIES.map((s) => `${SEVERITY_EMOJI[s]} ${SEVERITY_LABEL[s]}`).join(' | ')} | Total | Files | Rules | Time |`;
  const separator = `| --- | --- | ${SEVERITIES.map(() => '---:').join(' | ')} | ---: | ---: | ---: | ---: |`;
  return [header, separator, ...rows].join('\n');
}

function warningSection(scans: readonly ScanReport[], caps: Caps): string {
  const total = scans.reduce((sum, s) => sum + s.warnings.length, 0);
  if (total === 0) return '';
  const lines: string[] = [];
  for (const scan of scans) {
    for (const warning of scan.warnings.slice(0, caps.warningsPerScan)) {
      lines.push(`- ${codeSpan(scan.scanner)}: ${escapeMarkdown(truncate(warning, caps.itemChars))}`);
    }
    if (scan.warnings.length > caps.warningsPerScan) {
      lines.push(`- ${codeSpan(scan.scanner)}: _and ${formatCount(scan.warnings.length - caps.warningsPerScan)} more warnings_`);
    }
  }
  return `#### Scanner warnings (${formatCount(total)})\n\n${lines.join('\n')}`;
}

function skippedSection(skipped: readonly SkippedFile[], filesReviewed: number, caps: Caps): string {
  if (skipped.length === 0) return '';
  const byReason = new Map<SkippedFile['reason'], SkippedFile[]>();
  for (const file of skipped) {
    const list = byReason.get(file.reason) ?? [];
    list.push(file);
    byReason.set(file.reason, list);
  }
  const lines: string[] = [];
  for (const [reason, files] of [...byReason.entries()].sort((a, b) => b[1].length - a[1].length || compareStrings(a[0], b[0]))) {
    const shown = [...files]
      .sort((a, b) => compareStrings(a.path, b.path))
      .slice(0, caps.skippedPerReason)
      .map((f) => codeSpan(truncate(f.path, 300)) + (f.detail ? ` (${escapeMarkdown(truncate(f.detail, 200))})` : ''));
    const more = files.length > shown.length ? `, _and ${formatCount(files.length - shown.length)} more_` : '';
    lines.push(`- **${escapeMarkdown(SKIP_REASON_LABEL[reason])}** (${formatCount(files.length)}): ${shown.join(', ')}${more}`);
  }
  return (
    `#### Files not reviewed (${formatCount(skipped.length)}; ${plural(filesReviewed, 'file')} reviewed)\n\n` +
    lines.join('\n')
  );
}

