/**
 * `ramparts skills scan <dir> --format json` (static: ramparts parses skill files and runs its YARA rules and heuristics on them;
 * it executes nothing) over the agent files the MCP audit read. The files are written into a folder of our own — only the bytes we
 * read (regular files, size-capped), so ramparts never walks the pull request's tree or follows its links — laid out so that
 * ramparts' walker sees them (it skips dot folders other than its own and folders such as `build`), and ramparts runs in an empty
 * working directory (it reads `config.yaml` and `rules/` from there). Its JSON is one scan result whose `prompts` are the skills and
 * whose `yara_results` carry the matches; each is anchored back at the file (and the line of the matched text) ourselves. An
 * output of another shape, or one without the rules summary, is `degraded`, never clean.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { revealHidden } from '../../text/hidden.js';
import { redactSecrets } from '../../text/redact.js';
import { oneLine, truncate } from '../../text/strings.js';
import type { Finding, RuleInfo } from '../../types.js';
import type { ScanPorts } from '../scanner.js';
import type { McpServerAudit } from './model.js';
import { childEnvOf, llmRuleId, parseRampartsOutput, readRampartsResult, runBinary, yaraRuleId, type LlmIssue, type YaraHit } from './ramparts.js';
import type { AgentFile, AgentSkillsScan } from './scanner.js';

export const DEFAULT_SKILLS_TIMEOUT_MS = 120_000;

interface Staged {
  file: AgentFile;
  /** Absolute path of the copy ramparts reads. */
  staged: string;
  /** Path of the copy below the staging folder (forward slashes). */
  relative: string;
  /** Names ramparts may give this skill: its front-matter `name`, the file's stem, the skill folder's name. */
  names: string[];
}

/** Folder names ramparts' walker skips or that would hide a file from it; renamed in the staged copy. */
const WALKER_SKIPS = new Set(['.git', 'node_modules', 'target', 'dist', 'build', '.venv', 'venv', '__pycache__']);

function stagedRelative(path: string, index: number): string {
  const skill = /^(.*?)\.claude\/skills\/([^/]+)\/(.+)$/.exec(path);
  // A skill keeps its folder (SKILL.md with its scripts/ and references/: ramparts reads them as one bundle).
  const parts = skill ? [`s-${index}`, skill[2]!, ...skill[3]!.split('/')] : [`f-${index}`, posix.basename(path)];
  return parts
    .map((part) => (part.startsWith('.') || WALKER_SKIPS.has(part) ? `d${part}` : part))
    .join('/')
    .replace(/\.mdc$/, '.mdc.md');
}

function namesOf(file: AgentFile): string[] {
  const names = new Set<string>();
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(file.text)?.[1];
  const declared = front ? /^name:\s*["']?([^"'\r\n]+?)["']?\s*$/m.exec(front)?.[1] : undefined;
  if (declared) names.add(declared.trim());
  // ramparts names a skill by its file stem (`keys.prompt` for keys.prompt.md, `style.mdc` for the staged style.mdc.md).
  const base = posix.basename(file.path);
  names.add(base.replace(/\.md$/, ''));
  names.add(base.replace(/\.(md|mdc)$/, '').replace(/\.(prompt|instructions)$/, ''));
  const skill = /\.claude\/skills\/([^/]+)\//.exec(file.path)?.[1];
  if (skill) names.add(skill);
  return [...names];
}

export interface RampartsSkillsOptions {
  binary: string;
  env: Readonly<Record<string, string | undefined>>;
  timeoutMs?: number;
}

export function rampartsSkillsScan(options: RampartsSkillsOptions): AgentSkillsScan {
  return (files, ports) => scanSkills(files, ports, options);
}

async function scanSkills(files: readonly AgentFile[], ports: ScanPorts, options: RampartsSkillsOptions): ReturnType<AgentSkillsScan> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SKILLS_TIMEOUT_MS;
  const dir = await mkdtemp(join(ports.tempDir, 'ramparts-skills-'));
  try {
    const tree = join(dir, 'skills');
    const cwd = join(dir, 'cwd');
    await mkdir(cwd);
    const roots = new Map<string, number>();
    const staged: Staged[] = [];
    for (const file of files) {
      const root = /^(.*?\.claude\/skills\/[^/]+)\//.exec(file.path)?.[1];
      let index = staged.length;
      if (root !== undefined) {
        index = roots.get(root) ?? roots.size + files.length;
        roots.set(root, index);
      }
      const relative = stagedRelative(file.path, index);
      const path = join(tree, ...relative.split('/'));
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, file.text);
      staged.push({ file, staged: path, relative, names: namesOf(file) });
    }
    const seconds = Math.max(1, Math.floor(timeoutMs / 1000) - 2);
    const output = await runBinary(options.binary, ['skills', 'scan', tree, '--format', 'json', '--timeout', String(seconds)], {
      env: childEnvOf(options.env),
      cwd,
      timeoutMs,
      ...(ports.signal && { signal: ports.signal }),
    });
    return readSkillsOutput(output, staged);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const auditOf = (s: Staged, status: McpServerAudit['status'], reason: string | undefined, findings: number): McpServerAudit => ({
  server: s.names[0] ?? s.file.path,
  configPath: s.file.path,
  line: 1,
  check: 'ramparts-skills',
  status,
  ...(reason !== undefined && { reason }),
  findings,
});

