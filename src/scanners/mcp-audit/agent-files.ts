/**
 * Agent-skill and instruction files a repository ships for coding agents (Claude Code skills, commands and subagents, Cursor
 * commands and rules, Copilot prompt and instruction files, AGENTS.md / CLAUDE.md / GEMINI.md): which paths they are, and our own
 * static checks on their text. A skill file is instructions by design, so the checks flag only what hides from the user, overrides
 * the user's or the system's authority, grants unrestricted execution, runs remote code, reads credentials or sends data away.
 * Pure: no I/O here; findings sit at the file's line.
 */
import { firstHiddenCharacter, revealHidden } from '../../text/hidden.js';
import { redactSecrets } from '../../text/redact.js';
import { truncate } from '../../text/strings.js';
import type { Finding, RuleInfo, Severity } from '../../types.js';
import { parseYaml } from './parse-yaml.js';
import type { LocatedNode } from './located.js';
import { OWASP_MCP, ruleInfosOf, type McpStaticRule } from './static-rules.js';

/**
 * What an agent file is. `skill`, `command`, `agent` and `prompt` carry front matter that grants tools; `resource` is a file bundled
 * with a skill (its scripts and references); `instructions` are always-on rule and instruction files; `memory` are the root-level
 * AGENTS.md / CLAUDE.md / GEMINI.md, audited only when the pull request changes them.
 */
export type AgentFileRole = 'skill' | 'resource' | 'command' | 'agent' | 'prompt' | 'instructions' | 'memory';

export interface AgentFileKind {
  role: AgentFileRole;
  /** Whose file this is, for messages (`Claude Code skill`, `Cursor rule`). */
  label: string;
}

/** Documented project locations (docs/mcp-audit.md cites each tool's documentation). Matched after any leading folders. */
const PATTERNS: readonly [RegExp, AgentFileKind][] = [
  [/(?:^|\/)\.claude\/skills\/[^/]+\/SKILL\.md$/, { role: 'skill', label: 'Claude Code skill' }],
  [/(?:^|\/)\.claude\/skills\/[^/]+\/.+$/, { role: 'resource', label: 'file bundled with a Claude Code skill' }],
  [/(?:^|\/)\.claude\/commands\/.+\.md$/, { role: 'command', label: 'Claude Code command' }],
  [/(?:^|\/)\.claude\/agents\/.+\.md$/, { role: 'agent', label: 'Claude Code subagent' }],
  [/(?:^|\/)\.cursor\/commands\/.+\.md$/, { role: 'command', label: 'Cursor command' }],
  [/(?:^|\/)\.cursor\/rules\/.+\.mdc?$/, { role: 'instructions', label: 'Cursor rule' }],
  [/(?:^|\/)\.github\/prompts\/[^/]+\.prompt\.md$/, { role: 'prompt', label: 'Copilot prompt file' }],
  [/(?:^|\/)\.github\/instructions\/.+\.instructions\.md$/, { role: 'instructions', label: 'Copilot instructions file' }],
  [/(?:^|\/)\.github\/copilot-instructions\.md$/, { role: 'instructions', label: 'Copilot instructions file' }],
  [/(?:^|\/)(?:AGENTS|CLAUDE|GEMINI)\.md$/, { role: 'memory', label: 'agent instructions file' }],
];

/** The agent-file kind of a repository path, or undefined. Files under `node_modules/` are dependencies, not the project's. */
export function agentFileKind(path: string): AgentFileKind | undefined {
  // Cheap rejections first: this runs on every path of a large repository.
  if (!path.endsWith('.md') && !path.endsWith('.mdc') && !path.includes('.claude/skills/')) return undefined;
  if (path.startsWith('node_modules/') || path.includes('/node_modules/')) return undefined;
  for (const [pattern, kind] of PATTERNS) if (pattern.test(path)) return kind;
  return undefined;
}

// ── rules ───────────────────────────────────────────────────────────────────────────────────────────────────────────────────

