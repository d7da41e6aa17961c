/**
 * The repository config's `ast-grep.patterns`: ad-hoc structural queries the rule pack cannot express, run through the MCP
 * gateway's `ast-grep` tool (`{pattern, lang, dir}`) on the change's head files, and mapped to findings like any other.
 */
import { posix } from 'node:path';
import type { AstGrepPattern } from '../../config/schema.js';
import { getErrorMessage } from '../../errors.js';
import { GatewayTransportError } from '../../runtime/gateway-errors.js';
import type { Finding, RuleInfo, ScanReport } from '../../types.js';
import { findingFromMatch, hasMatchShape, type AstGrepMatch } from '../ast-grep/scan.js';
import type { Scanner, ScanPorts, ScanResult } from '../scanner.js';
import { compareStrings } from '../../text/strings.js';

export const MCP_PATTERN_SCANNER = 'mcp-pattern';
/** The gateway's catalog server and its tool carry the same name. */
export const AST_GREP_TOOL = 'ast-grep';
/** Where the catalog's ast-grep server mounts its `path` (`{{ast-grep.path}}:/src`); the tool's `dir` is read in that container. */
export const AST_GREP_SERVER_ROOT = '/src';

/** The slice of the configuration this scanner reads. */
export interface PatternSettings {
  patterns: readonly AstGrepPattern[];
  /** `mcp-servers`: whether the gateway was asked to run the ast-grep server. */
  mcpServers: readonly string[];
}

export interface PatternScannerOptions {
  /** The tool's `dir` argument (default: the server's mount point). */
  dir?: string;
  callTimeoutMs?: number;
  /** Patterns searched at once through the gateway. */
  concurrency?: number;
}

/** Runs the configuration's `ast-grep.patterns` through the gateway the runtime started (its outcome is read when the scan runs). */
export function createPatternScanner(settings: PatternSettings, options: PatternScannerOptions = {}): Scanner {
  return { name: MCP_PATTERN_SCANNER, run: (ports) => runAstGrepPatterns(settings, ports, options) };
}

export function patternRuleId(pattern: Pick<AstGrepPattern, 'id'>): string {
  return `pattern/${pattern.id}`;
}

export function patternRules(patterns: readonly AstGrepPattern[]): RuleInfo[] {
  return patterns.map((p) => ({
    id: patternRuleId(p),
    source: 'mcp-pattern',
    severity: p.severity,
    shortDescription: p.message,
    fullDescription: `Pattern \`${p.pattern}\` (${p.language}) from the repository's ast-grep.patterns, searched through the MCP gateway.`,
  }));
}

