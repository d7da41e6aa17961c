import { createHash } from 'node:crypto';
import type { Finding } from '../types.js';
import { compareStrings } from '../text/strings.js';

/**
 * A fingerprint must survive line moves (code added above the finding) and re-runs, so it hashes what was matched, not where.
 * Whitespace is normalized so that re-indenting a block does not resurrect its comments.
 */
export function normalizeEvidence(evidence: string): string {
  return evidence
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/\s+/g, ' '))
    .filter((line) => line.length > 0)
    .join('\n');
}

export function computeFingerprint(ruleId: string, path: string, evidence: string, occurrence = 0): string {
  const hash = createHash('sha256');
  hash.update(`${ruleId}\0${path}\0${normalizeEvidence(evidence)}`);
  if (occurrence > 0) hash.update(`\0#${occurrence}`);
  return hash.digest('hex').slice(0, 32);
}

/**
 * Gives every finding its fingerprint. The same rule matching identical code twice in one file is two findings: the second and later
 * get an occurrence number in file order, so they stay distinct and keep their identity as long as their order does.
 */
export function assignFingerprints<T extends Finding>(findings: readonly T[]): T[] {
  const ordered = [...findings].sort(
    (a, b) => compareStrings(a.path, b.path) || a.startLine - b.startLine || (a.startColumn ?? 0) - (b.startColumn ?? 0),
  );
  const seen = new Map<string, number>();
  for (const finding of ordered) {
    const base = computeFingerprint(finding.ruleId, finding.path, finding.evidence);
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    finding.fingerprint = occurrence === 0 ? base : computeFingerprint(finding.ruleId, finding.path, finding.evidence, occurrence);
  }
  return ordered;
}
