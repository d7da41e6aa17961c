import { readRegularFile, safeJoin } from '../../collect/head-tree.js';
import { getErrorMessage } from '../../errors.js';
import { indexPatch } from '../../github/diff.js';
import { revealHidden } from '../../text/hidden.js';
import { redactSecrets } from '../../text/redact.js';
import { formatCount, plural, truncate } from '../../text/strings.js';
import { mapLimit } from '../../util/concurrency.js';
import type { ChangedFile, FilterMode, Finding, RuleInfo, ScanReport } from '../../types.js';
import type { ScanPorts, ScanResult, Scanner } from '../scanner.js';
import { agentFileFindings, agentFileKind, agentFileTooLarge, agentRuleInfos, type AgentFileKind } from './agent-files.js';
import { discoverConfig, mcpConfigKind, type DiscoveredConfig, type McpConfigKind } from './discovery.js';
import type { McpServerAudit, McpServerEntry } from './model.js';
import { staticFindings } from './static-checks.js';
import { MCP_RULES, mcpRuleInfos } from './static-rules.js';

/**
 * The seam for the live checks (tool descriptions in the sandbox, ramparts through the gateway or the PATH), written separately:
 * it gets the servers the pull request adds or changes and returns one audit per server and check, with their findings.
 */
export type McpLiveChecks = (
  servers: McpServerEntry[],
  ports: ScanPorts,
) => Promise<{ audits: McpServerAudit[]; findings: Finding[]; rules: RuleInfo[]; warnings: string[] }>;

export const LIVE_CHECKS_UNAVAILABLE = 'the live MCP checks are not available in this build';

/** An agent skill or instruction file the audit read: its repository path, text and kind. */
export interface AgentFile {
  path: string;
  text: string;
  kind: AgentFileKind;
  /** The pull request changes it (else it was read because of `filter-mode: nofilter`). */
  changed: boolean;
}

/**
 * The seam for `ramparts skills scan` (static: it executes nothing), written separately: it gets the agent files the audit read and
 * returns one outcome per file, with the findings anchored in them.
 */
export type AgentSkillsScan = (
  files: readonly AgentFile[],
  ports: ScanPorts,
) => Promise<{ audits: McpServerAudit[]; findings: Finding[]; rules: RuleInfo[]; warnings: string[] }>;

/** The slice of the run the MCP audit reads. */
export interface McpAuditSettings {
  /** `nofilter` audits every configuration file of the head commit (through the checkout port); other modes the changed ones. */
  filterMode: FilterMode;
  /** The pull request's files with their patches: which configuration files changed, and which of their lines were added. */
  changedFiles: readonly Pick<ChangedFile, 'path' | 'status' | 'patch'>[];
  /** Files over this many bytes are reported, not read (default 1 MiB). */
  maxConfigBytes?: number;
  live?: McpLiveChecks;
  /** `ramparts skills scan` over the agent files, when a ramparts binary is there; else why not (a notice, not a failure). */
  skillsScan?: AgentSkillsScan | { unavailable: string };
}

export const DEFAULT_MAX_CONFIG_BYTES = 1024 * 1024;

/** A configuration file's bytes, or why they were not read. */
type Loaded = { bytes: Buffer } | { tooLarge: true } | { unreadable: string };
const TOO_LARGE: Loaded = { tooLarge: true };

interface Candidate {
  path: string;
  /** An MCP configuration file, or an agent skill or instruction file. */
  kind?: McpConfigKind;
  agent?: AgentFileKind;
  changed: boolean;
  /** Added lines of the file, ascending; `all` when the diff does not say (no patch). */
  added: readonly number[] | 'all';
}

/**
 * The MCP audit (`ramparts` in the `scanners` input): finds the MCP configuration files, parses them with line positions, runs the
 * static checks on every server entry, and hands the servers the pull request adds to the live checks when this build has them.
 */
export function createMcpAuditScanner(settings: McpAuditSettings): Scanner {
  return {
    name: 'ramparts',
    run: (ports) => runMcpAudit(settings, ports),
  };
}

