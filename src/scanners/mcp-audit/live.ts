/**
 * The live part of the MCP audit, for the servers a pull request adds or changes: stdio servers are started only inside the sandbox
 * and listed by our own lister (mcp-lister.mjs); remote servers pass the address rule and are scanned by ramparts (through the MCP
 * gateway, or a `ramparts` binary on the PATH). Every listing goes through the tool-description checks and is compared with the MCP
 * lock file of the base commit. Every server ends with a status: scanned, failed, degraded or not scanned — with the reason.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { getErrorMessage } from '../../errors.js';
import type { SandboxBackend } from '../../runtime/sandbox.js';
import { SANDBOX_HOME, SANDBOX_WORKDIR } from '../../runtime/sandbox.js';
import { redactSecrets } from '../../text/redact.js';
import { oneLine, truncate } from '../../text/strings.js';
import type { Finding, HeadCheckout, RuleInfo } from '../../types.js';
import type { ScanPorts } from '../scanner.js';
import { decideAddress, parseAllowHosts, systemResolver, type HostResolver } from './addresses.js';
import { changedTools, emptyLock, lockFinding, MCP_LOCK_PATH, parseLock, serializeLock, updateLock, type McpLock } from './lockfile.js';
import type { McpServerAudit, McpServerEntry } from './model.js';
import {
  binaryRampartsRunner,
  gatewayRampartsRunner,
  parseRampartsOutput,
  RAMPARTS_SCAN_TOOL,
  rampartsFindings,
  readRampartsResult,
  type AddressGuard,
  type RampartsRun,
  type RampartsRunner,
} from './ramparts.js';
import { checkListing, issueFinding, toolRuleInfos, type McpListing } from './tool-checks.js';

export const LISTER_FILE = 'mcp-lister.mjs';

/**
 * The lister program next to the bundle (`dist/mcp-lister.mjs`, written by scripts/copy-assets.mjs; the code may run from
 * `dist/chunks/`) or in the source tree (`src/scanners/mcp-audit/`). Looks in `assetsFrom` and two folders above it.
 */
