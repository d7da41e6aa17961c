import { createHash } from 'node:crypto';
import { SEVERITY_RANK, type Finding, type ScanReport, type Severity } from '../types.js';
import { normalizeEvidence } from './fingerprint.js';
import type { ReviewReport, RuleInfo } from '../types.js';
import { compareBySeverity, MAX_SNIPPET_CHARS, scanReason } from './text.js';
import { cweNumber, cweUrl, escapeMarkdown, safeHttpUrl } from '../text/markdown.js';
import { compareStrings, formatCount, oneLine, plural, truncate } from '../text/strings.js';
import { revealHidden } from '../text/hidden.js';
import { describeRelated, relatedMessage, shownRelated } from '../text/related.js';

// The subset of SARIF 2.1.0 this action writes (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html).

export type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifRegion {
  startLine: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
  snippet?: { text: string };
}

export interface SarifArtifactLocation {
  uri: string;
  uriBaseId: string;
}

export interface SarifReportingDescriptor {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; precision: 'very-high' | 'high' | 'medium' | 'low'; 'security-severity'?: string };
}

export interface SarifFix {
  description: SarifMessage;
  artifactChanges: {
    artifactLocation: SarifArtifactLocation;
    replacements: { deletedRegion: SarifRegion; insertedContent: { text: string } }[];
  }[];
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: {
    physicalLocation: { artifactLocation: SarifArtifactLocation; region: SarifRegion; contextRegion?: SarifRegion };
  }[];
  /** Other places that explain the result; the message links to each as `[text](id)` (SARIF 2.1.0 §3.11.6). */
  relatedLocations?: SarifRelatedLocation[];
  partialFingerprints: Record<string, string>;
  fixes?: SarifFix[];
  properties: Record<string, unknown>;
}

export interface SarifRelatedLocation {
  id: number;
  physicalLocation: { artifactLocation: SarifArtifactLocation; region: SarifRegion };
  message: SarifMessage;
}

export interface SarifNotification {
  level: SarifLevel;
  message: SarifMessage;
  descriptor: { id: string };
  properties?: Record<string, unknown>;
}

export interface SarifRun {
  tool: { driver: { name: string; version: string; informationUri: string; rules: SarifReportingDescriptor[] } };
  automationDetails: { id: string };
  invocations: { executionSuccessful: boolean; toolExecutionNotifications: SarifNotification[] }[];
  results: SarifResult[];
  properties: Record<string, unknown>;
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** GitHub code scanning rejects runs with more results. */
export const SARIF_MAX_RESULTS = 25_000;
const SRCROOT = '%SRCROOT%';
const MAX_NOTIFICATIONS_PER_SCAN = 200;

const LEVEL: Readonly<Record<Severity, SarifLevel>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub maps these onto its own critical (≥ 9.0), high (7.0–8.9), medium (4.0–6.9) and low (0.1–3.9) security severities. */
const SECURITY_SEVERITY: Readonly<Partial<Record<Severity, string>>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

const PRECISION: Readonly<Record<RuleInfo['source'], SarifReportingDescriptor['properties']['precision']>> = {
  // A failing test is a fact; a structural match is precise about the code but not about intent; config audits are heuristic.
  tests: 'very-high',
  'ast-grep': 'high',
  ramparts: 'medium',
  'mcp-pattern': 'medium',
  templates: 'high',
};

export interface BuildSarifOptions {
  /** Defaults to GitHub's 25,000. */
  maxResults?: number;
}

/**
 * The SARIF 2.1.0 log for GitHub code scanning (and any SARIF viewer): one run, every rule that ran (plus a synthesized one for
 * findings whose rule is unknown), every finding as a result up to GitHub's per-run limit (the most severe kept), and the scanners'
 * problems as tool execution notifications, so that a failed scan is visible here too and not mistaken for a clean one.
 */
export function buildSarif(report: ReviewReport, options: BuildSarifOptions = {}): SarifLog {
  const maxResults = options.maxResults ?? SARIF_MAX_RESULTS;
  const findings = report.findings.map((p) => p.finding);
  const rules = collectRules(report.rules, findings);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const lineHashes = primaryLocationLineHashes(findings);

  const sorted = [...findings].sort(compareBySeverity);
  const kept = sorted.slice(0, maxResults);
  const dropped = sorted.length - kept.length;

  const notifications = scanNotifications(report.scans);
  const mcpServers = report.scans.flatMap((scan) => (scan.mcpServers ?? []).map((o) => ({ ...o })));
  if (report.skippedFiles.length > 0) {
    notifications.push({
      level: 'note',
      message: { text: `${plural(report.skippedFiles.length, 'changed file')} not reviewed (${skippedBreakdown(report)}).` },
      descriptor: { id: 'files-not-reviewed' },
    });
  }
  if (dropped > 0) {
    notifications.push({
      level: 'warning',
      message: {
        text:
          `${plural(dropped, 'result')} dropped: GitHub code scanning accepts at most ${formatCount(maxResults)} results per run; ` +
          `the ${formatCount(kept.length)} most severe were kept.`,
      },
      descriptor: { id: 'results-truncated' },
      properties: { dropped, total: sorted.length },
    });
  }

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            informationUri: report.tool.informationUri,
            rules: rules.map(toReportingDescriptor),
          },
        },
        automationDetails: { id: `${report.tool.name}/` },
        invocations: [
          {
            executionSuccessful: !report.scans.some((scan) => scan.status === 'failed'),
            toolExecutionNotifications: notifications,
          },
        ],
        results: kept.map((finding) => toResult(finding, ruleIndex.get(finding.ruleId) ?? 0, lineHashes.get(finding) ?? '')),
        properties: {
          conclusion: report.conclusion,
          failOn: report.failOn,
          headSha: report.headSha,
          ...(mcpServers.length > 0 && { mcpServers }),
        },
      },
    ],
  };
}