export async function runMcpAudit(settings: McpAuditSettings, ports: ScanPorts): Promise<ScanResult> {
  const started = Date.now();
  const maxBytes = settings.maxConfigBytes ?? DEFAULT_MAX_CONFIG_BYTES;
  const warnings: string[] = [];
  const findings: Finding[] = [];
  const filesNotScanned: { path: string; reason: string }[] = [];
  const degraded: string[] = [];
  const configs: DiscoveredConfig[] = [];
  const agentFiles: AgentFile[] = [];

  const changedByPath = new Map(settings.changedFiles.filter((file) => file.status !== 'removed').map((file) => [file.path, file]));
  const candidates: Candidate[] = [];
  for (const path of ports.tree.files) {
    const kind = mcpConfigKind(path);
    const agent = kind ? undefined : agentFileKind(path);
    if (!kind && !agent) continue;
    const patch = changedByPath.get(path)?.patch;
    candidates.push({ path, ...(kind ? { kind } : { agent }), changed: true, added: kind && patch !== undefined ? indexPatch(patch).addedLines() : 'all' });
  }

  const take = (candidate: Candidate, loaded: Loaded): void => {
    ports.onFileScanned?.(candidate.path);
    if ('tooLarge' in loaded) {
      const reason = `over ${formatCount(maxBytes)} bytes: not read`;
      findings.push(candidate.agent ? agentFileTooLarge(candidate.path, maxBytes) : fileFinding(candidate.path, MCP_RULES.tooLarge, 1, `${candidate.path} is ${reason}.`));
      if (candidate.changed) filesNotScanned.push({ path: candidate.path, reason });
      return;
    }
    if ('unreadable' in loaded) {
      if (candidate.changed) filesNotScanned.push({ path: candidate.path, reason: loaded.unreadable });
      else warnings.push(`${candidate.path}: ${loaded.unreadable}`);
      return;
    }
    if (candidate.agent) {
      // A binary file bundled with a skill (an image, an archive) holds no instructions to read.
      if (loaded.bytes.subarray(0, 8192).includes(0)) return;
      const text = loaded.bytes.toString('utf8').replace(/^\uFEFF/, '');
      agentFiles.push({ path: candidate.path, text, kind: candidate.agent, changed: candidate.changed });
      findings.push(...agentFileFindings(candidate.path, text, candidate.agent));
      return;
    }
    if (!candidate.kind) return;
    const text = loaded.bytes.toString('utf8').replace(/^\uFEFF/, '');
    const config = discoverConfig(candidate.path, text, candidate.kind, candidate.added === 'all' ? [] : candidate.added);
    if (candidate.added === 'all') for (const server of config.servers) server.changedInPullRequest = true;
    configs.push(config);
    if (!config.parsed.ok) {
      findings.push(fileFinding(candidate.path, MCP_RULES.unparseable, config.parsed.line, config.parsed.message, text));
      if (candidate.changed) filesNotScanned.push({ path: candidate.path, reason: config.parsed.message });
    }
  };

  const loaded = await loadAll(candidates, (candidate) => readTreeFile(ports.tree.root, candidate.path, maxBytes));
  candidates.forEach((candidate, index) => take(candidate, loaded[index]!));

  if (settings.filterMode === 'nofilter') {
    if (ports.checkout.status === 'ready') {
      const checkout = ports.checkout.value;
      const changed = new Set(candidates.map((c) => c.path));
      const unchanged = (await checkout.listFiles()).flatMap((path): Candidate[] => {
        if (changed.has(path)) return [];
        const kind = mcpConfigKind(path);
        if (kind) return [{ path, kind, changed: changedByPath.has(path), added: [] as number[] }];
        // AGENTS.md, CLAUDE.md and GEMINI.md are long-lived project notes: audited when the pull request changes them.
        const agent = agentFileKind(path);
        return agent && agent.role !== 'memory' ? [{ path, agent, changed: changedByPath.has(path), added: [] as number[] }] : [];
      });
      // The checkout answers nothing for a file over the limit (the path is listed, so it exists). All at once when it can.
      const batch = checkout.readFiles && unchanged.length > 0 ? await checkout.readFiles(unchanged.map((c) => c.path), maxBytes) : undefined;
      const read = await loadAll(unchanged, async (candidate) => {
        const bytes = batch ? batch.get(candidate.path) : await checkout.readFile(candidate.path, maxBytes);
        return bytes === undefined ? TOO_LARGE : { bytes };
      });
      unchanged.forEach((candidate, index) => take(candidate, read[index]!));
    } else {
      degraded.push(`configuration files the pull request does not change were not audited (filter-mode nofilter): ${ports.checkout.reason}`);
    }
  }

  const servers = configs.flatMap((config) => config.servers);
  for (const config of configs) findings.push(...staticFindings(config));

  const rules = mcpRuleInfos();
  if (agentFiles.length > 0 || candidates.some((c) => c.agent)) rules.push(...agentRuleInfos());
  const notices: string[] = [];
  const skillAudits: McpServerAudit[] = [];
  if (agentFiles.length > 0 && settings.skillsScan) {
    if ('unavailable' in settings.skillsScan) {
      notices.push(`ramparts skills scan was not run on ${plural(agentFiles.length, 'agent skill or instruction file')}: ${settings.skillsScan.unavailable} (our own agent-file rules checked them)`);
    } else {
      try {
        const scanned = await settings.skillsScan(agentFiles, ports);
        skillAudits.push(...scanned.audits);
        findings.push(...scanned.findings);
        for (const rule of scanned.rules) if (!rules.some((r) => r.id === rule.id)) rules.push(rule);
        warnings.push(...scanned.warnings);
      } catch (error) {
        if (ports.signal?.aborted) throw error;
        const reason = `ramparts skills scan failed: ${getErrorMessage(error)}`;
        for (const file of agentFiles) skillAudits.push({ server: file.path, configPath: file.path, line: 1, check: 'ramparts-skills', status: 'failed', reason, findings: 0 });
      }
    }
  }
  const added = servers.filter((server) => server.changedInPullRequest);
  let audits: McpServerAudit[] = [];
  if (added.length > 0) {
    if (settings.live) {
      try {
        const live = await settings.live(added, ports);
        audits = live.audits;
        findings.push(...live.findings);
        rules.push(...live.rules);
        warnings.push(...live.warnings);
      } catch (error) {
        audits = added.map((server) => audit(server, 'failed', `the live checks failed: ${getErrorMessage(error)}`));
      }
    } else {
      audits = added.map((server) => audit(server, 'not-scanned', LIVE_CHECKS_UNAVAILABLE));
    }
  }
  const unscanned = audits.filter((a) => a.status !== 'scanned');
  if (unscanned.length > 0) degraded.push(describeUnscanned(unscanned));
  const skillsUnscanned = skillAudits.filter((a) => a.status !== 'scanned');
  if (skillsUnscanned.length > 0) degraded.push(describeUnscannedFiles(skillsUnscanned));
  audits = [...audits, ...skillAudits];

  const report: ScanReport = {
    scanner: 'ramparts',
    status: degraded.length > 0 ? 'degraded' : 'ok',
    ...(degraded.length > 0 && { reason: degraded.join('; ') }),
    findings,
    durationMs: Date.now() - started,
    filesScanned: configs.length + agentFiles.length,
    rulesRun: servers.length,
    warnings,
    ...(filesNotScanned.length > 0 && { filesNotScanned }),
    ...(audits.length > 0 && { mcpServers: audits }),
    ...(notices.length > 0 && { notices }),
  };
  return { report, rules };
}

