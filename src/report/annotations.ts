import type { CheckRunAnnotation } from '../github/api.js';
import type { Finding } from '../types.js';
import { SEVERITY_TO_ANNOTATION_LEVEL } from './conclusion.js';
import type { ReviewReport } from '../types.js';
import { compareBySeverity, isDismissed } from './text.js';
import { formatCount, plural, truncate, truncateUtf8 } from '../text/strings.js';
import { revealHidden } from '../text/hidden.js';
import { describeRelated } from '../text/related.js';

/** One entry of a check run's `output.annotations`, as GitHub's REST API takes it (title ≤ 255 characters, texts ≤ 64 KB). */
export type Annotation = CheckRunAnnotation;

const TITLE_CHARS = 255;
/** GitHub's 64 KB for `message` and `raw_details`, with a margin for its own encoding. */
const ANNOTATION_TEXT_BYTES = 64_000;

/** Annotations of one rule in one file before the rest of its findings there are folded into one. */
export const ANNOTATIONS_PER_RULE_AND_FILE = 5;

/** One annotation to write: a finding, or (`more` non-empty) the first of a rule's repeats in a file standing for all of them. */
interface AnnotationEntry {
  finding: Finding;
  more: Finding[];
}

export interface AnnotationPlan {
  entries: AnnotationEntry[];
  /** Findings folded into an aggregate annotation (no annotation of their own). */
  aggregated: number;
  /** Findings in no annotation at all: past the `max-annotations` cap. */
  omitted: number;
}

/**
 * Which annotations a run writes: most severe first, the first few findings of each rule in each file one by one, the rest of that
 * rule's findings in that file as one annotation, and at most `max` in all. Linear in the number of findings (after the sort), so a
 * file of 50,000 matches costs one annotation, not a thousand requests.
 */
export function planAnnotations(findings: readonly Finding[], max: number): AnnotationPlan {
  const sorted = [...findings].sort(compareBySeverity);
  const entries: AnnotationEntry[] = [];
  const perGroup = new Map<string, { count: number; aggregate?: AnnotationEntry }>();
  let aggregated = 0;
  for (const finding of sorted) {
    const key = `${finding.ruleId}\u0000${finding.path}`;
    const group = perGroup.get(key) ?? { count: 0 };
    perGroup.set(key, group);
    group.count++;
    if (group.count <= ANNOTATIONS_PER_RULE_AND_FILE) {
      entries.push({ finding, more: [] });
    } else if (group.aggregate) {
      group.aggregate.more.push(finding);
      aggregated++;
    } else {
      group.aggregate = { finding, more: [] };
      entries.push(group.aggregate);
    }
  }
  // An aggregate stands for its first finding too: that one is annotated, the others are folded.
  const kept = entries.slice(0, Math.max(0, max));
  const omitted = entries.slice(kept.length).reduce((n, entry) => n + 1 + entry.more.length, 0);
  const omittedFolded = entries.slice(kept.length).reduce((n, entry) => n + entry.more.length, 0);
  return { entries: kept, aggregated: aggregated - omittedFolded, omitted };
}

/** The notice for the summaries when not every finding has an annotation of its own; undefined when every one has. */
export function annotationNotice(findings: readonly Finding[], max: number): string | undefined {
  const { aggregated, omitted } = planAnnotations(findings, max);
  if (aggregated + omitted === 0) return undefined;
  const parts: string[] = [];
  if (aggregated > 0) parts.push(`${plural(aggregated, 'repeat')} of one rule in one file folded into one annotation each (after the first ${ANNOTATIONS_PER_RULE_AND_FILE})`);
  if (omitted > 0) parts.push(`${plural(omitted, 'finding')} past the cap of ${plural(max, 'annotation')} (max-annotations)`);
  return `${plural(aggregated + omitted, 'finding')} not annotated one by one in the check run: ${parts.join('; ')}. The job summary and the SARIF file list every finding.`;
}

/**
 * Annotations are the one channel that shows findings outside the diff in the checks tab, so every finding reaches one, up to the
 * `max-annotations` cap (see `planAnnotations`). Most severe first, so that GitHub's display limits cut the least important.
 * Annotations are plain text, not markdown: nothing is escaped, but hidden characters are revealed.
 */
export function toCheckRunAnnotations(report: ReviewReport): Annotation[] {
  return planAnnotations(report.findings.map((p) => p.finding), report.maxAnnotations).entries.map(({ finding, more }) => {
    const { startLine, endLine, startColumn, endColumn } = annotationRange(finding);
    const annotation: Annotation = {
      path: finding.path,
      start_line: startLine,
      end_line: endLine,
      annotation_level: levelOf(finding),
      title: annotationTitle(finding, more.length),
      message: truncateUtf8(annotationMessage(finding, more), ANNOTATION_TEXT_BYTES),
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
  const findings = report.findings.map((p) => p.finding);
  const { entries } = planAnnotations(findings, report.maxAnnotations);
  const commands = entries.map(({ finding, more }) => {
    const { startLine, endLine, startColumn, endColumn } = annotationRange(finding);
    const properties: [string, string | number][] = [
      ['file', finding.path],
      ['line', startLine],
      ['endLine', endLine],
    ];
    if (startColumn !== undefined && endColumn !== undefined) properties.push(['col', startColumn], ['endColumn', endColumn]);
    properties.push(['title', annotationTitle(finding, more.length)]);
    const command = WORKFLOW_COMMAND[levelOf(finding)];
    const props = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
    return `::${command} ${props}::${escapeData(truncate(annotationMessage(finding, more), 4000))}`;
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

function annotationTitle(finding: Finding, more: number): string {
  const repeats = more > 0 ? `, and ${formatCount(more)} more in this file` : '';
  const suffix = ` (${finding.severity}${isDismissed(finding) ? ', likely false positive' : ''}${repeats})`;
  return truncate(revealHidden(finding.ruleId).replace(/\s+/g, ' '), TITLE_CHARS - suffix.length) + suffix;
}

/** Lines listed in an aggregate annotation's message at most. */
const AGGREGATE_LINES_SHOWN = 200;

function annotationMessage(finding: Finding, more: readonly Finding[] = []): string {
  const parts: string[] = [];
  if (more.length > 0) {
    const lines = more.slice(0, AGGREGATE_LINES_SHOWN).map((f) => f.startLine).join(', ');
    const rest = more.length > AGGREGATE_LINES_SHOWN ? `, … (${formatCount(more.length - AGGREGATE_LINES_SHOWN)} more)` : '';
    parts.push(`This annotation stands for ${plural(more.length + 1, 'finding')} of ${finding.ruleId} in this file: this one, and on lines ${lines}${rest}. The job summary and the SARIF file list each one.`);
  }
  if (isDismissed(finding)) {
    const why = finding.verdict?.reasoning?.trim();
    parts.push(`Claude judged this a likely false positive${why ? `: ${why}` : '.'}`);
  }
  const title = finding.draft?.title.trim();
  const body = finding.verdict?.comment?.trim() || finding.draft?.body.trim() || finding.message;
  parts.push(title ? `${title}\n${body}` : body);
  const related = describeRelated(finding);
  if (related) parts.push(related);
  if (finding.note?.trim()) parts.push(`Why it matters: ${finding.note.trim()}`);
  return revealHidden(parts.join('\n\n')) || finding.ruleId;
}