/** Stable JSON: keys sorted at every level, so the same report always gives the same bytes whatever the construction order. */
export function serializeSarif(log: SarifLog): string {
  return `${JSON.stringify(sortKeys(log), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareStrings)) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) sorted[key] = sortKeys(child);
    }
    return sorted;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------------------------------------------

function collectRules(known: readonly RuleInfo[], findings: readonly Finding[]): RuleInfo[] {
  const rules = new Map<string, RuleInfo>();
  for (const rule of known) if (!rules.has(rule.id)) rules.set(rule.id, rule);
  const synthesized = new Map<string, RuleInfo>();
  for (const finding of findings) {
    if (rules.has(finding.ruleId)) continue;
    const existing = synthesized.get(finding.ruleId);
    if (existing && SEVERITY_RANK[existing.severity] >= SEVERITY_RANK[finding.severity]) continue;
    synthesized.set(finding.ruleId, {
      id: finding.ruleId,
      source: finding.source,
      severity: finding.severity,
      shortDescription: `Findings of the ${finding.source} rule ${finding.ruleId}`,
      fullDescription: finding.note ?? existing?.fullDescription,
      helpUri: finding.helpUri ?? existing?.helpUri,
    });
  }
  return [...rules.values(), ...[...synthesized.values()].sort((a, b) => compareStrings(a.id, b.id))];
}

function toReportingDescriptor(rule: RuleInfo): SarifReportingDescriptor {
  const short = truncate(oneLine(revealHidden(rule.shortDescription)) || rule.id, 1000);
  const full = revealHidden(rule.fullDescription?.trim() || short);
  const cwe = cweNumber(rule.cwe);
  const helpUri = safeHttpUrl(rule.helpUri);
  const security = isSecurityRule(rule);

  const helpText = [full, cwe ? `CWE-${cwe}: ${cweUrl(cwe)}` : undefined, helpUri ? `Documentation: ${helpUri}` : undefined]
    .filter(Boolean)
    .join('\n\n');
  const helpMarkdown = [
    escapeMarkdown(full, { multiline: true, linkCwe: true }),
    cwe && !new RegExp(`\\bCWE-${cwe}\\b`).test(full) ? `[CWE-${cwe}](${cweUrl(cwe)})` : undefined,
    helpUri ? `[Documentation](${helpUri})` : undefined,
  ]
    .filter(Boolean)
    .join('\n\n');

  // GitHub reads `security-severity` only on rules tagged `security`; CWE tags follow CodeQL's zero-padded spelling so that
  // code scanning's filters group our alerts with CodeQL's.
  const tags = unique([
    ...(security ? ['security'] : []),
    ...(rule.category ? [rule.category] : []),
    ...(rule.tags ?? []),
    ...(cwe ? [`CWE-${cwe}`, `external/cwe/cwe-${cwe.padStart(3, '0')}`] : []),
    rule.source,
  ]);
  const securitySeverity = security ? SECURITY_SEVERITY[rule.severity] : undefined;

  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: short },
    fullDescription: { text: full },
    help: { text: helpText, markdown: helpMarkdown },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags,
      precision: PRECISION[rule.source],
      ...(securitySeverity ? { 'security-severity': securitySeverity } : {}),
    },
  };
}

function isSecurityRule(rule: RuleInfo): boolean {
  return (
    cweNumber(rule.cwe) !== undefined ||
    /security/i.test(rule.category ?? '') ||
    rule.source === 'ramparts' ||
    rule.source === 'mcp-pattern'
  );
}

/** `js/no-eval-call` → `JsNoEvalCall`: SARIF's `name` is an identifier-like label for the rule. */
export function pascalCase(id: string): string {
  const name = id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return /^[A-Za-z]/.test(name) ? name : `Rule${name}`;
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------------------------------------------

function toResult(finding: Finding, ruleIndex: number, lineHash: string): SarifResult {
  const artifactLocation = artifactLocationOf(finding.path);
  const region = regionOf(finding);
  const evidence = truncate(finding.evidence.replace(/\n+$/, ''), MAX_SNIPPET_CHARS);
  const physicalLocation: SarifResult['locations'][number]['physicalLocation'] = { artifactLocation, region };
  if (evidence.trim().length > 0) {
    // The evidence is whole lines, which is a context region: `region.snippet` would have to match the columns exactly.
    physicalLocation.contextRegion = { startLine: region.startLine, endLine: region.endLine, snippet: { text: evidence } };
  }

  const text = unlinked(nonEmptyOr(revealHidden(finding.message), finding.ruleId));
  const result: SarifResult = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text },
    locations: [{ physicalLocation }],
    partialFingerprints: { primaryLocationLineHash: lineHash, 'ultraCreate/v1': finding.fingerprint },
    properties: { severity: finding.severity, source: finding.source },
  };
  const related = relatedLocationsOf(finding);
  if (related.length > 0) {
    result.relatedLocations = related;
    const links = describeRelated(finding, {
      label: (label, index) => `[${escapeLinkText(revealHidden(label))}](${index + 1})`,
      text: (message) => unlinked(revealHidden(message)),
    });
    if (links) result.message.text = `${text} ${links}`;
  }
  const fixes = fixesOf(finding, artifactLocation);
  if (fixes) result.fixes = fixes;
  if (finding.verdict) {
    // Recorded, not turned into a SARIF suppression: a model's verdict on untrusted code should not hide an alert in code scanning,
    // where a human dismisses it with a reason.
    result.properties.verdict = finding.verdict.verdict;
    if (finding.verdict.reasoning) result.properties.verdictReasoning = finding.verdict.reasoning;
  }
  return result;
}

/** The finding's related locations, numbered from 1 in order: the ids the result message links to. */
function relatedLocationsOf(finding: Finding): SarifRelatedLocation[] {
  return shownRelated(finding).map((related, index) => ({
    id: index + 1,
    physicalLocation: { artifactLocation: artifactLocationOf(related.path), region: regionOf(related) },
    message: { text: `${nonEmptyOr(unlinked(revealHidden(relatedMessage(related))), 'Related location')}.` },
  }));
}

/** A link-shaped `](3)` in a tool's text would point at one of our locations (§3.11.6): a space keeps it text. */
function unlinked(text: string): string {
  return text.replace(/\]\((\d+)\)/g, '] ($1)');
}

/** Link text of a plain-text message: literal backslashes and square brackets are escaped with a backslash (§3.11.6). */
function escapeLinkText(text: string): string {
  return text.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

/** Repository-relative, percent-encoded per segment so that spaces, `#` or `:` in a path still make a valid URI reference. */
function artifactLocationOf(path: string): SarifArtifactLocation {
  return { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/**
 * Finding lines are 1-based and inclusive. Finding columns are assumed 1-based with an exclusive end (the scanners add one to
 * ast-grep's zero-based columns), which is exactly SARIF's convention (§3.30.5–3.30.8: `endColumn` is the column after the last
 * character), so they are copied as they are. An end before the start on the same line is dropped rather than sent invalid.
 */
function regionOf(finding: Pick<Finding, 'startLine' | 'endLine' | 'startColumn' | 'endColumn'>): SarifRegion {
  const startLine = Math.max(1, finding.startLine);
  const endLine = Math.max(startLine, finding.endLine);
  const region: SarifRegion = { startLine, endLine };
  if (finding.startColumn !== undefined && finding.startColumn >= 1) {
    region.startColumn = finding.startColumn;
    if (finding.endColumn !== undefined && (endLine > startLine ? finding.endColumn >= 1 : finding.endColumn >= finding.startColumn)) {
      region.endColumn = finding.endColumn;
    }
  }
  return region;
}

/**
 * With columns, `fix.replacement` replaces exactly the matched range. Without them, only `replacementLines` can be placed: a region
 * of whole lines (no columns) covers the lines' text without the final line break, hence one trailing line break is dropped.
 * A fix that can be placed neither way is left out rather than applied to the wrong text.
 */
function fixesOf(finding: Finding, artifactLocation: SarifArtifactLocation): SarifFix[] | undefined {
  const fix = finding.fix;
  if (!fix) return undefined;
  const region = regionOf(finding);
  let replacement: { deletedRegion: SarifRegion; insertedContent: { text: string } };
  if (region.startColumn !== undefined && region.endColumn !== undefined) {
    replacement = { deletedRegion: region, insertedContent: { text: fix.replacement } };
  } else if (fix.replacementLines !== undefined) {
    replacement = {
      deletedRegion: { startLine: region.startLine, endLine: region.endLine },
      insertedContent: { text: fix.replacementLines.replace(/\r?\n$/, '') },
    };
  } else {
    return undefined;
  }
  return [{ description: { text: `Apply the fix of ${finding.ruleId}` }, artifactChanges: [{ artifactLocation, replacements: [replacement] }] }];
}

/**
 * `primaryLocationLineHash` in GitHub's `hash:ordinal` form. The hash covers the normalized evidence (not the line number), so an
 * alert keeps its identity when code above it moves it; the ordinal tells identical matches of one rule in one file apart, counted
 * in file order over all findings (before the 25,000 cut) so that truncation never renumbers what is kept.
 */
function primaryLocationLineHashes(findings: readonly Finding[]): Map<Finding, string> {
  const ordered = [...findings].sort(
    (a, b) =>
      compareStrings(a.path, b.path) ||
      a.startLine - b.startLine ||
      (a.startColumn ?? 0) - (b.startColumn ?? 0) ||
      compareStrings(a.ruleId, b.ruleId) ||
      compareStrings(a.fingerprint, b.fingerprint),
  );
  const seen = new Map<string, number>();
  const hashes = new Map<Finding, string>();
  for (const finding of ordered) {
    const content = normalizeEvidence(finding.evidence) || normalizeEvidence(finding.message);
    const hash = createHash('sha256').update(content).digest('hex').slice(0, 16);
    const key = `${finding.ruleId}\0${finding.path}\0${hash}`;
    const ordinal = (seen.get(key) ?? 0) + 1;
    seen.set(key, ordinal);
    hashes.set(finding, `${hash}:${ordinal}`);
  }
  return hashes;
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------------------------------------------------

const STATUS_LEVEL: Readonly<Record<Exclude<ScanReport['status'], 'ok'>, SarifLevel>> = {
  failed: 'error',
  degraded: 'warning',
  skipped: 'note',
};

function scanNotifications(scans: readonly ScanReport[]): SarifNotification[] {
  const notifications: SarifNotification[] = [];
  for (const scan of scans) {
    if (scan.status !== 'ok') {
      const reason = scanReason(scan);
      const consequence = scan.status === 'failed' ? ' Its findings are missing: this is not a clean result.' : '';
      notifications.push({
        level: STATUS_LEVEL[scan.status],
        message: { text: `Scanner ${scan.scanner} ${scan.status}: ${revealHidden(reason)}.${consequence}` },
        descriptor: { id: `scan-${scan.status}` },
        properties: { scanner: scan.scanner, status: scan.status },
      });
    }
    for (const outcome of (scan.mcpServers ?? []).filter((o) => o.status !== 'scanned')) {
      notifications.push({
        level: outcome.status === 'failed' ? 'error' : 'warning',
        message: {
          text: `${outcome.check === 'ramparts-skills' ? 'Agent file' : 'MCP server'} ${revealHidden(outcome.server)} (${outcome.configPath}:${outcome.line}) ${outcome.check}: ${outcome.status}: ${revealHidden(outcome.reason ?? 'no reason given')}. It is not a clean result.`,
        },
        descriptor: { id: `mcp-server-${outcome.status}` },
        properties: { scanner: scan.scanner, server: outcome.server, configPath: outcome.configPath, line: outcome.line, check: outcome.check, status: outcome.status },
      });
    }
    for (const warning of scan.warnings.slice(0, MAX_NOTIFICATIONS_PER_SCAN)) {
      notifications.push({
        level: 'warning',
        message: { text: `${scan.scanner}: ${revealHidden(warning)}` },
        descriptor: { id: 'scan-warning' },
        properties: { scanner: scan.scanner },
      });
    }
    if (scan.warnings.length > MAX_NOTIFICATIONS_PER_SCAN) {
      notifications.push({
        level: 'warning',
        message: { text: `${scan.scanner}: ${plural(scan.warnings.length - MAX_NOTIFICATIONS_PER_SCAN, 'more warning')} not listed.` },
        descriptor: { id: 'scan-warning' },
        properties: { scanner: scan.scanner },
      });
    }
  }
  return notifications;
}

function skippedBreakdown(report: ReviewReport): string {
  const counts = new Map<string, number>();
  for (const file of report.skippedFiles) counts.set(file.reason, (counts.get(file.reason) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]))
    .map(([reason, count]) => `${reason}: ${count}`)
    .join(', ');
}


function nonEmptyOr(text: string, fallback: string): string {
  return text.trim().length > 0 ? text : fallback;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.filter((v) => v.length > 0))];
}