export async function runAstGrepPatterns(
  settings: PatternSettings,
  ports: Pick<ScanPorts, 'tree' | 'gateway' | 'logger' | 'signal'>,
  options: PatternScannerOptions = {},
): Promise<ScanResult> {
  const started = Date.now();
  const { patterns } = settings;
  const rules = patternRules(patterns);
  const filesScanned = ports.tree.files.length;
  // Counts only once the patterns went to the gateway's tool: a scan that never ran scanned nothing.
  let ran = false;
  const result = (status: ScanReport['status'], findings: Finding[], reason?: string, warnings: string[] = []): ScanResult => ({
    report: {
      scanner: MCP_PATTERN_SCANNER,
      status,
      ...(reason ? { reason } : {}),
      findings,
      durationMs: Date.now() - started,
      filesScanned: ran ? filesScanned : 0,
      rulesRun: ran ? patterns.length : 0,
      warnings,
    },
    rules,
  });

  if (patterns.length === 0) return result('skipped', [], 'the config file has no ast-grep.patterns');
  const provision = ports.gateway;
  if (provision.status !== 'ready') {
    const why = provision.status === 'skipped' ? 'is not running' : 'did not start';
    return result(provision.status, [], `the MCP gateway ${why}: ${provision.reason}`);
  }
  const gateway = provision.value;
  if (gateway.failure) return result('failed', [], gateway.failure.message);
  if (!gateway.tools.some((t) => t.name === AST_GREP_TOOL)) {
    const enabled = settings.mcpServers.includes(AST_GREP_TOOL);
    return enabled
      ? result('failed', [], `the MCP gateway offers no '${AST_GREP_TOOL}' tool although mcp-servers lists it`)
      : result('skipped', [], `'${AST_GREP_TOOL}' is not in mcp-servers`);
  }
  ran = true;
  if (filesScanned === 0) return result('ok', []);

  const dir = options.dir ?? AST_GREP_SERVER_ROOT;
  const reviewable = new Set(ports.tree.files);
  const roots = [dir, ports.tree.root].map((root) => root.replace(/\/+$/, ''));
  const findings: Finding[] = [];
  const warnings: string[] = [];
  const failures: string[] = [];
  let gatewayGone = false;

  const queue = [...patterns];
  const worker = async (): Promise<void> => {
    for (let pattern = queue.shift(); pattern && !gatewayGone; pattern = queue.shift()) {
      try {
        const answer = await gateway.callTool(
          AST_GREP_TOOL,
          { pattern: pattern.pattern, lang: pattern.language, dir },
          { timeoutMs: options.callTimeoutMs, signal: ports.signal },
        );
        const matches = parseMatches(answer.text, answer.structuredContent);
        let outside = 0;
        for (const match of matches) {
          const path = repositoryPath(match.file, roots);
          if (!path || !reviewable.has(path)) {
            outside++;
            continue;
          }
          findings.push(mapMatch(match, path, pattern));
        }
        if (outside) ports.logger.debug(`pattern ${pattern.id}: ${outside} match(es) outside the reviewed files ignored.`);
      } catch (error) {
        if (ports.signal?.aborted) throw error;
        if (error instanceof GatewayTransportError) gatewayGone = true;
        failures.push(`pattern ${pattern.id}: ${getErrorMessage(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, patterns.length)) }, worker));

  findings.sort((a, b) => compareStrings(a.path, b.path) || a.startLine - b.startLine || compareStrings(a.ruleId, b.ruleId));
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by the workers above: TypeScript does not follow assignments made inside closures
  if (gatewayGone) {
    const reason = failures.find((f) => f.includes('stopped')) ?? failures[0] ?? 'the MCP gateway stopped answering';
    return result('failed', findings, reason, [...warnings, ...failures]);
  }
  if (failures.length > 0) return result('failed', findings, failures.join('; '), warnings);
  return result('ok', findings, undefined, warnings);
}

/** Relative to the repository: strips the server's mount point or our head folder, `./`, backslashes. */
function repositoryPath(file: string, roots: readonly string[]): string | undefined {
  let path = file.replace(/\\/g, '/');
  for (const root of roots) {
    if (root && path.startsWith(`${root}/`)) {
      path = path.slice(root.length + 1);
      break;
    }
  }
  path = posix.normalize(path).replace(/^(\.\/)+/, '');
  if (path.startsWith('/') || path.startsWith('../') || path === '..' || path === '.') return undefined;
  return path;
}

function mapMatch(match: ToolMatch, path: string, pattern: AstGrepPattern): Finding {
  const ruleId = patternRuleId(pattern);
  const astGrepMatch: AstGrepMatch = { ...match, ruleId, file: path, message: pattern.message };
  // Same line and column conventions as the ast-grep scanner (1-based lines from ast-grep's zero-based range; evidence = `lines`).
  const finding = findingFromMatch(astGrepMatch, ruleId, undefined);
  return { ...finding, source: 'mcp-pattern', severity: pattern.severity };
}

type ToolMatch = Omit<AstGrepMatch, 'ruleId'>;

/**
 * The tool answers with ast-grep's JSON: an array of matches, JSON lines, or (structured) an object holding them. An answer that
 * is none of these is an error, not "no matches" — unless it is empty or says there is no match.
 */
export function parseMatches(text: string, structured?: Record<string, unknown>): ToolMatch[] {
  const fromValue = (value: unknown): ToolMatch[] | undefined => {
    if (Array.isArray(value)) return value.filter(isToolMatch);
    if (typeof value === 'object' && value !== null) {
      for (const key of ['matches', 'results', 'result']) {
        const inner = (value as Record<string, unknown>)[key];
        if (Array.isArray(inner)) return inner.filter(isToolMatch);
      }
      if (isToolMatch(value)) return [value];
    }
    return undefined;
  };
  const fromStructured = structured ? fromValue(structured) : undefined;
  if (fromStructured) return fromStructured;
  const trimmed = text.trim();
  if (trimmed === '' || /^no (matches|match|results?)\b/i.test(trimmed)) return [];
  try {
    const whole = fromValue(JSON.parse(trimmed));
    if (whole) return whole;
  } catch {
    // maybe JSON lines
  }
  const matches: ToolMatch[] = [];
  for (const line of trimmed.split('\n')) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`the ast-grep tool answered something that is not ast-grep JSON: ${JSON.stringify(trimmed.slice(0, 200))}`);
    }
    matches.push(...(fromValue(value) ?? []));
  }
  return matches;
}

function isToolMatch(value: unknown): value is ToolMatch {
  return hasMatchShape(value);
}
