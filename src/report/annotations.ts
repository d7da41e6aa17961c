import type { CheckRunAnnotation } from '../github/api.js';
import type { Finding } from '../types.js';
import { SEVERITY_TO_ANNOTATION_LEVEL } from './conclusion.js';
import type { ReviewReport } from '../types.js';
import { compareBySeverity, isDismissed } from './text.js';
import { plural, truncate, truncateUtf8 } from '../text/strings.js';
import { revealHidden } from '../text/hidden.js';

/** One entry of a check run's `output.annotations`, as GitHub's REST API takes it (title ≤ 255 characters, texts ≤ 64 KB). */
export type Annotation = CheckRunAnnotation;

const TITLE_CHARS = 255;
/** GitHub's 64 KB for `message` and `raw_details`, with a margin for its own encoding. */
const ANNOTATION_TEXT_BYTES = 64_000;

/**
 * Every finding becomes an annotation, also those outside the diff: annotations are the one channel that shows them all in the
 * checks tab. Most severe first, so that GitHub's display limits cut the least important. Annotations are plain text, not markdown:
 * nothing is escaped, but hidden characters are revealed.
 */
export function toCheckRunAnnotations(report: ReviewReport): Annotation[] {
  return sortedFindings(report).map((finding) => {
    const { startLine, endLine, startColumn, endColumn } = annotationRange(finding);
    const annotation: Annotation = {
      path: finding.path,
      start_line: startLine,
      end_line: endLine,
      annotation_level: levelOf(finding),
      title: annotationTitle(finding),
      message: truncateUtf8(annotationMessage(finding), ANNOTATION_TEXT_BYTES),
    };
    if (startColumn !== undefined) {
      annotation.start_column = startColumn;
      annotation.end_column = endColumn;
    }
    // A failing test's output says more than its source line; raw_details is shown as plain text (no markdown).
    const details = revealHidden(finding.output ?? finding.evidence).replace(/\n+$/, '');
    if (details.trim().length > 0) annotation.raw_details = truncateUtf8(details, ANNOTATION_TEXT_BYTES);
    return annotation;
  });
}

/** GitHub takes at most 50 annotations per create/update request; later requests append. */
export function chunkAnnotations<T>(annotations: readonly T[], size = 50): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const chunks: T[][] = [];
  for (let i = 0; i < annotations.length; i += size) chunks.push(annotations.slice(i, i + size));
  return chunks;
}

/**
 * The fork-PR fallback: the token cannot create a check run, but workflow commands printed to the log still become annotations.
 * GitHub shows only the first few per level and step, hence most severe first and a closing notice when the list is long.
 */
export function toWorkflowCommands(report: ReviewReport): string[] {
  const findings = sortedFindings(report);
  const commands = findings.map((finding) => {
    const { startLine, endLine, startColumn, endColumn } = annotationRange(finding);
    const properties: [string, string | number][] = [
      ['file', finding.path],
      ['line', startLine],
      ['endLine', endLine],
    ];
    if (startColumn !== undefined && endColumn !== undefined) properties.push(['col', startColumn], ['endColumn', endColumn]);
    properties.push(['title', annotationTitle(finding)]);
    const command = WORKFLOW_COMMAND[levelOf(finding)];
    const props = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
    return `::${command} ${props}::${escapeData(truncate(annotationMessage(finding), 4000))}`;
  });
  if (findings.length > 10) {
    commands.push(
      `::notice title=${escapeProperty(`${report.tool.name}: ${plural(findings.length, 'finding')}`)}::` +
        escapeData('GitHub shows only the first annotations of each level per step: the job summary and the SARIF file list them all.'),
    );
  }
  return commands;
}

const WORKFLOW_COMMAND: Readonly<Record<Annotation['annotation_level'], string>> = {
  failure: 'error',
  warning: 'warning',
  notice: 'notice',
};

/** GitHub's workflow-command escaping for the message part. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values additionally escape the separators of the property list. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function sortedFindings(report: ReviewReport): Finding[] {
  return report.findings.map((p) => p.finding).sort(compareBySeverity);
}

/** A dismissed finding stays visible but must not look like a failure next to a green check. */
function levelOf(finding: Finding): Annotation['annotation_level'] {
  return isDismissed(finding) ? 'notice' : SEVERITY_TO_ANNOTATION_LEVEL[finding.severity];
}

/**
 * Finding columns are 1-based with an exclusive end (ast-grep's zero-based end column plus one). GitHub's annotation `end_column`
 * names the last column, so it is one less, and never before the start (a zero-width match marks its start column).
 */
function annotationRange(finding: Finding): { startLine: number; endLine: number; startColumn?: number; endColumn?: number } {
  const startLine = Math.max(1, finding.startLine);
  const endLine = Math.max(startLine, finding.endLine);
  if (startLine !== endLine || finding.startColumn === undefined || finding.startColumn < 1) return { startLine, endLine };
  const startColumn = finding.startColumn;
  const endColumn = finding.endColumn !== undefined ? Math.max(startColumn, finding.endColumn - 1) : startColumn;
  return { startLine, endLine, startColumn, endColumn };
}

function annotationTitle(finding: Finding): string {
  const suffix = ` (${finding.severity}${isDismissed(finding) ? ', likely false positive' : ''})`;
  return truncate(revealHidden(finding.ruleId).replace(/\s+/g, ' '), TITLE_CHARS - suffix.length) + suffix;
}

function annotationMessage(finding: Finding): string {
  const parts: string[] = [];
  if (isDismissed(finding)) {
    const why = finding.verdict?.reasoning?.trim();
    parts.push(`Claude judged this a likely false positive${why ? `: ${why}` : '.'}`);
  }
  const title = finding.draft?.title.trim();
  const body = finding.verdict?.comment?.trim() || finding.draft?.body.trim() || finding.message;
  parts.push(title ? `${title}\n${body}` : body);
  if (finding.note?.trim()) parts.push(`Why it matters: ${finding.note.trim()}`);
  return revealHidden(parts.join('\n\n')) || finding.ruleId;
}
