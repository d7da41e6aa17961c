import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CollectedChange } from '../collect/collect.js';
import type { Config } from '../config/schema.js';
import type { ChangedFile } from '../types.js';
import { builtinRulesDir } from './ast-grep/assets.js';
import { AST_GREP_ENV_VAR } from './ast-grep/binary.js';
import { createAstGrepScanner } from './ast-grep/scanner.js';
import { AST_GREP_TOOL, createPatternScanner } from './mcp-patterns/scanner.js';
import { mcpConfigKind } from './mcp-audit/discovery.js';
import { listerAsset, runLiveAudit, type LiveAuditSettings } from './mcp-audit/live.js';
import { findRampartsOnPath, RAMPARTS_SERVER } from './mcp-audit/ramparts.js';
import { rampartsSkillsScan } from './mcp-audit/ramparts-skills.js';
import { createMcpAuditScanner, type McpAuditSettings } from './mcp-audit/scanner.js';
import { skippedScanner, type Scanner, type ScannerNeeds } from './scanner.js';
import { createTemplatesScanner } from './templates/scanner.js';
import { createTestsScanner, type TestsSettings } from './tests/scanner.js';

/** What an entry may read to build its settings: the configuration, what collect brought from the base commit, the environment. */
export interface ScannerContext {
  config: Config;
  change: Pick<CollectedChange, 'repoAstGrepConfigDir' | 'extraRuleSources'> & Partial<Pick<CollectedChange, 'files' | 'mcpLockText'>>;
  env: Readonly<Record<string, string | undefined>>;
  /** Where this code runs from (`dist/` or `src/scanners/`): the built-in rule pack and vendored binaries are looked up from here. */
  assetsFrom: string;
}

/**
 * One row of the scanner table: its name, when the configuration enables it, what it needs started first, the slice of the run it
 * reads (never the whole configuration, never a token), and how it is made from that slice.
 */
export interface ScannerEntry<S = unknown> {
  readonly name: Scanner['name'];
  enabled(config: Config): boolean;
  /** What must be started first; a function when it depends on the configuration (or on the change: which files it touches). */
  readonly needs: ScannerNeeds | ((config: Config, context: ScannerContext) => ScannerNeeds);
  settings(context: ScannerContext): S;
  create(settings: S): Scanner;
}

function entry<S>(row: ScannerEntry<S>): ScannerEntry {
  return row;
}

/** The environment variables the ast-grep scanner may see: its binary's location and what the ast-grep process itself needs. */
const AST_GREP_ENV = [AST_GREP_ENV_VAR, 'RUNNER_TOOL_CACHE', 'XDG_CACHE_HOME', 'PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'LC_ALL', 'SYSTEMROOT', 'USERPROFILE', 'APPDATA'];

function pick(env: Readonly<Record<string, string | undefined>>, names: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(names.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]]])));
}

/** Internal settings (tests shorten the time limits to seconds): milliseconds for the whole ast-grep scan and per file. */
export const SCAN_TIMEOUT_ENV = 'ULTRA_CREATE_AST_GREP_TIMEOUT_MS';
export const FILE_TIMEOUT_ENV = 'ULTRA_CREATE_AST_GREP_FILE_TIMEOUT_MS';
/** Internal setting: the address space of each ast-grep process in MiB, on Linux (a machine whose allocator reserves more). */
export const MEMORY_LIMIT_ENV = 'ULTRA_CREATE_AST_GREP_MEMORY_MB';
/** Internal setting: milliseconds per template file (default 10 seconds). */
export const TEMPLATE_FILE_TIMEOUT_ENV = 'ULTRA_CREATE_TEMPLATE_FILE_TIMEOUT_MS';