export function listerAsset(assetsFrom: string): string {
  let dir = assetsFrom;
  for (let depth = 0; depth < 3; depth++) {
    for (const candidate of [join(dir, LISTER_FILE), join(dir, 'mcp-audit', LISTER_FILE)]) if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return join(assetsFrom, LISTER_FILE);
}

export interface LiveAuditSettings {
  /** `mcp-audit-allow-hosts`, as validated by the configuration. */
  allowHosts: readonly string[];
  /** The lock file's text at the base commit (never the pull request's copy); undefined when the base has none. */
  baseLockText?: string;
  /** Where the updated lock content is written when it differs (a file under RUNNER_TEMP); none: not written. */
  lockOutFile?: string;
  /** Listing stdio servers in the sandbox. */
  sandbox: {
    image: string;
    /** Path of mcp-lister.mjs on the runner. */
    listerPath: string;
    /** Per server. */
    serverTimeoutMs: number;
    memoryBytes: number;
    cpus: number;
    logDir: string;
    /** Per package-runner server, for fetching its package (default 120 s). */
    fetchTimeoutMs?: number;
    /** The npm registry packages are fetched from (default: `ULTRA_CREATE_MCP_NPM_REGISTRY`, else https://registry.npmjs.org). */
    npmRegistry?: string;
  };
  ramparts: {
    /** The gateway was asked to run the catalog server `ramparts` (`mcp-servers` lists it). */
    viaGateway: boolean;
    /** A `ramparts` executable on the runner's PATH, when there is one. */
    binary?: string;
    env?: Readonly<Record<string, string | undefined>>;
    timeoutMs: number;
  };
  /** DNS for the address rule (tests give their own). */
  resolver?: HostResolver;
}

export interface LiveAuditResult {
  audits: McpServerAudit[];
  findings: Finding[];
  rules: RuleInfo[];
  warnings: string[];
  /** The updated lock file's content, when this run listed tools (also written to `lockOutFile`). */
  lockContent?: string;
}

type LivePorts = Pick<ScanPorts, 'sandbox' | 'gateway' | 'checkout' | 'logger' | 'signal' | 'tempDir'>;

interface Listed {
  entry: McpServerEntry;
  listing: McpListing;
  audit: McpServerAudit;
}

const MAX_TREE_BYTES = 2 * 1024 * 1024 * 1024;
const MAX_LISTING_BYTES = 8 * 1024 * 1024;
const MAX_SERVERS_LISTED = 20;
/** Package-runner servers whose package is fetched in one run, each within the fetch time; all together within the bytes. */
export const MAX_SERVERS_FETCHED = 10;
const DEFAULT_FETCH_TIMEOUT_MS = 120_000;
const MAX_FETCH_BYTES = 1024 * 1024 * 1024;
export const DEFAULT_NPM_REGISTRY = 'https://registry.npmjs.org';
/** Internal (tests): the npm registry the fetch phase uses. Never read from the pull request (its `.npmrc` is ignored). */
export const NPM_REGISTRY_ENV = 'ULTRA_CREATE_MCP_NPM_REGISTRY';
const FETCH_ROOT = `${SANDBOX_HOME}/mcp`;

const auditOf = (entry: McpServerEntry, check: McpServerAudit['check'], status: McpServerAudit['status'], reason?: string): McpServerAudit => ({
  server: entry.name,
  configPath: entry.configPath,
  line: entry.line,
  check,
  status,
  ...(reason !== undefined && { reason }),
  findings: 0,
});

/** Only for servers with `changedInPullRequest`; the others are not touched (the static checks cover them). */
export async function runLiveAudit(servers: readonly McpServerEntry[], ports: LivePorts, settings: LiveAuditSettings): Promise<LiveAuditResult> {
  const changed = servers.filter((s) => s.changedInPullRequest);
  const warnings: string[] = [];
  const audits: McpServerAudit[] = [];
  const listed: Listed[] = [];
  const findings: Finding[] = [];
  const rules = new Map<string, RuleInfo>(toolRuleInfos().map((r) => [r.id, r]));

  let lock: McpLock = emptyLock();
  if (settings.baseLockText !== undefined) {
    const parsed = parseLock(settings.baseLockText);
    if (typeof parsed === 'string') warnings.push(`${parsed}: no tool is compared with a pinned description`);
    else lock = parsed;
  }

  const stdio = changed.filter((s) => s.transport === 'stdio');
  const remote = changed.filter((s) => s.transport === 'remote');

  // ── stdio: only inside the sandbox ──
  if (stdio.length > 0) {
    const results = await listInSandbox(stdio, ports, settings, warnings);
    for (const entry of stdio) {
      const outcome = results.get(entry);
      if (!outcome || 'reason' in outcome) {
        audits.push(auditOf(entry, 'tool-descriptions', outcome?.status ?? 'not-scanned', outcome?.reason ?? 'not listed'));
        continue;
      }
      const audit = auditOf(entry, 'tool-descriptions', 'scanned', outcome.note);
      audit.tools = outcome.listing.tools.length;
      audit.prompts = outcome.listing.prompts.length;
      audit.resources = outcome.listing.resources.length;
      audits.push(audit);
      listed.push({ entry, listing: outcome.listing, audit });
    }
  }

  // ── remote: the address rule, then ramparts ──
  if (remote.length > 0) {
    const allow = parseAllowHosts(settings.allowHosts).patterns;
    const resolver = settings.resolver ?? systemResolver();
    const runner = rampartsRunner(ports, settings, { allow, resolver });
    for (const entry of remote) {
      const url = entry.url?.value;
      if (url === undefined) {
        audits.push(auditOf(entry, 'ramparts', 'not-scanned', 'the entry has no url'));
        continue;
      }
      const decision = await decideAddress(url, allow, resolver);
      if (!decision.allowed) {
        audits.push(auditOf(entry, 'ramparts', 'not-scanned', `not contacted: ${decision.reason}`));
        continue;
      }
      if (typeof runner === 'string') {
        audits.push(auditOf(entry, 'ramparts', 'not-scanned', runner));
        continue;
      }
      let run: RampartsRun;
      try {
        run = await runner.scan(decision.url, { timeoutMs: settings.ramparts.timeoutMs, ...(ports.signal && { signal: ports.signal }) });
      } catch (error) {
        if (ports.signal?.aborted) throw error;
        audits.push(auditOf(entry, 'ramparts', 'failed', `ramparts through ${runner.via}: ${truncate(oneLine(redactSecrets(getErrorMessage(error))), 300)}`));
        continue;
      }
      // The binary's proxy refused the server's own host: its DNS answer changed after our check (or it resolves differently now).
      const refused = run.proxy?.refusals.find((r) => sameHost(r.target, decision.host));
      if (refused) {
        audits.push(auditOf(entry, 'ramparts', 'not-scanned', `not contacted: the address-checking proxy refused ${refused.target} when ramparts connected: ${refused.reason}`));
        continue;
      }
      for (const other of run.proxy?.refusals ?? []) warnings.push(`ramparts scan of ${entry.name}: the address-checking proxy refused ${other.target}: ${other.reason}`);
      let results;
      try {
        results = parseRampartsOutput(run.output).map(readRampartsResult);
      } catch (error) {
        audits.push(auditOf(entry, 'ramparts', 'failed', getErrorMessage(error)));
        continue;
      }
      const scan = results[0];
      if (!scan) {
        audits.push(auditOf(entry, 'ramparts', 'failed', 'ramparts answered no result'));
        continue;
      }
      // A result with tools listed but no connection through our proxy: this ramparts ignored HTTPS_PROXY, so the address rule
      // applied only to our own check, not to the address it connected to.
      const bypassed = run.proxy?.requests === 0 && scan.status !== 'failed';
      // The gateway's container resolves the host by itself: a rebinding cannot be prevented there, but an answer that changed
      // during the scan can be seen. Checked again after the scan; a host allowed by name is not (its addresses are not checked).
      const rebound = run.proxy === undefined && scan.status !== 'failed' && !decision.note ? await decideAddress(url, allow, resolver) : undefined;
      const audit = bypassed
        ? auditOf(entry, 'ramparts', 'degraded', `ramparts connected without the address-checking proxy (it ignored HTTPS_PROXY): the DNS-rebinding guard did not apply${scan.reason ? `; ${scan.reason}` : ''}`)
        : rebound && !rebound.allowed
          ? auditOf(entry, 'ramparts', 'degraded', `the host's DNS answer changed during the scan (${rebound.reason}): ramparts in the gateway's container resolves it itself and may have connected there, so this result is not trusted`)
          : auditOf(entry, 'ramparts', scan.status, scan.reason);
      audit.tools = scan.listing.tools.length;
      audit.prompts = scan.listing.prompts.length;
      audit.resources = scan.listing.resources.length;
      const own = rampartsFindings(entry, scan);
      for (const rule of own.rules) if (!rules.has(rule.id)) rules.set(rule.id, rule);
      findings.push(...own.findings);
      audit.findings += own.findings.length;
      audits.push(audit);
      // What ramparts listed goes through our own checks too (also when it answered degraded: the listing is still real).
      if (scan.status !== 'failed') listed.push({ entry, listing: scan.listing, audit });
    }
  }

  // ── tool-description checks and the lock file over every listing ──
  const allTools = listed.flatMap((l) => l.listing.tools.map((t) => ({ server: l.entry, name: t.name })));
  for (const { entry, listing, audit } of listed) {
    const others = allTools.filter((t) => t.server !== entry).map((t) => t.name);
    const own = [...checkListing(listing, others).map((issue) => issueFinding(entry, issue)), ...changedTools(lock, entry, listing.tools).map((c) => lockFinding(entry, c))];
    findings.push(...own);
    audit.findings += own.length;
  }

  let lockContent: string | undefined;
  if (listed.length > 0) {
    const next = updateLock(lock, listed.map((l) => ({ entry: l.entry, tools: l.listing.tools })));
    lockContent = serializeLock(next);
    const unchanged = settings.baseLockText !== undefined && lockContent === serializeLock(lock);
    if (!unchanged && settings.lockOutFile) {
      try {
        await mkdir(dirname(settings.lockOutFile), { recursive: true });
        await writeFile(settings.lockOutFile, lockContent);
        warnings.push(`The MCP lock content with the tools listed now is in ${settings.lockOutFile}: commit it as ${MCP_LOCK_PATH} to pin these tool descriptions.`);
      } catch (error) {
        warnings.push(`could not write the updated MCP lock content to ${settings.lockOutFile}: ${getErrorMessage(error)}`);
      }
    }
  }
  return { audits, findings, rules: [...rules.values()], warnings, ...(lockContent !== undefined && { lockContent }) };
}

/** `host:port` of a CONNECT target against a host name or literal (brackets and case aside). */
function sameHost(target: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  const bare = target.replace(/:\d+$/, '').replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  return bare === host.replace(/^\[|\]$/g, '').toLowerCase();
}

/**
 * The binary first: its connections go through our address-checking proxy, which closes the DNS-rebinding gap; the gateway runs
 * ramparts in its own container, which resolves the host again by itself (docs/mcp-audit.md says what that leaves open).
 */
function rampartsRunner(ports: LivePorts, settings: LiveAuditSettings, guard: AddressGuard): RampartsRunner | string {
  const gateway = ports.gateway;
  if (settings.ramparts.binary) return binaryRampartsRunner(settings.ramparts.binary, settings.ramparts.env ?? {}, guard);
  if (settings.ramparts.viaGateway && gateway.status === 'ready' && !gateway.value.failure && gateway.value.tools.some((t) => t.name === RAMPARTS_SCAN_TOOL)) {
    return gatewayRampartsRunner(gateway.value);
  }
  if (!settings.ramparts.viaGateway) return 'no ramparts to scan with: the MCP gateway was not asked for its ramparts server (mcp-servers) and no ramparts binary is on the PATH';
  if (gateway.status !== 'ready') return `no ramparts to scan with: the MCP gateway ${gateway.status === 'skipped' ? 'is not running' : 'did not start'} (${gateway.reason}) and no ramparts binary is on the PATH`;
  if (gateway.value.failure) return `no ramparts to scan with: the MCP gateway stopped (${gateway.value.failure.message})`;
  return `no ramparts to scan with: the MCP gateway offers no '${RAMPARTS_SCAN_TOOL}' tool and no ramparts binary is on the PATH`;
}

// ── the sandbox ───────────────────────────────────────────────────────────────────────────────────────────────────────────────

type SandboxOutcome = { listing: McpListing; note?: string } | { status: McpServerAudit['status']; reason: string };

/** `${workspaceFolder}` and friends become the repository inside the sandbox; nothing else is expanded (no secret is resolved). */
function expandWorkspace(value: string): string {
  return value.replace(/\$\{(workspaceFolder|workspaceRoot|PWD|CLAUDE_PROJECT_DIR)\}/g, SANDBOX_WORKDIR);
}

async function listInSandbox(
  entries: readonly McpServerEntry[],
  ports: LivePorts,
  settings: LiveAuditSettings,
  warnings: string[],
): Promise<Map<McpServerEntry, SandboxOutcome>> {
  const out = new Map<McpServerEntry, SandboxOutcome>();
  const all = (status: McpServerAudit['status'], reason: string): Map<McpServerEntry, SandboxOutcome> => {
    for (const entry of entries) out.set(entry, { status, reason });
    return out;
  };
  if (ports.sandbox.status !== 'ready') return all('not-scanned', `stdio servers are started only in the sandbox, which is not available: ${ports.sandbox.reason}`);
  if (ports.checkout.status !== 'ready') return all('not-scanned', `stdio servers are started only in the sandbox, with the head tree, which is not available: ${ports.checkout.reason}`);
  let lister: string;
  try {
    lister = await readFile(settings.sandbox.listerPath, 'utf8');
  } catch (error) {
    return all('failed', `the MCP lister is missing (${getErrorMessage(error)})`);
  }
  const runnable: Runnable[] = [];
  let fetches = 0;
  for (const entry of entries) {
    if (!entry.command?.value) {
      out.set(entry, { status: 'not-scanned', reason: 'the entry has no command' });
      continue;
    }
    const runner = packageRunner(entry.command.value, entry.args.map((a) => a.value));
    if (runner?.kind === 'unsupported') out.set(entry, { status: 'not-scanned', reason: runner.reason });
    else if (runnable.length >= MAX_SERVERS_LISTED) out.set(entry, { status: 'not-scanned', reason: `more than ${MAX_SERVERS_LISTED} stdio servers changed: only the first ones were listed` });
    else if (runner && fetches >= MAX_SERVERS_FETCHED) {
      out.set(entry, { status: 'not-scanned', reason: `more than ${MAX_SERVERS_FETCHED} package-runner servers changed: only the first ones were fetched` });
    } else {
      if (runner) fetches++;
      runnable.push({ entry, ...(runner && { npm: runner }) });
    }
  }
  if (runnable.length === 0) return out;
  return listWith(ports.sandbox.value, ports.checkout.value, runnable, lister, ports, settings, warnings, out);
}

// ── package runners ──

interface NpmRunner {
  kind: 'npm';
  /** `npx`, `pnpm dlx`, … */
  label: string;
  /** As written: `pkg`, `@scope/pkg@1.2.3`, `pkg@^1`. */
  spec: string;
  /** The package name (the spec without its version). */
  name: string;
  /** The arguments after the package: passed to its bin. */
  rest: string[];
}

type Runner = NpmRunner | { kind: 'unsupported'; reason: string };

interface Runnable {
  entry: McpServerEntry;
  npm?: NpmRunner;
}

const programOf = (command: string): string =>
  (command.split(/[\\/]/).pop() ?? command).replace(/\.(cmd|exe|bat|ps1)$/i, '').toLowerCase();

/** A registry package spec: `name`, `@scope/name`, either with `@<version or range or tag>` (no URL, path, git or alias). */
const NPM_SPEC = /^((?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*)(?:@([A-Za-z0-9.^~<>=|*+ -]{1,100}))?$/;
/** npx / npm exec options that take no value and change nothing of what runs. */
const HARMLESS_FLAGS = new Set(['-y', '--yes', '-q', '--quiet', '--silent', '-s', '--no-install=false']);

/**
 * The package a server's command runs through a package runner, when it is one: npm runners (`npx`, `npm exec`/`npm x`, `pnpm dlx`,
 * `yarn dlx`) are fetched; the others (`bunx`, `bun x`, `uvx`, `uv tool run`, `pipx run`, `docker run`) are not, with the reason.
 */
export function packageRunner(command: string, args: readonly string[]): Runner | undefined {
  const program = programOf(command);
  const first = args[0];
  let label: string;
  let from: number;
  if (program === 'npx') [label, from] = ['npx', 0];
  else if (program === 'npm' && (first === 'exec' || first === 'x')) [label, from] = [`npm ${first}`, 1];
  else if ((program === 'pnpm' || program === 'yarn') && first === 'dlx') [label, from] = [`${program} dlx`, 1];
  else if (program === 'bunx' || (program === 'bun' && first === 'x')) return { kind: 'unsupported', reason: 'bunx servers are not fetched in this version' };
  else if (program === 'uvx' || (program === 'uv' && first === 'tool' && args[1] === 'run')) return { kind: 'unsupported', reason: 'uvx servers are not fetched in this version' };
  else if (program === 'pipx') return { kind: 'unsupported', reason: 'pipx servers are not fetched in this version' };
  else if ((program === 'docker' || program === 'podman') && first === 'run') return { kind: 'unsupported', reason: `${program} run servers are not started in the sandbox in this version` };
  else return undefined;
  for (let i = from; i < args.length; i++) {
    const arg = args[i]!;
    if (HARMLESS_FLAGS.has(arg)) continue;
    const spec = arg === '--' ? args[i + 1] : arg;
    const restFrom = arg === '--' ? i + 2 : i + 1;
    if (spec === undefined) break;
    if (spec.startsWith('-')) return { kind: 'unsupported', reason: `${label} with the option ${JSON.stringify(spec.slice(0, 40))} is not fetched in this version` };
    const match = NPM_SPEC.exec(spec);
    if (!match) return { kind: 'unsupported', reason: `${label} ${JSON.stringify(spec.slice(0, 100))} is not a registry package name: not fetched` };
    const rest = args.slice(restFrom);
    return { kind: 'npm', label, spec, name: match[1]!, rest: rest[0] === '--' ? rest.slice(1) : rest };
  }
  return { kind: 'unsupported', reason: `${label} names no package: not fetched` };
}

/** The registry of the fetch phase: the setting, else the internal env override, else the public one; http(s) only. */
function npmRegistry(settings: LiveAuditSettings): string | { error: string } {
  const raw = settings.sandbox.npmRegistry ?? process.env[NPM_REGISTRY_ENV] ?? DEFAULT_NPM_REGISTRY;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: `the npm registry ${raw} is not http(s)` };
    if (url.username || url.password) return { error: 'the npm registry address carries credentials: refused' };
    return url.href;
  } catch {
    return { error: `the npm registry ${JSON.stringify(raw)} is not a URL` };
  }
}