/** Reads a few files at a time (each checkout read is a git process); results in the candidates' order. */
function loadAll(candidates: readonly Candidate[], load: (candidate: Candidate) => Promise<Loaded>): Promise<Loaded[]> {
  return mapLimit(candidates, READ_CONCURRENCY, async (candidate): Promise<Loaded> => {
    try {
      return await load(candidate);
    } catch (error) {
      return { unreadable: `not readable: ${getErrorMessage(error)}` };
    }
  });
}

const READ_CONCURRENCY = 8;

function audit(server: McpServerEntry, status: McpServerAudit['status'], reason: string): McpServerAudit {
  return { server: server.name, configPath: server.configPath, line: server.line, check: 'tool-descriptions', status, reason, findings: 0 };
}

/** `2 MCP servers not checked live (a in .mcp.json: reason; …)`: the first few, each with its reason. */
function describeUnscanned(audits: readonly McpServerAudit[]): string {
  const listed = audits.slice(0, 3).map((a) => `${truncate(a.server, 60)} in ${a.configPath} ${a.status}: ${a.reason ?? 'no reason given'}`);
  return `${plural(audits.length, 'MCP server')} the pull request adds or changes not fully checked (${listed.join('; ')}${audits.length > 3 ? '; …' : ''})`;
}

/** `2 agent files not fully checked by ramparts skills scan (a.md failed: reason; …)`. */
function describeUnscannedFiles(audits: readonly McpServerAudit[]): string {
  const listed = audits.slice(0, 3).map((a) => `${a.configPath} ${a.status}: ${a.reason ?? 'no reason given'}`);
  return `${plural(audits.length, 'agent skill or instruction file')} not fully checked by ramparts skills scan (${listed.join('; ')}${audits.length > 3 ? '; …' : ''})`;
}

/** A regular file of the head tree, never through a symlink, checked for size before it is read. */
function readTreeFile(root: string, path: string, maxBytes: number): Promise<Loaded> {
  const full = safeJoin(root, path);
  if (full === undefined) return Promise.resolve({ unreadable: 'unsafe path' });
  const read = readRegularFile(full, maxBytes);
  if ('tooLarge' in read) return Promise.resolve(TOO_LARGE);
  if ('bytes' in read) return Promise.resolve({ bytes: read.bytes });
  if ('error' in read) return Promise.resolve({ unreadable: `not readable: ${read.error}` });
  return Promise.resolve({ unreadable: read.not === 'symlink' ? 'a symbolic link: not followed' : read.not === 'missing' ? 'missing from the head tree' : 'not a regular file' });
}

function fileFinding(path: string, rule: (typeof MCP_RULES)['unparseable' | 'tooLarge'], line: number, detail: string, text?: string): Finding {
  return {
    ruleId: rule.id,
    source: 'ramparts',
    severity: rule.severity,
    path,
    startLine: line,
    endLine: line,
    message: `${rule.message.replace(/\.$/, '')}: ${detail}`,
    note: rule.note,
    evidence: text === undefined ? '' : redactSecrets(revealHidden((text.split('\n')[line - 1] ?? '').replace(/\r$/, '').slice(0, 2000))),
    fingerprint: '',
  };
}