/** The agent-file rules, as data: each has a positive and a negative test (__tests__/mcp-agent-files.test.ts). */
export const AGENT_RULES = {
  tooLarge: {
    id: 'mcp/agent-file-too-large',
    severity: 'medium',
    message: 'The agent skill or instruction file is larger than the audit reads, so it was not checked.',
    note: 'Skill, command and instruction files are small; a very large one is unusual and was not read (the limit bounds the time a pull request can make the review spend).',
  },
  hiddenUnicode: {
    id: 'mcp/agent-hidden-unicode',
    severity: 'high',
    message: 'An agent skill or instruction file contains invisible or text-reordering characters.',
    note: 'Format and control characters, Unicode tag characters and bidi controls are not shown by editors or in the pull request but reach the agent that loads the file: they can smuggle instructions the reviewer never sees. Remove them. CWE-451',
    owasp: OWASP_MCP.poisoning,
    cwe: 'CWE-451',
  },
  smuggling: {
    id: 'mcp/agent-instruction-smuggling',
    severity: 'high',
    message: 'An agent skill or instruction file tells the agent to hide something from the user or to override earlier instructions.',
    note: 'A skill is instructions by design, but "do not tell the user", "ignore previous instructions", `<IMPORTANT>` blocks or instructions inside an HTML comment (not shown when the file is rendered) are the signature of prompt injection: they turn the agent against the person using it. Remove them. CWE-1427',
    owasp: OWASP_MCP.promptInjection,
    cwe: 'CWE-1427',
  },
  unrestrictedTools: {
    id: 'mcp/agent-unrestricted-tools',
    severity: 'high',
    message: 'An agent skill or command grants unrestricted shell access or skips the user’s approval.',
    note: 'An `allowed-tools` (or subagent `tools`) entry of bare `Bash`, `Bash(*)` or `*` lets the agent run any command without asking whenever the skill is used; `permissionMode: bypassPermissions` and flags such as `--dangerously-skip-permissions` switch approval off altogether. Grant only the commands the skill needs (`Bash(git status:*)`). CWE-250',
    owasp: OWASP_MCP.scope,
    cwe: 'CWE-250',
  },
  remoteCode: {
    id: 'mcp/agent-remote-code',
    severity: 'medium',
    message: 'An agent skill or instruction file fetches code from the network and runs it.',
    note: 'Piping a download into a shell (`curl … | sh`, `iwr … | iex`) runs whatever the server answers at that moment, with the developer’s rights, each time the agent follows the instruction. Pin and verify what is installed, or install it through a package manager with a lock file. CWE-494',
    owasp: OWASP_MCP.commandExecution,
    cwe: 'CWE-494',
  },
  secretAccess: {
    id: 'mcp/agent-secret-access',
    severity: 'high',
    message: 'An agent skill or instruction file points the agent at credentials.',
    note: 'SSH keys, cloud credentials, `.env` files and token stores have no place in what an agent is told to read: once read they are in the model’s context and can leave with the next tool call. Remove the reference. CWE-200',
    owasp: OWASP_MCP.secrets,
    cwe: 'CWE-200',
  },
  exfiltration: {
    id: 'mcp/agent-exfiltration',
    severity: 'high',
    message: 'An agent skill or instruction file sends data to an outside address.',
    note: 'Instructions that post files, environment variables, credentials or the conversation to a URL (or name a request-capture service such as webhook.site) move data out of the developer’s machine under the agent’s authority. Remove them. CWE-200',
    owasp: OWASP_MCP.contextOverSharing,
    cwe: 'CWE-200',
  },
} as const satisfies Record<string, McpStaticRule>;

export function agentRuleInfos(): RuleInfo[] {
  return ruleInfosOf(AGENT_RULES);
}

// ── the checks ──────────────────────────────────────────────────────────────────────────────────────────────────────────────

interface Hit {
  rule: McpStaticRule;
  line: number;
  detail: string;
  severity?: Severity;
  column?: number;
}

const quote = (value: string): string => `\`${truncate(revealHidden(value).replace(/`/g, "'").trim(), 120)}\``;

