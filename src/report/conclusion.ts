import { atLeast, type Conclusion, type FailOn, type Finding, type ScanReport, type Severity } from '../types.js';

/** How a finding shows in the checks tab and the diff: only what fails a typical gate is red. */
export const SEVERITY_TO_ANNOTATION_LEVEL: Readonly<Record<Severity, 'failure' | 'warning' | 'notice'>> = {
  critical: 'failure',
  high: 'failure',
  medium: 'warning',
  low: 'notice',
  info: 'notice',
};

/**
 * The check run's conclusion.
 * - `failure` when a finding is at or above `fail-on` (`none` never fails on findings). Findings Claude judged false positives do
 *   not count: the escalation exists precisely to keep them from blocking a merge; they stay visible everywhere else.
 * - `neutral` when nothing fails but a scanner failed: the result is incomplete and must not look green, yet a scanner crash (often
 *   infrastructure: no Docker, a registry outage) should not block merges on its own. Users who want that can gate on the output.
 * - `success` otherwise. Skipped and degraded scans are reported with their reason but do not change the conclusion: they are
 *   expected configurations (no test command, no Docker engine), not malfunctions.
 */
export function computeConclusion(findings: readonly Finding[], failOn: FailOn, scans: readonly ScanReport[]): Conclusion {
  if (failOn !== 'none') {
    const failing = findings.some(
      (finding) => finding.verdict?.verdict !== 'false_positive' && atLeast(finding.severity, failOn),
    );
    if (failing) return 'failure';
  }
  return scans.some((scan) => scan.status === 'failed') ? 'neutral' : 'success';
}