function positiveInteger(value: string | undefined): number | undefined {
  return value !== undefined && /^[1-9]\d*$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

/** Every scanner, in the order their reports are shown. Adding one is adding a row. */
export const SCANNERS: readonly ScannerEntry[] = [
  entry({
    name: 'ast-grep',
    enabled: (config) => config.scanners.includes('ast-grep'),
    needs: {},
    settings: ({ change, env, assetsFrom }) => {
      const rulesDir = builtinRulesDir(assetsFrom);
      return {
        builtinRulesDir: rulesDir,
        distDir: dirname(rulesDir),
        repoConfigDir: change.repoAstGrepConfigDir,
        extraRuleSources: change.extraRuleSources,
        env: pick(env, AST_GREP_ENV),
        timeoutMs: positiveInteger(env[SCAN_TIMEOUT_ENV]),
        fileTimeoutMs: positiveInteger(env[FILE_TIMEOUT_ENV]),
        memoryLimitBytes: (positiveInteger(env[MEMORY_LIMIT_ENV]) ?? 0) * 1024 * 1024 || undefined,
      };
    },
    create: createAstGrepScanner,
  }),
  entry({
    // Template files (EJS, Handlebars/Mustache, Pug, Jinja/Nunjucks/Django): no ast-grep grammar reads them, so a tokenizer per
    // family does, as part of the static scan the `ast-grep` choice stands for.
    name: 'templates',
    enabled: (config) => config.scanners.includes('ast-grep'),
    needs: {},
    settings: ({ env }) => ({ fileTimeoutMs: positiveInteger(env[TEMPLATE_FILE_TIMEOUT_ENV]) }),
    create: (settings) => createTemplatesScanner(settings),
  }),
  entry({
    // The configuration's ad-hoc `ast-grep.patterns`, through the MCP gateway's ast-grep server.
    name: 'mcp-pattern',
    enabled: (config) => config.scanners.includes('ast-grep') && config.astGrepPatterns.length > 0,
    needs: { gateway: [AST_GREP_TOOL] },
    settings: ({ config }) => ({ patterns: config.astGrepPatterns, mcpServers: config.mcpServers }),
    create: (settings) => createPatternScanner(settings),
  }),
  entry({
    // The MCP audit: configuration files, static checks, and the live checks' seam. `nofilter` reads every configuration file of
    // the head commit, hence the checkout.
    name: 'ramparts',
    enabled: (config) => config.scanners.includes('ramparts'),
    needs: (config, { change }) => mcpAuditNeeds(config, change.files ?? []),
    settings: ({ config, change, env, assetsFrom }): McpAuditSettings => {
      const live = liveAuditSettings(config, change.mcpLockText, env, assetsFrom);
      return {
        filterMode: config.filterMode,
        changedFiles: change.files ?? [],
        live: (servers, ports) => runLiveAudit(servers, ports, live),
        skillsScan: live.ramparts.binary ? rampartsSkillsScan({ binary: live.ramparts.binary, env: live.ramparts.env ?? {} }) : { unavailable: 'no ramparts binary on the PATH' },
      };
    },
    create: createMcpAuditScanner,
  }),
  entry({
    // The pull request's tests, in a locked-down container over a copy of the head commit's tree.
    name: 'tests',
    enabled: (config) => config.scanners.includes('tests'),
    needs: (config) => (config.testCommand === undefined ? {} : { sandbox: true, checkout: true }),
    settings: ({ config, env }) => (config.testCommand === undefined ? undefined : testsSettings(config, config.testCommand, env)),
    create: (settings) =>
      settings === undefined ? skippedScanner('tests', 'no test-command is set: the pull request tests were not run') : createTestsScanner(settings),
  }),
];

/**
 * The MCP audit reads the checkout for `nofilter`; when the change touches an MCP configuration file, its live checks need the
 * sandbox and the head checkout (stdio servers are listed there) and the gateway's ramparts server (remote servers), if asked for.
 */
function mcpAuditNeeds(config: Config, files: readonly Pick<ChangedFile, 'path' | 'status'>[]): ScannerNeeds {
  const touchesMcp = files.some((file) => file.status !== 'removed' && mcpConfigKind(file.path) !== undefined);
  if (!touchesMcp) return config.filterMode === 'nofilter' ? { checkout: true } : {};
  return { checkout: true, sandbox: true, ...(config.mcpServers.includes(RAMPARTS_SERVER) && { gateway: [RAMPARTS_SERVER] }) };
}

/** Internal setting (tests shorten it to seconds): how long one stdio server may take to list its tools in the sandbox. */
export const MCP_LIST_TIMEOUT_ENV = 'ULTRA_CREATE_MCP_LIST_TIMEOUT_MS';

function liveAuditSettings(config: Config, lockText: string | undefined, env: Readonly<Record<string, string | undefined>>, assetsFrom: string): LiveAuditSettings {
  const temp = env.RUNNER_TEMP ?? tmpdir();
  const binary = findRampartsOnPath(env.PATH);
  return {
    allowHosts: config.mcpAuditAllowHosts,
    ...(lockText !== undefined && { baseLockText: lockText }),
    lockOutFile: join(temp, 'ultra-create-mcp.lock.json'),
    sandbox: {
      image: config.testImage,
      listerPath: listerAsset(assetsFrom),
      serverTimeoutMs: positiveInteger(env[MCP_LIST_TIMEOUT_ENV]) ?? 60_000,
      memoryBytes: 1024 * 1024 * 1024,
      cpus: 1,
      logDir: temp,
    },
    ramparts: {
      viaGateway: config.mcpServers.includes(RAMPARTS_SERVER),
      ...(binary !== undefined && { binary }),
      env: pick(env, ['PATH', 'HOME', 'RAMPARTS_RULES_DIR']),
      timeoutMs: 120_000,
    },
  };
}

/** What reaches the sandbox of the runner's environment: `CI`, the locale and time zone, and the names `test-env` lists. */
const TESTS_BASE_ENV = ['LANG', 'LC_ALL', 'TZ'];

function testsSettings(config: Config, command: string, env: Readonly<Record<string, string | undefined>>): TestsSettings {
  const passed = pick(env, [...TESTS_BASE_ENV, ...config.testEnv]);
  const sandboxEnv: Record<string, string> = { CI: 'true' };
  for (const [name, value] of Object.entries(passed)) if (value !== undefined) sandboxEnv[name] = value;
  // `GITHUB_WORKFLOW_REF` is `owner/repo/.github/workflows/ci.yml@refs/…`: the workflow that set test-command.
  const workflow = /^[^/]+\/[^/]+\/(.+?)@/.exec(env.GITHUB_WORKFLOW_REF ?? '')?.[1];
  return {
    command,
    ...(config.testSetupCommand !== undefined && { setupCommand: config.testSetupCommand }),
    setupNetwork: config.testSetupNetwork,
    image: config.testImage,
    timeoutMs: config.testTimeoutMinutes * 60_000,
    memoryBytes: config.testMemoryMb * 1024 * 1024,
    cpus: Math.max(1, Math.min(availableParallelism(), 4)),
    env: sandboxEnv,
    missingEnv: config.testEnv.filter((name) => env[name] === undefined),
    reportGlobs: config.testReport,
    logDir: env.RUNNER_TEMP ?? tmpdir(),
    ...(workflow !== undefined && { workflowPath: workflow }),
  };
}

/** Where this module runs from: `dist/` (bundled) or `src/scanners/` (tests). */
const HERE = dirname(fileURLToPath(import.meta.url));

export interface ScanPlan {
  scanners: Scanner[];
  /** What each enabled scanner declared it needs, by scanner name. */
  needs: ReadonlyMap<Scanner['name'], ScannerNeeds>;
}

/** The enabled rows of the table, each made from its own slice; in the table's order. */
export function planScan(context: Omit<ScannerContext, 'assetsFrom'> & { assetsFrom?: string }, table: readonly ScannerEntry[] = SCANNERS): ScanPlan {
  const full: ScannerContext = { ...context, assetsFrom: context.assetsFrom ?? HERE };
  const enabled = table.filter((row) => row.enabled(context.config));
  return {
    scanners: enabled.map((row) => row.create(row.settings(full))),
    needs: new Map(enabled.map((row) => [row.name, typeof row.needs === 'function' ? row.needs(context.config, full) : row.needs])),
  };
}

/** The gateway servers and the sandbox the enabled scanners asked for, together. */
export function combinedNeeds(plan: ScanPlan): { gateway: string[]; sandbox: boolean; checkout: boolean } {
  const needs = [...plan.needs.values()];
  return {
    gateway: [...new Set(needs.flatMap((n) => n.gateway ?? []))],
    sandbox: needs.some((n) => n.sandbox === true),
    checkout: needs.some((n) => n.checkout === true),
  };
}
