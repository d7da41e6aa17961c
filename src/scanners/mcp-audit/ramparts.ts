/**
 * ramparts (highflame-ai/ramparts): its JSON read as DESIGN.md §5 "ramparts" describes, and two ways to run `scan <url>` on an
 * allowed remote server: the Docker MCP gateway's catalog server `ramparts` (tool `scan`), or a `ramparts` binary on the PATH.
 * Never `scan-config`: it launches the stdio servers of a configuration on the machine it runs on. Results are anchored at the
 * server's entry in its configuration file (ramparts' own SARIF has logical locations only).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { redactSecrets } from '../../text/redact.js';
import { revealHidden } from '../../text/hidden.js';
import { oneLine, truncate } from '../../text/strings.js';
import { SEVERITIES, type Finding, type RuleInfo, type Severity } from '../../types.js';
import { systemResolver, type HostPattern, type HostResolver } from './addresses.js';
import { startConnectProxy, type ProxyRefusal } from './connect-proxy.js';
import type { McpServerAuditStatus, McpServerEntry } from './model.js';
import type { ListedPrompt, ListedResource, ListedTool, McpListing } from './tool-checks.js';

export const RAMPARTS_SUMMARY_RULE = 'YARA_PRE_SCAN_SUMMARY';
/** The gateway's catalog server and its scan tool. */
export const RAMPARTS_SERVER = 'ramparts';
export const RAMPARTS_SCAN_TOOL = 'scan';

export interface YaraHit {
  targetType: string;
  targetName: string;
  ruleName: string;
  matchedText?: string;
  context?: string;
  severity?: Severity;
  description?: string;
  owaspTags: string[];
}

export interface LlmIssue {
  kind: 'tool' | 'prompt' | 'resource';
  issueType: string;
  severity: Severity;
  message: string;
  details?: string;
  target?: string;
}

/** One server's result, read. */
export interface RampartsScan {
  url: string;
  status: McpServerAuditStatus;
  reason?: string;
  listing: McpListing;
  hits: YaraHit[];
  issues: LlmIssue[];
  /** Rules the YARA pre-scan ran (from its summary entry); undefined when the summary entry is missing. */
  rulesExecuted?: readonly string[];
  errors: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, max = 4000): string | undefined => (typeof v === 'string' ? v.slice(0, max) : undefined);
const array = (v: unknown): unknown[] => (Array.isArray(v) ? v.slice(0, 5000) : []);

function severityOf(value: unknown): Severity | undefined {
  const lower = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return (SEVERITIES as readonly string[]).includes(lower) ? (lower as Severity) : undefined;
}

/**
 * The result objects in ramparts' JSON output: one scan result, or `scan-config`'s `{"scan_type":"multi_server","results":[…]}`.
 * Text before the first `{` (a banner of older versions) is skipped. Throws when there is no JSON object.
 */