/** The static checks of one agent file. `text` is the file's content (UTF-8, BOM removed). */
export function agentFileFindings(path: string, text: string, kind: AgentFileKind): Finding[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const hits: Hit[] = [...hiddenHits(lines)];
  const instructionsText = kind.role !== 'resource' || /\.(md|mdc|txt)$/i.test(path);
  const frontMatter = instructionsText ? readFrontMatter(lines) : undefined;
  if (frontMatter) hits.push(...grantHits(frontMatter));
  if (instructionsText) hits.push(...smugglingHits(lines), ...commentHits(lines));
  hits.push(...lineHits(lines));
  const seen = new Set<string>();
  return hits
    .filter((hit) => {
      const key = `${hit.rule.id}:${hit.line}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.line - b.line)
    .map((hit) => ({
      ruleId: hit.rule.id,
      source: 'ramparts',
      severity: hit.severity ?? hit.rule.severity,
      path,
      startLine: hit.line,
      endLine: hit.line,
      ...(hit.column !== undefined && { startColumn: hit.column }),
      message: redactSecrets(`${hit.rule.message.replace(/\.$/, '')}: ${kind.label} ${hit.detail}`),
      note: hit.rule.note,
      evidence: redactSecrets(revealHidden(truncate(lines[hit.line - 1] ?? '', 2000))),
      fingerprint: '',
    }));
}

/** A finding on an agent file that was not read (over the size limit). */
export function agentFileTooLarge(path: string, maxBytes: number): Finding {
  const rule = AGENT_RULES.tooLarge;
  return {
    ruleId: rule.id,
    source: 'ramparts',
    severity: rule.severity,
    path,
    startLine: 1,
    endLine: 1,
    message: `${rule.message.replace(/\.$/, '')}: ${path} is over ${maxBytes} bytes.`,
    note: rule.note,
    evidence: '',
    fingerprint: '',
  };
}

// ── hidden characters ──

/** An emoji ZWJ sequence (👩‍💻) joins pictographs with U+200D: shown as one glyph, it hides nothing. */
const EMOJI_JOINER = /(\p{Extended_Pictographic}\uFE0F?)\u200D(?=\p{Extended_Pictographic})/gu;

function hiddenHits(lines: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  lines.forEach((raw, index) => {
    // A zero-width space before a code fence is the usual way to show a fence inside a fence: it hides nothing.
    const line = raw.replace(EMOJI_JOINER, '$1').replace(/^(\s*)\u200B(?=`{3}|~{3})/, '$1');
    const first = firstHiddenCharacter(line);
    if (!first) return;
    hits.push({ rule: AGENT_RULES.hiddenUnicode, line: index + 1, column: first.column, detail: `holds ${first.code} (and maybe others on this line), which editors do not show.` });
  });
  return hits;
}

// ── front matter: tool grants and approval ──

interface FrontMatter {
  root: LocatedNode;
}

/** The YAML block between a first line `---` and the next `---`, with lines of the file (not of the block). */
function readFrontMatter(lines: readonly string[]): FrontMatter | undefined {
  if ((lines[0] ?? '').replace(/^\uFEFF/, '').trim() !== '---') return undefined;
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (end < 0 || end > 500) return undefined;
  // Leading blank lines keep the parser's line numbers equal to the file's.
  const parsed = parseYaml(`\n${lines.slice(1, end).join('\n')}`);
  return parsed.ok ? { root: parsed.root } : undefined;
}

/** Tools that run arbitrary commands when granted without a pattern. */
const SHELL_TOOLS = new Set(['bash', 'shell', 'sh', 'zsh', 'powershell', 'pwsh', 'terminal', 'run_in_terminal', 'runinterminal', 'exec']);

/** Grant tokens of an `allowed-tools` / `tools` value: a comma- or space-separated string, or a list. */
function grantTokens(node: LocatedNode): { value: string; line: number }[] {
  if (node.kind === 'array') return node.items.flatMap((item) => (item.kind === 'scalar' && typeof item.value === 'string' ? splitGrants(item.value).map((value) => ({ value, line: item.line })) : []));
  if (node.kind === 'scalar' && typeof node.value === 'string') return splitGrants(node.value).map((value) => ({ value, line: node.line }));
  return [];
}

