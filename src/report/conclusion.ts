import { atLeast, type Conclusion, type FailOn, type Finding, type ScanReport, type Severity, type SkippedFile } from '../types.js';
import { formatCount, plural } from '../text/strings.js';

/** How a finding shows in the checks tab and the diff: only what fails a typical gate is red. */
export const SEVERITY_TO_ANNOTATION_LEVEL: Readonly<Record<Severity, 'failure' | 'warning' | 'notice'>> = {
  critical: 'failure',
  high: 'failure',
  medium: 'warning',
  low: 'notice',
  info: 'notice',
};

/** What of a change was not reviewed, read from the scans and from what collect left out; see `ReviewReport.notReviewed`. */
export function notReviewedParts(input: {
  scans: readonly ScanReport[];
  skipped: readonly SkippedFile[];
  /** GitHub's file listing stopped at its cap: the rest of the pull request was never seen. */
  truncated: boolean;
  listed: number;
}): string[] {
  const parts = input.scans.filter((scan) => scan.status === 'failed').map((scan) => `${scan.scanner} failed`);
  for (const scan of input.scans) {
    const count = scan.filesNotScanned?.length ?? 0;
    if (scan.status !== 'failed' && count > 0) {
      parts.push(`${scan.scanner} could not scan ${plural(count, 'file')} (${scan.filesNotScanned?.map((f) => f.path).slice(0, 3).join(', ')}${count > 3 ? ', …' : ''})`);
    }
  }
  // MCP servers whose live check ran and failed or came back degraded (no rules loaded): not a clean result. `not-scanned` servers
  // (no sandbox, a refused address, no live checks in this build) are listed with their reason like a skipped scanner.
  for (const scan of input.scans) {
    const broken = (scan.mcpServers ?? []).filter((o) => o.status === 'failed' || o.status === 'degraded');
    if (broken.length > 0) {
      parts.push(`${plural(broken.length, 'MCP server')} ${broken.every((o) => o.status === 'failed') ? 'failed' : 'failed or degraded'} in ${scan.scanner} (${broken.map((o) => o.server).slice(0, 3).join(', ')}${broken.length > 3 ? ', …' : ''})`);
    }
  }
  if (input.truncated) parts.push(`GitHub listed only the first ${formatCount(input.listed)} files`);
  for (const reason of HOSTILE_SKIPS) {
    const files = input.skipped.filter((file) => file.reason === reason);
    if (files.length > 0) parts.push(`${plural(files.length, 'file')} ${SKIP_PHRASE[reason]} (${files.map((f) => f.path).slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''})`);
  }
  // GitHub sends no patch for a diff over its limits: the file is not reviewed, and a pull request can make that happen on purpose.
  const unpatched = input.skipped.filter((file) => file.reason === 'no-patch' && file.detail?.startsWith('GitHub sent no patch') === true);
  if (unpatched.length > 0) {
    parts.push(`${plural(unpatched.length, 'file')} without a patch from GitHub (${unpatched.map((f) => f.path).slice(0, 3).join(', ')}${unpatched.length > 3 ? ', …' : ''})`);
  }
  return parts;
}

/**
 * Skips a pull request can cause on purpose to keep code from being scanned. Vendored, generated, binary and removed files are left
 * out by the repository's own settings or carry no code to scan, so they do not make a review incomplete.
 */
const HOSTILE_SKIPS = ['too-large', 'unreadable', 'file-cap'] as const;
const SKIP_PHRASE: Readonly<Record<(typeof HOSTILE_SKIPS)[number], string>> = {
  'too-large': 'over the size cap',
  unreadable: 'unreadable',
  'file-cap': "over GitHub's file limit",
};

/**
 * The check run's conclusion.
 * - `failure` when a finding is at or above `fail-on` (`none` never fails on findings). Findings Claude judged false positives do
 *   not count: the escalation exists precisely to keep them from blocking a merge; they stay visible everywhere else.
 * - `failure` too when the review did not run fully (`notReviewed`: a scanner failed, a file could not be scanned, GitHub's listing
 *   was capped, a file was over the size cap): a pull request can cause each of these on purpose, so "not fully reviewed" must not
 *   pass a required check. `fail-on-scan-error: false` makes it `neutral` instead (incomplete, not green).
 * - `success` otherwise. Skipped scanners are reported with their reason but do not change the conclusion: they are expected
 *   configurations (no test command, no Docker engine), not malfunctions.
 */
export function computeConclusion(
  findings: readonly Finding[],
  failOn: FailOn,
  notReviewed: readonly string[],
  failOnScanError = true,
): Conclusion {
  if (failOn !== 'none') {
    const failing = findings.some(
      (finding) => finding.verdict?.verdict !== 'false_positive' && atLeast(finding.severity, failOn),
    );
    if (failing) return 'failure';
  }
  if (notReviewed.length > 0) return failOnScanError ? 'failure' : 'neutral';
  return 'success';
}