export function parseRampartsOutput(output: string): Json[] {
  const start = output.indexOf('{');
  if (start < 0) throw new Error(`ramparts answered no JSON: ${JSON.stringify(truncate(oneLine(output), 200))}`);
  let value: unknown;
  try {
    value = JSON.parse(output.slice(start));
  } catch (error) {
    throw new Error(`ramparts answered JSON that does not parse (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (!isObject(value)) throw new Error('ramparts answered JSON that is not an object');
  if (value.scan_type === 'multi_server' || Array.isArray(value.results)) return array(value.results).filter(isObject);
  return [value];
}

/** `"Success"`, `{"Failed": "…"}`, `"Timeout"`, `{"ConnectionError": "…"}`, `{"AuthenticationError": "…"}`. */
function readStatus(status: unknown): { ok: true } | { ok: false; reason: string } {
  if (status === 'Success') return { ok: true };
  if (status === 'Timeout') return { ok: false, reason: 'ramparts: the scan timed out' };
  if (isObject(status)) {
    const [kind, detail] = Object.entries(status)[0] ?? [];
    const words: Record<string, string> = { Failed: 'the scan failed', ConnectionError: 'could not connect', AuthenticationError: 'authentication failed' };
    if (kind) return { ok: false, reason: `ramparts: ${words[kind] ?? kind}${typeof detail === 'string' && detail ? `: ${truncate(oneLine(detail), 300)}` : ''}` };
  }
  return { ok: false, reason: `ramparts: unknown scan status ${truncate(JSON.stringify(status ?? null), 100)}` };
}

function listingOf(result: Json): McpListing {
  const tools: ListedTool[] = array(result.tools)
    .filter(isObject)
    .map((t) => ({ name: text(t.name, 200) ?? '?', ...(text(t.description, 64 * 1024) !== undefined && { description: text(t.description, 64 * 1024) }), inputSchema: t.input_schema ?? t.inputSchema }));
  const prompts: ListedPrompt[] = array(result.prompts)
    .filter(isObject)
    .map((p) => ({
      name: text(p.name, 200) ?? '?',
      ...(text(p.description, 64 * 1024) !== undefined && { description: text(p.description, 64 * 1024) }),
      arguments: array(p.arguments)
        .filter(isObject)
        .map((a) => ({ name: text(a.name, 200) ?? '?', ...(text(a.description) !== undefined && { description: text(a.description) }) })),
    }));
  const resources: ListedResource[] = array(result.resources)
    .filter(isObject)
    .map((r) => ({
      name: text(r.name, 200) ?? text(r.uri, 200) ?? '?',
      ...(text(r.uri, 2000) !== undefined && { uri: text(r.uri, 2000) }),
      ...(text(r.description, 64 * 1024) !== undefined && { description: text(r.description, 64 * 1024) }),
    }));
  return { tools, prompts, resources };
}

/** One result object read: its status, what it listed, its YARA hits (the summary entry apart) and LLM issues. */
export function readRampartsResult(result: Json): RampartsScan {
  const status = readStatus(result.status);
  const hits: YaraHit[] = [];
  let rulesExecuted: string[] | undefined;
  for (const raw of array(result.yara_results).filter(isObject)) {
    if (raw.target_type === 'summary' || raw.rule_name === RAMPARTS_SUMMARY_RULE) {
      rulesExecuted = array(raw.rules_executed).filter((r): r is string => typeof r === 'string');
      continue;
    }
    const metadata = isObject(raw.rule_metadata) ? raw.rule_metadata : {};
    const severity = severityOf(metadata.severity);
    const description = text(metadata.description, 500);
    hits.push({
      targetType: text(raw.target_type, 50) ?? 'unknown',
      targetName: text(raw.target_name, 200) ?? '?',
      ruleName: text(raw.rule_name, 100) ?? 'unknown',
      ...(text(raw.matched_text) !== undefined && { matchedText: text(raw.matched_text) }),
      ...(text(raw.context) !== undefined && { context: text(raw.context) }),
      ...(severity && { severity }),
      ...(description !== undefined && { description }),
      owaspTags: array(raw.owasp_tags ?? metadata.owasp_tags).filter((t): t is string => typeof t === 'string').slice(0, 10),
    });
  }
  const issues: LlmIssue[] = [];
  if (isObject(result.security_issues)) {
    for (const kind of ['tool', 'prompt', 'resource'] as const) {
      for (const raw of array(result.security_issues[`${kind}_issues`]).filter(isObject)) {
        const details = text(raw.details, 2000);
        const target = text(raw.tool_name ?? raw.prompt_name ?? raw.resource_name ?? raw.name, 200);
        issues.push({
          kind,
          issueType: text(raw.issue_type, 100) ?? 'unknown',
          severity: severityOf(raw.severity) ?? 'medium',
          message: text(raw.message, 1000) ?? '',
          ...(details !== undefined && { details }),
          ...(target !== undefined && { target }),
        });
      }
    }
  }
  const errors = array(result.errors).map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).slice(0, 20);
  const base = { url: text(result.url, 2000) ?? '', listing: listingOf(result), hits, issues, errors, ...(rulesExecuted && { rulesExecuted }) };
  if (!status.ok) return { ...base, status: 'failed', reason: status.reason };
  // Known upstream behaviour: without its YARA rules ramparts still answers Success with nothing found.
  if (rulesExecuted === undefined) return { ...base, status: 'degraded', reason: `rules not loaded: the result has no ${RAMPARTS_SUMMARY_RULE} entry` };
  if (rulesExecuted.length === 0) return { ...base, status: 'degraded', reason: 'rules not loaded: the YARA pre-scan executed no rules' };
  return { ...base, status: 'scanned' };
}

// ── findings ──────────────────────────────────────────────────────────────────────────────────────────────────────────────────

const slug = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80) || 'unknown';

export function yaraRuleId(ruleName: string): string {
  return `mcp/ramparts-${slug(ruleName)}`;
}
export function llmRuleId(issueType: string): string {
  return `mcp/ramparts-llm-${slug(issueType)}`;
}

const evidence = (value: string | undefined): string => redactSecrets(truncate(oneLine(revealHidden(value ?? '')), 300));

/** Findings of one scanned server at its entry line, with the rules they name. */
export function rampartsFindings(entry: Pick<McpServerEntry, 'name' | 'configPath' | 'line'>, scan: RampartsScan): { findings: Finding[]; rules: RuleInfo[] } {
  const findings: Finding[] = [];
  const rules = new Map<string, RuleInfo>();
  const server = oneLine(entry.name).slice(0, 100);
  for (const hit of scan.hits) {
    const id = yaraRuleId(hit.ruleName);
    const severity = hit.severity ?? 'medium';
    const tags = hit.owaspTags.length > 0 ? ` OWASP MCP Top 10 (ramparts' tags): ${hit.owaspTags.join(', ')}.` : '';
    const what = hit.description ? oneLine(hit.description) : `ramparts' YARA rule ${hit.ruleName} matched.`;
    if (!rules.has(id)) {
      rules.set(id, {
        id,
        source: 'ramparts',
        severity,
        shortDescription: `ramparts YARA rule ${hit.ruleName} matched what an MCP server lists.`,
        fullDescription: `${what}${tags}`,
        ...(hit.owaspTags[0] !== undefined && { category: hit.owaspTags[0] }),
      });
    }
    findings.push({
      ruleId: id,
      source: 'ramparts',
      severity,
      path: entry.configPath,
      startLine: entry.line,
      endLine: entry.line,
      message: `MCP server '${server}', ${hit.targetType} ${oneLine(hit.targetName)}: ${truncate(what, 300)}`,
      note: `Reported by ramparts (rule ${hit.ruleName}).${tags}`,
      evidence: evidence(hit.matchedText ?? hit.context ?? hit.targetName),
      fingerprint: '',
    });
  }
  for (const issue of scan.issues) {
    const id = llmRuleId(issue.issueType);
    if (!rules.has(id)) {
      rules.set(id, {
        id,
        source: 'ramparts',
        severity: issue.severity,
        shortDescription: `ramparts' model-based analysis reported ${issue.issueType} in what an MCP server lists.`,
      });
    }
    findings.push({
      ruleId: id,
      source: 'ramparts',
      severity: issue.severity,
      path: entry.configPath,
      startLine: entry.line,
      endLine: entry.line,
      message: `MCP server '${server}'${issue.target ? `, ${issue.kind} ${oneLine(issue.target)}` : ''}: ${truncate(oneLine(issue.message || issue.issueType), 300)}`,
      ...(issue.details && { note: truncate(oneLine(issue.details), 1000) }),
      evidence: evidence(issue.details ?? issue.message),
      fingerprint: '',
    });
  }
  return { findings, rules: [...rules.values()] };
}

// ── running it ────────────────────────────────────────────────────────────────────────────────────────────────────────────────

/** What the address-checking proxy saw during one binary scan. */
export interface ProxyReport {
  /** CONNECT requests ramparts made through it (0 with a result means it bypassed the proxy). */
  requests: number;
  refusals: readonly ProxyRefusal[];
}

/** One scan's JSON text, and for the binary what its proxy saw. */
export interface RampartsRun {
  output: string;
  proxy?: ProxyReport;
}

/** Runs `scan` on one URL and answers ramparts' JSON text. */
export interface RampartsRunner {
  readonly via: string;
  scan(url: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<RampartsRun>;
}

/** The slice of the gateway handle this needs. */
export interface RampartsGateway {
  readonly tools: readonly { name: string }[];
  callTool(name: string, args: Record<string, unknown>, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<{ text: string; structuredContent?: Record<string, unknown> }>;
}

/** Through the gateway's catalog server `ramparts`; never with auth headers (no secret of the runner goes to a PR-named host). */
export function gatewayRampartsRunner(gateway: RampartsGateway): RampartsRunner {
  return {
    via: 'the MCP gateway',
    async scan(url, { timeoutMs, signal }) {
      const seconds = Math.max(1, Math.floor(timeoutMs / 1000) - 5);
      const answer = await gateway.callTool(
        RAMPARTS_SCAN_TOOL,
        { url, detailed: true, format: 'json', timeout: seconds, httpTimeout: Math.min(seconds, 30) },
        { timeoutMs, signal },
      );
      return { output: answer.text.trim() !== '' ? answer.text : JSON.stringify(answer.structuredContent ?? {}) };
    },
  };
}

/** The first executable `ramparts` on the PATH. */
export function findRampartsOnPath(path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'ramparts');
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const MAX_OUTPUT = 16 * 1024 * 1024;

/** The address rule the binary's proxy applies (the same as the check before the scan). */
export interface AddressGuard {
  allow: readonly HostPattern[];
  resolver: HostResolver;
}

/**
 * `ramparts scan <url> --format json` with a bounded output, a deadline and an environment of PATH, HOME and RAMPARTS_RULES_DIR
 * only; its network goes through our CONNECT proxy (`HTTPS_PROXY`, `ALL_PROXY`: reqwest, which ramparts uses, honours both), which
 * resolves each host itself and connects only to an address the rule allows. It runs in an empty folder of its own: ramparts reads
 * `config.yaml` and `rules/` from its working directory, and the runner's working directory is the pull request's checkout.
 */
export function binaryRampartsRunner(binary: string, env: Readonly<Record<string, string | undefined>>, guard: AddressGuard = { allow: [], resolver: systemResolver() }): RampartsRunner {
  return {
    via: `the ramparts binary (${binary})`,
    async scan(url, { timeoutMs, signal }) {
      const seconds = Math.max(1, Math.floor(timeoutMs / 1000) - 2);
      const proxy = await startConnectProxy({ allow: guard.allow, resolver: guard.resolver, idleTimeoutMs: timeoutMs });
      const cwd = await mkdtemp(join(tmpdir(), 'ultra-create-ramparts-'));
      try {
        const output = await runBinary(binary, ['scan', url, '--format', 'json', '--timeout', String(seconds), '--http-timeout', String(Math.min(seconds, 30))], {
          env: { ...childEnvOf(env), ...proxyEnv(proxy.url) },
          cwd,
          timeoutMs,
          ...(signal && { signal }),
        });
        return { output, proxy: { requests: proxy.requests, refusals: [...proxy.refusals] } };
      } finally {
        await proxy.close();
        await rm(cwd, { recursive: true, force: true });
      }
    },
  };
}

/** The variables of the runner's environment ramparts gets: nothing else (no token of the runner reaches it). */
export function childEnvOf(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const childEnv: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'RAMPARTS_RULES_DIR']) if (env[name] !== undefined) childEnv[name] = env[name];
  return childEnv;
}

function proxyEnv(url: string): Record<string, string> {
  return { HTTPS_PROXY: url, https_proxy: url, ALL_PROXY: url, all_proxy: url, HTTP_PROXY: url, http_proxy: url };
}

/** Runs the binary in its own process group, output bounded, killed at the deadline or on cancel; answers its stdout. */
export function runBinary(
  binary: string,
  args: readonly string[],
  options: { env: Record<string, string>; cwd: string; timeoutMs: number; signal?: AbortSignal },
): Promise<string> {
  const { env: childEnv, cwd, timeoutMs, signal } = options;
  return new Promise<string>((resolve, reject) => {
    const child = spawn(binary, [...args], {
      env: childEnv,
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that a kill reaches whatever it started (a pipe held open by a grandchild would wait).
      detached: true,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let why: string | undefined;
    const stop = (reason: string): void => {
      why ??= reason;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => stop(`ramparts did not finish within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    const onAbort = (): void => stop('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT) stop(`ramparts wrote more than ${MAX_OUTPUT} bytes`);
      else chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 8192) stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (why) return reject(new Error(why));
      const out = Buffer.concat(chunks).toString('utf8');
      if (code !== 0 && !out.includes('{')) return reject(new Error(`ramparts exited ${code}: ${truncate(oneLine(redactSecrets(stderr)), 300)}`));
      resolve(out);
    });
  });
}
