import { MAX_RELATED_LOCATIONS, type Finding, type RelatedLocation } from '../types.js';
import { oneLine, truncate } from './strings.js';

/** A related location's message as shown: one line, bounded (a third-party rule's label message is the repository's text). */
export const MAX_RELATED_MESSAGE_CHARS = 200;

/**
 * Where a related location is, said from the finding's side: `line 12` / `lines 12-14` in the finding's own file, `path:12` /
 * `path:12-14` in another one.
 */
export function relatedLocationLabel(finding: Pick<Finding, 'path'>, related: RelatedLocation): string {
  const end = Math.max(related.startLine, related.endLine);
  const lines = end === related.startLine ? `${related.startLine}` : `${related.startLine}-${end}`;
  if (related.path === finding.path) return `${end === related.startLine ? 'line' : 'lines'} ${lines}`;
  return `${related.path}:${lines}`;
}

/** The related location's message on one line, bounded, without its final full stop (the phrase adds punctuation). */
export function relatedMessage(related: RelatedLocation): string {
  return truncate(oneLine(related.message), MAX_RELATED_MESSAGE_CHARS).replace(/[.\s]+$/, '');
}

/** The related locations a channel shows: at most `MAX_RELATED_LOCATIONS`, whoever built the finding. */
export function shownRelated(finding: Pick<Finding, 'related'>): RelatedLocation[] {
  return (finding.related ?? []).slice(0, MAX_RELATED_LOCATIONS);
}

/** How a channel shows the parts of the phrase: `label` formats each location (SARIF makes it a link), `text` each message. */
export interface RelatedFormat {
  /** Gets the location's label and its index in `finding.related`. */
  label?(label: string, index: number): string;
  text?(message: string): string;
}

/**
 * The one phrase every channel uses for a finding's related locations, e.g. `Related: line 12: The query runs here.`, or
 * undefined when there is none. Plain text: markdown channels escape it, plain-text channels reveal hidden characters in it.
 */
export function describeRelated(finding: Pick<Finding, 'path' | 'related'>, format: RelatedFormat = {}): string | undefined {
  const related = shownRelated(finding);
  if (related.length === 0) return undefined;
  const parts = related.map((r, index) => {
    const label = relatedLocationLabel(finding, r);
    const where = format.label ? format.label(label, index) : label;
    const message = relatedMessage(r);
    if (!message) return where;
    return `${where}: ${format.text ? format.text(message) : message}`;
  });
  return `Related: ${parts.join('; ')}.`;
}