async function listWith(
  sandbox: SandboxBackend,
  checkout: HeadCheckout,
  runnables: readonly Runnable[],
  lister: string,
  ports: LivePorts,
  settings: LiveAuditSettings,
  warnings: string[],
  out: Map<McpServerEntry, SandboxOutcome>,
): Promise<Map<McpServerEntry, SandboxOutcome>> {
  const token = randomBytes(6).toString('hex');
  const outName = `.ultra-create-mcp-listing-${token}.json`;
  const registry = npmRegistry(settings);
  const fetchTimeoutMs = settings.sandbox.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const runnable: Runnable[] = [];
  for (const r of runnables) {
    if (r.npm && typeof registry !== 'string') out.set(r.entry, { status: 'not-scanned', reason: `${r.npm.label} ${r.npm.spec} not fetched: ${registry.error}` });
    else runnable.push(r);
  }
  if (runnable.length === 0) return out;
  const entries = runnable.map((r) => r.entry);
  const packages = runnable.flatMap((r, index) => (r.npm ? [{ id: index, spec: r.npm.spec, name: r.npm.name, dir: `${FETCH_ROOT}/${String(index)}` }] : []));
  const request = {
    out: `${SANDBOX_WORKDIR}/${outName}`,
    workdir: SANDBOX_WORKDIR,
    timeoutMs: settings.sandbox.serverTimeoutMs,
    maxBytes: MAX_LISTING_BYTES,
    maxPages: 20,
    ...(packages.length > 0 && {
      fetch: { file: `${FETCH_ROOT}/fetched-${token}.json`, registry: registry as string, timeoutMs: fetchTimeoutMs, maxBytes: MAX_FETCH_BYTES, root: FETCH_ROOT, packages },
    }),
    servers: runnable.map(({ entry, npm }, index) => ({
      id: index,
      command: expandWorkspace(entry.command!.value),
      ...(npm && { fetchId: index }),
      args: (npm ? npm.rest : entry.args.map((a) => a.value)).map(expandWorkspace),
      // Values are passed as written: `${env:TOKEN}`-style references stay unresolved text (no secret reaches the sandbox).
      env: Object.fromEntries(Object.entries(entry.env).map(([name, v]) => [name, expandWorkspace(v.value)])),
      ...(entry.cwd && { cwd: expandWorkspace(entry.cwd.value) }),
    })),
  };
  await mkdir(settings.sandbox.logDir, { recursive: true });
  const logFile = join(settings.sandbox.logDir, `ultra-create-mcp-lister-${checkout.revision.slice(0, 12)}-${String(Date.now())}.log`);
  const fail = (status: McpServerAudit['status'], reason: string): Map<McpServerEntry, SandboxOutcome> => {
    for (const entry of entries) out.set(entry, { status, reason });
    return out;
  };
  let result;
  try {
    result = await sandbox.run({
      image: settings.sandbox.image,
      tree: { kind: 'tar', open: () => checkout.archive(MAX_TREE_BYTES) },
      phases: [
        // The packages of package-runner servers, with network (nothing of them runs: install scripts are off), then the listing without.
        ...(packages.length > 0 ? [{ name: 'setup' as const, command: 'ULTRA_CREATE_MCP_PHASE=fetch exec node --input-type=module -e "$ULTRA_CREATE_MCP_LISTER"', network: 'default' as const }] : []),
        { name: 'test', command: 'exec node --input-type=module -e "$ULTRA_CREATE_MCP_LISTER"', network: 'none' },
      ],
      env: { ULTRA_CREATE_MCP_LISTER: lister, ULTRA_CREATE_MCP_REQUEST: JSON.stringify(request) },
      limits: {
        // Every server in turn, plus start-up of the container and the lister.
        timeoutMs: settings.sandbox.serverTimeoutMs * entries.length + (fetchTimeoutMs + 5_000) * packages.length + 30_000,
        memoryBytes: settings.sandbox.memoryBytes,
        cpus: settings.sandbox.cpus,
        pids: 512,
        openFiles: 4096,
        processes: 512,
      },
      collect: [outName],
      collectLimits: { files: 1, bytesPerFile: MAX_LISTING_BYTES * 4 },
      logFile,
      redact: redactSecrets,
      ...(ports.signal && { signal: ports.signal }),
    });
  } catch (error) {
    if (ports.signal?.aborted) throw error;
    return fail('failed', `the sandbox could not run the MCP lister: ${getErrorMessage(error)}`);
  }
  warnings.push(...result.collectWarnings);
  const phase = result.phases.find((p) => p.name === 'test');
  const file = result.files.get(outName);
  if (!file) {
    const how = phase?.ended === 'timed-out' ? 'timed out' : phase?.ended === 'out-of-memory' ? 'ran out of memory' : `ended (${phase?.ended ?? 'not run'}, exit ${String(phase?.exitCode)})`;
    const tail = truncate(oneLine(result.logTail.slice(-300)), 300);
    return fail('failed', `the MCP lister ${how} in the sandbox without writing its listing${tail ? `: ${tail}` : ''}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(file.toString('utf8'));
  } catch {
    return fail('failed', 'the MCP lister wrote a listing that is not JSON');
  }
  const results = (parsed as { results?: unknown }).results;
  const byId = new Map<number, Record<string, unknown>>();
  if (Array.isArray(results)) {
    for (const r of results) if (typeof r === 'object' && r !== null && typeof (r as { id?: unknown }).id === 'number') byId.set((r as { id: number }).id, r as Record<string, unknown>);
  }
  entries.forEach((entry, index) => {
    const r = byId.get(index);
    const npm = runnable[index]!.npm;
    const fetched = r && typeof r.fetch === 'object' && r.fetch !== null ? (r.fetch as { ok?: unknown; error?: unknown; version?: unknown }) : undefined;
    const version = typeof fetched?.version === 'string' ? truncate(oneLine(fetched.version), 100) : undefined;
    if (!r) out.set(entry, { status: 'failed', reason: 'the MCP lister did not report on this server' });
    else if (npm && fetched?.ok !== true) {
      const why = typeof fetched?.error === 'string' ? truncate(oneLine(redactSecrets(fetched.error)), 300) : 'the fetch phase did not report on it';
      out.set(entry, { status: 'failed', reason: `could not fetch ${npm.spec}: ${why}` });
    } else if (r.ok !== true) {
      const stderr = typeof r.stderrTail === 'string' && r.stderrTail.trim() ? ` (stderr: ${truncate(oneLine(redactSecrets(r.stderrTail.slice(-300))), 200)})` : '';
      const pkg = npm ? ` (${npm.name}@${version ?? '?'} fetched for ${npm.label} ${npm.spec})` : '';
      out.set(entry, { status: 'failed', reason: `the server ${typeof r.error === 'string' ? truncate(oneLine(r.error), 200) : 'failed'} in the sandbox${pkg}${stderr}` });
    } else out.set(entry, { listing: listingFromLister(r), ...(npm && { note: `${npm.label} ${npm.spec}: fetched ${npm.name}@${version ?? '?'}${npm.spec === `${npm.name}@${version ?? ''}` ? '' : ' (the version it resolved to now)'}` }) });
  });
  return out;
}

function listingFromLister(r: Record<string, unknown>): McpListing {
  const items = (value: unknown): Record<string, unknown>[] =>
    (Array.isArray(value) ? value : []).filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null).slice(0, 5000);
  const str = (v: unknown, max = 64 * 1024): string | undefined => (typeof v === 'string' ? v.slice(0, max) : undefined);
  return {
    tools: items(r.tools).map((t) => ({ name: str(t.name, 200) ?? '?', ...(str(t.description) !== undefined && { description: str(t.description) }), inputSchema: t.inputSchema })),
    prompts: items(r.prompts).map((p) => ({
      name: str(p.name, 200) ?? '?',
      ...(str(p.description) !== undefined && { description: str(p.description) }),
      arguments: items(p.arguments).map((a) => ({ name: str(a.name, 200) ?? '?', ...(str(a.description) !== undefined && { description: str(a.description) }) })),
    })),
    resources: items(r.resources).map((x) => ({
      name: str(x.name, 200) ?? str(x.uri, 200) ?? '?',
      ...(str(x.uri, 2000) !== undefined && { uri: str(x.uri, 2000) }),
      ...(str(x.description) !== undefined && { description: str(x.description) }),
    })),
  };
}