/** `Bash(git add:*), Read Write` → [`Bash(git add:*)`, `Read`, `Write`]: commas and spaces outside parentheses separate. */
function splitGrants(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of value) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === ',' || /\s/.test(ch))) {
      if (current.trim()) out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

function unrestrictedGrant(token: string): boolean {
  if (token === '*') return true;
  const match = /^([A-Za-z_][\w-]*)(?:\((.*)\))?$/.exec(token);
  if (!match) return false;
  const tool = match[1]!.toLowerCase();
  if (!SHELL_TOOLS.has(tool)) return false;
  const pattern = (match[2] ?? '').replace(/\s+/g, '');
  return pattern === '' || /^[*:]+$/.test(pattern);
}

function grantHits(front: FrontMatter): Hit[] {
  const root = front.root;
  if (root.kind !== 'object') return [];
  const hits: Hit[] = [];
  for (const entry of root.entries) {
    const key = entry.key.toLowerCase();
    // `allowed-tools` of a skill or command runs those tools without asking; a subagent's or prompt file's `tools` only lists what
    // it may use (each use is still confirmed), so it is not a grant.
    if (key === 'allowed-tools' || key === 'allowed_tools') {
      for (const token of grantTokens(entry.value)) {
        if (unrestrictedGrant(token.value)) hits.push({ rule: AGENT_RULES.unrestrictedTools, line: token.line, detail: `grants ${quote(token.value)} in ${quote(entry.key)}: any command, without a pattern.` });
      }
    }
    if (key === 'permissionmode' && entry.value.kind === 'scalar' && entry.value.value === 'bypassPermissions') {
      hits.push({ rule: AGENT_RULES.unrestrictedTools, line: entry.line, detail: 'sets `permissionMode: bypassPermissions`: its tool calls are never confirmed.' });
    }
  }
  return hits;
}

// ── instruction smuggling ──

const SMUGGLING: readonly RegExp[] = [
  /<\/?\s*(important|system|system[-_ ]prompt|hidden|secret)\s*>/i,
  /<\|im_start\|>\s*system/i,
  /\b(ignore|disregard|forget|override)\s+(all\s+|any\s+)?(of\s+)?(the\s+|your\s+)?(previous|prior|above|earlier|preceding|original|system|user['’]?s?)\s+(instructions|prompts?|rules|messages|guidelines|directives)/i,
  /\b(do\s+not|don['’]t|never)\s+(tell|inform|mention\s+(this\s+|it\s+)?to|alert|notify|reveal\s+(this\s+|it\s+)?to|let)\s+the\s+user(\s+know)?(\s+(about|that|this|it|anything|you|we|how|where|why)\b|\s*[.,;:!)]|\s*$)/i,
  /\bwithout\s+(telling|informing|notifying|alerting)\s+the\s+user/i,
  /\b(hide|conceal|keep)\s+(this|it|these\s+\w+|the\s+\w+)\s+(secret\s+)?from\s+the\s+user/i,
  /\bthe\s+user\s+(must|should)\s+(not|never)\s+(know|see|find\s+out|be\s+told)/i,
];

/** Whether position `at` of a line is inside an inline code span or a quoted string: a quoted marker is an example, not an order. */
function quotedAt(line: string, at: number): boolean {
  for (const re of [/`[^`]*`/g, /"[^"]*"/g, /“[^”]*”/g, /'[^'\n]{3,}'/g]) {
    for (const m of line.matchAll(re)) if (m.index <= at && at < m.index + m[0].length) return true;
  }
  return false;
}

function smugglingMarker(line: string): string | undefined {
  for (const re of SMUGGLING) {
    const match = re.exec(line);
    if (match && !quotedAt(line, match.index)) return match[0];
  }
  return undefined;
}

function smugglingHits(lines: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  lines.forEach((line, index) => {
    const marker = smugglingMarker(line);
    if (marker !== undefined) hits.push({ rule: AGENT_RULES.smuggling, line: index + 1, detail: `says ${quote(marker)}.` });
  });
  return hits;
}

/** The agent addressed by name at the start of a comment (`assistant:`, `Note to Claude,`): an order for the agent. */
const COMMENT_VOCATIVE = /^\s*(?:(?:note\s+)?(?:to|for)\s+)?(?:the\s+)?(?:assistant|agent|claude|copilot|cursor|gemini|codex|llm|ai|model)\s*[:,]/i;
/** Someone addressed anywhere in the comment. */
const COMMENT_ADDRESSED = /\b(you|assistant|agent|claude|copilot|cursor|gemini|codex|llm|ai|the\s+model)\b/i;
/** What makes a hidden instruction an attack: secrecy, overriding, moving data, running or destroying something. */
const COMMENT_DANGER =
  /\b(ignore\s+(all\s+|the\s+|any\s+)?(previous|prior|above|earlier)|disregard|secretly|silently|quietly|without\s+(telling|informing)|exfiltrat\w*|(send|upload|post)\b[^.]{0,60}\bhttps?:\/\/|curl|wget|rm\s+-rf|delete\s+(all|every|the)|approve\s+(the|this|all)|merge\s+(the|this))\b/i;

/**
 * HTML comments are not shown when markdown is rendered (the pull request's rich diff, the file view) but reach the agent. A comment
 * that addresses the agent by name (`<!-- assistant: … -->`) is a hidden order: medium. One that addresses the agent (or "you") and
 * asks for secrecy, overriding, moving data, running or destroying something is an attack: high. Notes to the human author
 * (`<!-- Add more rows as needed -->`, `<!-- rules the agent must follow -->`) are neither.
 */
function commentHits(lines: readonly string[]): Hit[] {
  const text = lines.join('\n');
  const hits: Hit[] = [];
  const re = /<!--([\s\S]*?)(?:-->|$)/g;
  let match: RegExpExecArray | null;
  let scanned = 0;
  while ((match = re.exec(text)) !== null && scanned++ < 1000) {
    const body = (match[1] ?? '').slice(0, 20_000);
    const danger = COMMENT_DANGER.test(body) && COMMENT_ADDRESSED.test(body);
    if (!danger && !COMMENT_VOCATIVE.test(body)) continue;
    const line = text.slice(0, match.index).split('\n').length;
    hits.push({
      rule: AGENT_RULES.smuggling,
      line,
      severity: danger ? 'high' : 'medium',
      detail: `holds instructions for the agent inside an HTML comment, which a rendered view does not show: ${quote(oneLineOf(body))}.`,
    });
  }
  return hits;
}

const oneLineOf = (text: string): string => text.replace(/\s+/g, ' ').trim();

// ── line checks: remote code, credentials, exfiltration, approval flags ──

const DOWNLOADER = String.raw`\b(curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod|fetch)\b[^|\n]*?\b(https?:\/\/|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})`;
const REMOTE_CODE: readonly RegExp[] = [
  new RegExp(String.raw`${DOWNLOADER}[^|\n]*\|\s*(sudo\s+(-\S+\s+)*)?(env\s+\S+=\S*\s+)*(ba|z|k|da|fi)?sh\b`, 'i'),
  new RegExp(String.raw`${DOWNLOADER}[^|\n]*\|\s*(sudo\s+)?(python\d?(\.\d+)?|node|perl|ruby|php|iex|invoke-expression)\b`, 'i'),
  /\b(ba|z)?sh\s+(-c\s+)?["']?\s*<\(\s*(curl|wget)\b/i,
  /\b(ba|z)?sh\s+-c\s+["']?\$\(\s*(curl|wget)\b/i,
  /\b(iex|invoke-expression)\b[^\n]*\b(downloadstring|iwr|irm|invoke-webrequest|invoke-restmethod|net\.webclient)\b/i,
  /\bpython\d?\s+-c\s+["'][^"'\n]*\b(urlopen|requests\.get)\b[^\n]*\bexec\b/i,
];

/** Credential stores by path; `.env` only with a verb that reads it (mentions such as "copy .env.example" are left). */
const SECRET_PATHS = /(~|\$HOME|\$\{HOME\}|%USERPROFILE%|\/home\/[^/\s]+|\/root|\/Users\/[^/\s]+)[/\\]\.(ssh|aws|gnupg|netrc|npmrc|pypirc|git-credentials|config\/gh|config\/gcloud|azure)\b|\b(cat|read|open|print|upload|send|copy|base64|include)\b[^\n]{0,40}\bid_(rsa|dsa|ecdsa|ed25519)\b(?!\.pub)|\/etc\/shadow\b|\bsecurity\s+find-(generic|internet)-password\b/i;
const ENV_FILE_READ = /(\b(cat|less|more|head|tail|read|open|print|type|upload|send|dump|show|output|paste)\b[^\n.]{0,40}?[\s"'`(/]|@)\.env(\.(local|production|prod))?(?![\w.-])/i;
const NEGATED = /\b(never|not|don['’]t|do\s+not|avoid|without|must\s+not|no)\b[^.\n]{0,60}$/i;

const EXFIL_HOSTS = /\bhttps?:\/\/([\w-]+\.)*(webhook\.site|requestbin\.(com|net)|pipedream\.net|ngrok(-free)?\.(io|app|dev)|burpcollaborator\.net|oast\.(fun|live|me|online|pro|site)|interact\.sh|pastebin\.com|transfer\.sh|hookb\.in|beeceptor\.com|requestcatcher\.com|discord(app)?\.com\/api\/webhooks|api\.telegram\.org\/bot)/i;
const SEND_VERB = /\b(send|post|upload|forward|transmit|exfiltrate|submit|report)\b/i;
/**
 * Data of the user's environment. A credential on its own is not (`send the API key only to https://api.vendor.dev` is how a skill
 * authenticates); credentials someone else's (`all the tokens`, `the keys you found`) are.
 */
const SENSITIVE_OBJECT =
  /\b(conversation|chat\s+history|system\s+prompt|environment\s+variables|env\s+vars|ssh\s+keys?|private\s+keys?|\.env\b|source\s+code|the\s+(whole\s+)?(repo|repository|codebase)|(all|any|every)\s+(of\s+)?(the\s+|your\s+)?(secrets?|credentials?|tokens?|api[-_ ]?keys?|passwords?)|(secrets?|credentials?|tokens?|api[-_ ]?keys?|passwords?)\s+(that\s+)?you\s+(find|found|see|saw|read|have))/i;
const DATA_FLAG = /\s(-d|--data(-binary|-raw|-urlencode)?|-F|--form|-T|--upload-file|--post-(data|file))\b/;
const ENV_DUMP = /\$\((\s*(printenv|env|set)\s*|[^)]*\b(cat|base64)\b[^)]*)\)|`(printenv|env)`|\$\{?(AWS_SECRET|GITHUB_TOKEN|GH_TOKEN|OPENAI_API_KEY|ANTHROPIC_API_KEY|NPM_TOKEN)\w*/i;
const URL = /\bhttps?:\/\/[^\s)'"`>]+/i;

/** An agent CLI run with its approval prompts off (a flag named in prose, "what does --yolo do?", is not a run). */
const APPROVAL_FLAGS =
  /\b(claude|codex|gemini|copilot|cursor-agent|opencode|amp|qwen)\b[^\n|;&]*?(--dangerously-skip-permissions|--dangerously-bypass-approvals-and-sandbox|--yolo|--allow-all-tools|--allow-all|--permission-mode[= ]bypassPermissions|--approval-mode[= ]yolo)\b/i;

function lineHits(lines: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  lines.forEach((line, index) => {
    const at = index + 1;
    if (line.length > 20_000) return;
    for (const re of REMOTE_CODE) {
      const match = re.exec(line);
      if (match) {
        // Vendor installers (`curl -fsSL https://get.vendor.dev | sh`) are common and worth a look; code from a plain-http address,
        // a bare IP or a paste or capture service is an alarm.
        const severity: Severity = /\bhttp:\/\/|\/\/\d{1,3}(\.\d{1,3}){3}\b|\s\d{1,3}(\.\d{1,3}){3}\b/.test(match[0]) || EXFIL_HOSTS.test(match[0]) || /\b(pastebin\.com|paste\.ee|gist\.githubusercontent\.com|raw\.githubusercontent\.com)\b/.test(match[0]) ? 'high' : 'medium';
        hits.push({ rule: AGENT_RULES.remoteCode, line: at, severity, detail: `runs downloaded code: ${quote(match[0])}.` });
        break;
      }
    }
    const secret = SECRET_PATHS.exec(line) ?? ENV_FILE_READ.exec(line);
    if (secret && !NEGATED.test(line.slice(0, secret.index))) hits.push({ rule: AGENT_RULES.secretAccess, line: at, detail: `refers to ${quote(secret[0])}.` });
    const exfil = exfiltration(line);
    if (exfil !== undefined) hits.push({ rule: AGENT_RULES.exfiltration, line: at, detail: exfil });
    const approval = APPROVAL_FLAGS.exec(line);
    if (approval && !NEGATED.test(line.slice(0, approval.index))) hits.push({ rule: AGENT_RULES.unrestrictedTools, line: at, detail: `turns the agent's approval prompts off: ${quote(approval[0])}.` });
  });
  return hits;
}

function exfiltration(line: string): string | undefined {
  const capture = EXFIL_HOSTS.exec(line);
  if (capture) return `names the request-capture address ${quote(capture[0])}.`;
  const url = URL.exec(line);
  if (!url) return undefined;
  if (/\b(curl|wget|http|invoke-webrequest|iwr|invoke-restmethod|irm)\b/i.test(line) && DATA_FLAG.test(line) && ENV_DUMP.test(line)) {
    return `posts local data to ${quote(url[0])}.`;
  }
  const verb = SEND_VERB.exec(line);
  if (verb && verb.index < url.index && SENSITIVE_OBJECT.test(line.slice(verb.index, url.index)) && !NEGATED.test(line.slice(0, verb.index))) {
    return `tells the agent to send ${quote(line.slice(verb.index, url.index + url[0].length))}.`;
  }
  return undefined;
}