/** Exported for tests: ramparts' JSON read against the staged files. */
export function readSkillsOutput(output: string, staged: readonly Staged[]): Awaited<ReturnType<AgentSkillsScan>> {
  const all = (status: McpServerAudit['status'], reason: string): Awaited<ReturnType<AgentSkillsScan>> => ({
    audits: staged.map((s) => auditOf(s, status, reason, 0)),
    findings: [],
    rules: [],
    warnings: [],
  });
  let results: Record<string, unknown>[];
  try {
    results = parseRampartsOutput(output);
  } catch (error) {
    return all('failed', `ramparts skills scan: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = results[0];
  // The documented shape is one scan result: `status`, `prompts` (the skills it parsed) and `yara_results`.
  if (!result || !('status' in result) || !Array.isArray(result.prompts) || !Array.isArray(result.yara_results)) {
    return all('degraded', `ramparts skills scan answered JSON of an unknown shape (keys: ${truncate(Object.keys(result ?? {}).join(', ') || 'none', 120)}): its result was not read`);
  }
  const scan = readRampartsResult(result);
  const byFile = new Map<Staged, number>();
  const findings: Finding[] = [];
  const rules = new Map<string, RuleInfo>();
  for (const hit of scan.hits) {
    const target = locate(staged, hit.context, hit.targetName);
    const finding = hitFinding(target, hit, rules);
    findings.push(finding);
    byFile.set(target, (byFile.get(target) ?? 0) + 1);
  }
  for (const issue of scan.issues) {
    const target = locate(staged, undefined, issue.target ?? '');
    findings.push(issueFinding(target, issue, rules));
    byFile.set(target, (byFile.get(target) ?? 0) + 1);
  }
  const read = Array.isArray(result.prompts) ? result.prompts.length : 0;
  const warnings = read === 0 ? ['ramparts skills scan parsed none of the agent files it was given'] : [];
  const status = read === 0 && scan.status === 'scanned' ? 'degraded' : scan.status;
  const reason = read === 0 && scan.status === 'scanned' ? 'ramparts skills scan parsed none of the files' : scan.reason;
  return { audits: staged.map((s) => auditOf(s, status, reason, byFile.get(s) ?? 0)), findings, rules: [...rules.values()], warnings };
}

/** The staged file a result names: by its `source: <path>` context, a bundle path `<skill>/<dir>/<file>`, or the skill's name. */
function locate(staged: readonly Staged[], context: string | undefined, targetName: string): Staged {
  const source = context?.startsWith('source: ') ? context.slice('source: '.length).trim() : undefined;
  const bySource = source === undefined ? undefined : staged.find((s) => s.staged === source || source.endsWith(`/${s.relative}`));
  if (bySource) return bySource;
  if (targetName.includes('/')) {
    const byBundle = staged.find((s) => s.relative.endsWith(`/${targetName}`));
    if (byBundle) return byBundle;
  }
  const byName = staged.find((s) => s.names.includes(targetName));
  return byName ?? staged.find((s) => s.file.changed) ?? staged[0]!;
}

/** The line of the matched text in the file (its first 60 characters, case aside), else 1. */
function lineOf(s: Staged, matched: string | undefined): number {
  const needle = (matched ?? '').trim().split('\n')[0]?.slice(0, 60).toLowerCase();
  if (!needle) return 1;
  const index = s.file.text.split('\n').findIndex((line) => line.toLowerCase().includes(needle));
  return index < 0 ? 1 : index + 1;
}

const evidence = (value: string | undefined): string => redactSecrets(truncate(oneLine(revealHidden(value ?? '')), 300));

function hitFinding(s: Staged, hit: YaraHit, rules: Map<string, RuleInfo>): Finding {
  const id = yaraRuleId(hit.ruleName);
  const severity = hit.severity ?? 'medium';
  const tags = hit.owaspTags.length > 0 ? ` OWASP tags (ramparts'): ${hit.owaspTags.join(', ')}.` : '';
  const what = hit.description ? oneLine(hit.description) : `ramparts' rule ${hit.ruleName} matched.`;
  if (!rules.has(id)) {
    rules.set(id, {
      id,
      source: 'ramparts',
      severity,
      shortDescription: `ramparts rule ${hit.ruleName} matched an agent skill or instruction file.`,
      fullDescription: `${what}${tags}`,
      ...(hit.owaspTags[0] !== undefined && { category: hit.owaspTags[0] }),
    });
  }
  const line = lineOf(s, hit.matchedText);
  return {
    ruleId: id,
    source: 'ramparts',
    severity,
    path: s.file.path,
    startLine: line,
    endLine: line,
    message: `ramparts skills scan, ${s.file.kind.label}: ${truncate(what, 300)}`,
    note: `Reported by ramparts skills scan (rule ${hit.ruleName}).${tags}`,
    evidence: evidence(hit.matchedText ?? s.file.text.split('\n')[line - 1]),
    fingerprint: '',
  };
}

function issueFinding(s: Staged, issue: LlmIssue, rules: Map<string, RuleInfo>): Finding {
  const id = llmRuleId(issue.issueType);
  if (!rules.has(id)) {
    rules.set(id, { id, source: 'ramparts', severity: issue.severity, shortDescription: `ramparts' model-based analysis reported ${issue.issueType} in an agent skill.` });
  }
  return {
    ruleId: id,
    source: 'ramparts',
    severity: issue.severity,
    path: s.file.path,
    startLine: 1,
    endLine: 1,
    message: `ramparts skills scan, ${s.file.kind.label}: ${truncate(oneLine(issue.message || issue.issueType), 300)}`,
    ...(issue.details && { note: truncate(oneLine(issue.details), 1000) }),
    evidence: evidence(issue.details ?? issue.message),
    fingerprint: '',
  };
}
