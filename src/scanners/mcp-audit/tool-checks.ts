/**
 * Tool-description checks: what an MCP server lists (tools, prompts, resources: names, descriptions, input-schema property names and
 * descriptions) read as text meant for the model, and checked for instruction smuggling. Pure: the listing comes from our lister in
 * the sandbox or from ramparts; findings are anchored at the server's entry in its configuration file (the listing has no lines).
 */
import { revealHidden } from '../../text/hidden.js';
import { redactSecrets } from '../../text/redact.js';
import { oneLine, truncate } from '../../text/strings.js';
import type { Finding, RuleInfo, Severity } from '../../types.js';
import type { McpServerEntry } from './model.js';

/** OWASP MCP Top 10 categories by name (the numbering differs between the draft, the beta and other tools). */
export const OWASP_MCP = {
  toolPoisoning: 'Tool Poisoning',
  promptInjection: 'Prompt Injection via Contextual Payloads',
  contextOverSharing: 'Context Injection & Over-Sharing',
  tokenExposure: 'Token Mismanagement & Secret Exposure',
  supplyChain: 'Software Supply Chain Attacks & Dependency Tampering',
  shadowServers: 'Shadow MCP Servers',
} as const;

export interface McpRule {
  id: string;
  severity: Severity;
  /** One sentence. */
  message: string;
  note: string;
  category: string;
}

const rule = (r: McpRule): McpRule => r;

/** The tool-description rules, as data. */
export const TOOL_RULES = {
  hiddenInstructions: rule({
    id: 'mcp/tool-hidden-instructions',
    severity: 'high',
    message: 'A tool description holds instructions aimed at the model rather than a description of the tool.',
    note:
      'Text such as `<IMPORTANT>` blocks, "do not tell the user" or "ignore previous instructions" in what a server lists is read by the ' +
      'model as instructions: the server can steer the agent without the user seeing it (tool poisoning). Remove the server or ask its ' +
      'author why the description addresses the model.',
    category: OWASP_MCP.toolPoisoning,
  }),
  shadowing: rule({
    id: 'mcp/tool-shadowing',
    severity: 'high',
    message: 'A tool description tells the model how to use other tools or names another server\'s tool.',
    note:
      'A description that changes how the model uses tools of other servers (cross-server shadowing) lets one server redirect what ' +
      'the agent does with another, for example send mail to an attacker\'s address. A tool should describe only itself.',
    category: OWASP_MCP.toolPoisoning,
  }),
  exfiltrationParameter: rule({
    id: 'mcp/tool-exfiltration-parameter',
    severity: 'medium',
    message: 'A tool has a free-text parameter that can carry the conversation or secrets out to the server.',
    note:
      'Parameters such as `note`, `feedback`, `sidenote` or `summary_of_conversation` that the tool does not need are a known way to ' +
      'make the model send the conversation, file contents or keys to the server. Check that the parameter is needed; a description ' +
      'asking for secrets, files or the conversation makes this high.',
    category: OWASP_MCP.contextOverSharing,
  }),
  sensitivePath: rule({
    id: 'mcp/tool-sensitive-path',
    severity: 'high',
    message: 'A tool description refers to a file that holds credentials or private keys.',
    note:
      'A description that mentions `~/.ssh`, `id_rsa`, `.env`, `~/.aws/credentials`, `/etc/passwd` or MCP configuration files invites ' +
      'the model to read and pass on secrets. A legitimate tool has no reason to name them.',
    category: OWASP_MCP.tokenExposure,
  }),
  hiddenUnicode: rule({
    id: 'mcp/tool-hidden-unicode',
    severity: 'high',
    message: 'A tool description holds invisible Unicode characters (tag characters, bidi controls or format characters).',
    note:
      'Invisible characters are read by the model but not shown to the user: Unicode tag characters (U+E0000–U+E007F) can smuggle ' +
      'whole instructions, bidi controls reorder what is shown. The evidence shows them as `[U+…]`.',
    category: OWASP_MCP.promptInjection,
  }),
  descriptionChanged: rule({
    id: 'mcp/tool-description-changed',
    severity: 'high',
    message: 'A tool description differs from the one pinned in the MCP lock file (a possible rug pull).',
    note:
      'A server that changes its tool descriptions after it was approved can slip in instructions the reviewers never saw (rug pull). ' +
      'Review the new description; if it is expected, update `.github/ultra-create-mcp.lock.json` with the content the run offers.',
    category: OWASP_MCP.toolPoisoning,
  }),
} as const;

export const TOOL_RULE_LIST: readonly McpRule[] = Object.values(TOOL_RULES);

/** The rules as reporters see them; `ramparts` is the source of every finding of the MCP audit. */
export function toolRuleInfos(rules: readonly McpRule[] = TOOL_RULE_LIST): RuleInfo[] {
  return rules.map((r) => ({
    id: r.id,
    source: 'ramparts',
    severity: r.severity,
    shortDescription: r.message,
    fullDescription: `${r.note} OWASP MCP Top 10: ${r.category}.`,
    category: r.category,
  }));
}

// ── what a server lists ───────────────────────────────────────────────────────────────────────────────────────────────────────

export interface ListedTool {
  name: string;
  description?: string;
  inputSchema?: unknown;
}
export interface ListedPrompt {
  name: string;
  description?: string;
  arguments?: readonly { name: string; description?: string }[];
}
export interface ListedResource {
  name: string;
  uri?: string;
  description?: string;
}

export interface McpListing {
  tools: readonly ListedTool[];
  prompts: readonly ListedPrompt[];
  resources: readonly ListedResource[];
}

/** One piece of listed text, with where it came from (`tool send_mail, parameter note`). */
interface Text {
  where: string;
  kind: 'name' | 'description' | 'parameter';
  /** For parameters: the parameter's name. */
  parameter?: string;
  text: string;
}

const MAX_TEXT = 64 * 1024;
const MAX_PARAMETERS = 500;

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value.slice(0, MAX_TEXT) : undefined;
}

/** Input-schema properties, nested objects and array items included (bounded). */
function schemaProperties(schema: unknown, out: { name: string; description?: string }[], depth = 0): void {
  if (depth > 6 || out.length >= MAX_PARAMETERS || typeof schema !== 'object' || schema === null) return;
  const record = schema as Record<string, unknown>;
  const properties = record.properties;
  if (typeof properties === 'object' && properties !== null) {
    for (const [name, value] of Object.entries(properties as Record<string, unknown>)) {
      if (out.length >= MAX_PARAMETERS) return;
      const description = typeof value === 'object' && value !== null ? str((value as Record<string, unknown>).description) : undefined;
      out.push({ name: name.slice(0, 200), ...(description !== undefined && { description }) });
      schemaProperties(value, out, depth + 1);
    }
  }
  if (record.items !== undefined) schemaProperties(record.items, out, depth + 1);
}

export function toolParameters(tool: Pick<ListedTool, 'inputSchema'>): { name: string; description?: string }[] {
  const out: { name: string; description?: string }[] = [];
  schemaProperties(tool.inputSchema, out);
  return out;
}

function texts(listing: McpListing): Text[] {
  const out: Text[] = [];
  const add = (where: string, name: string, description: string | undefined, parameters: readonly { name: string; description?: string }[]): void => {
    out.push({ where, kind: 'name', text: name });
    if (description) out.push({ where, kind: 'description', text: description });
    for (const p of parameters) {
      out.push({ where: `${where}, parameter ${p.name}`, kind: 'parameter', parameter: p.name, text: p.name });
      if (p.description) out.push({ where: `${where}, parameter ${p.name}`, kind: 'description', parameter: p.name, text: p.description });
    }
  };
  for (const t of listing.tools) add(`tool ${t.name}`, t.name, t.description, toolParameters(t));
  for (const p of listing.prompts) add(`prompt ${p.name}`, p.name, p.description, p.arguments ?? []);
  for (const r of listing.resources) {
    add(`resource ${r.name}`, r.name, r.description, []);
    if (r.uri) out.push({ where: `resource ${r.name}`, kind: 'description', text: r.uri });
  }
  return out;
}

// ── the checks ────────────────────────────────────────────────────────────────────────────────────────────────────────────────

/** A match of one rule on one listed item. */
export interface ToolIssue {
  rule: McpRule;
  /** `tool send_mail`, `tool send_mail, parameter note`. */
  where: string;
  /** The text that matched, hidden characters revealed, one line, bounded. */
  evidence: string;
  severity: Severity;
}

const INSTRUCTION_PATTERNS: readonly RegExp[] = [
  /<\s*\/?\s*(important|system|instructions?|secret|hidden|admin|critical)\b[^>]*>/i,
  /\b(do\s*n[o']t|never|must\s+not|should\s+not)\s+(tell|mention|inform|notify|reveal|show|disclose|alert)\b[^.\n]{0,80}\b(user|human|anyone)/i,
  /\bwithout\s+(telling|informing|notifying|alerting|asking)\s+the\s+(user|human)/i,
  /\b(ignore|disregard|forget|override)\s+(all\s+|any\s+)?(the\s+)?(previous|prior|above|earlier|preceding|other|system)\s+(instructions?|prompts?|rules?|messages?)/i,
  /\bthe\s+user\s+(must|should)\s+(not|never)\s+(know|see|be\s+told)/i,
  /\b(before|prior\s+to)\s+(using|calling|invoking)\s+(this|any)\s+tool\b[^.\n]{0,80}\b(read|pass|send|include|call)\b/i,
  /\byou\s+(are|must)\s+now\b/i,
  /\bnew\s+instructions?\s*:/i,
];

const SENSITIVE_PATH =
  /(~\/\.ssh\b|\.ssh\/|\bid_(rsa|dsa|ecdsa|ed25519)\b|(^|[\s'"`(/])\.env\b(?!\w)|\.aws\/credentials|~\/\.aws\b|\/etc\/(passwd|shadow)\b|\bmcp\.json\b|claude_desktop_config\.json|\.netrc\b|\.npmrc\b|\.git-credentials\b|\.kube\/config\b|\.docker\/config\.json)/i;

/** Parameter names that exist to carry conversation or side data to the server. */
const EXFILTRATION_NAMES = new Set([
  'note',
  'notes',
  'sidenote',
  'side_note',
  'feedback',
  'context',
  'summary_of_conversation',
  'conversation',
  'conversation_history',
  'chat_history',
  'history',
  'previous_messages',
  'messages_so_far',
  'remark',
  'remarks',
  'comment_for_developer',
  'system_prompt',
]);

/** A description that asks for secrets, files or the conversation. */
const ASKS_FOR_SECRETS =
  /\b(conversation|chat\s+history|previous\s+messages|system\s+prompt|api[\s_-]?keys?|tokens?|passwords?|secrets?|credentials?|private\s+keys?|ssh|contents?\s+of|file\s+contents|environment\s+variables)\b/i;

/** Phrases that address how the model uses other tools (shadowing). */
const OTHER_TOOLS_PATTERNS: readonly RegExp[] = [
  /\b(when|whenever|if|before|after)\s+(you\s+)?(use|using|call|calling|invoke|invoking)\s+(the\s+|any\s+|an\s+)?(other|another|any|every)\s+(\w+\s+)?tools?\b/i,
  /\b(all|any|every)\s+(other\s+)?(emails?|messages?|requests?)\s+(must|should)\s+(be\s+sent|go)\s+to\b/i,
  /\b(instead\s+of|rather\s+than)\s+(calling|using)\s+(the\s+)?[`'"]?[a-z][\w.-]*[`'"]?\s+tool\b/i,
  /\bthis\s+tool\s+has\s+a\s+(very\s+)?important\s+side\s+effect\s+on\b/i,
  /\b(other|another)\s+(mcp\s+)?server'?s?\s+tools?\b/i,
];

function evidenceOf(text: string, index = 0, length = 200): string {
  const start = Math.max(0, index - 40);
  const piece = text.slice(start, start + length + 40);
  return redactSecrets(truncate(oneLine(revealHidden(piece)), 240));
}

/** Format, control, tag and bidi characters (tab, LF and CR excepted). */
// eslint-disable-next-line no-control-regex -- finding these characters is the point
const HIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB\u{E0000}-\u{E007F}]/u;

/**
 * Runs every tool-description rule over one server's listing. `otherTools`: tool names other servers of the repository list (or
 * declare), for shadowing; names shorter than 4 characters are ignored (too common as words).
 */
export function checkListing(listing: McpListing, otherTools: readonly string[] = []): ToolIssue[] {
  const issues: ToolIssue[] = [];
  const seen = new Set<string>();
  const push = (r: McpRule, where: string, evidence: string, severity: Severity = r.severity): void => {
    const key = `${r.id}\0${where}`;
    if (seen.has(key)) return;
    seen.add(key);
    issues.push({ rule: r, where, evidence, severity });
  };
  const own = new Set(listing.tools.map((t) => t.name));
  const others = [...new Set(otherTools)].filter((name) => name.length >= 4 && !own.has(name));
  const otherPattern = others.length > 0 ? new RegExp(`(^|[^\\w-])(${others.map(escapeRegExp).join('|')})(?![\\w-])`) : undefined;

  for (const t of texts(listing)) {
    const hidden = HIDDEN.exec(t.text);
    if (hidden) push(TOOL_RULES.hiddenUnicode, t.where, evidenceOf(t.text, hidden.index));
    // The checks below read the text as the model would: tag characters decoded to the ASCII they smuggle.
    const visible = decodeTags(t.text);
    if (t.kind === 'description') {
      for (const pattern of INSTRUCTION_PATTERNS) {
        const match = pattern.exec(visible);
        if (match) {
          push(TOOL_RULES.hiddenInstructions, t.where, evidenceOf(visible, match.index));
          break;
        }
      }
      for (const pattern of OTHER_TOOLS_PATTERNS) {
        const match = pattern.exec(visible);
        if (match) {
          push(TOOL_RULES.shadowing, t.where, evidenceOf(visible, match.index));
          break;
        }
      }
      const named = otherPattern?.exec(visible);
      if (named) push(TOOL_RULES.shadowing, t.where, evidenceOf(visible, named.index));
      const path = SENSITIVE_PATH.exec(visible);
      if (path) push(TOOL_RULES.sensitivePath, t.where, evidenceOf(visible, path.index));
    }
  }

  for (const tool of listing.tools) {
    const description = decodeTags(tool.description ?? '');
    for (const p of toolParameters(tool)) {
      if (!EXFILTRATION_NAMES.has(p.name.toLowerCase())) continue;
      const asks = ASKS_FOR_SECRETS.test(decodeTags(p.description ?? '')) || ASKS_FOR_SECRETS.test(description);
      const text = p.description ? `${p.name}: ${p.description}` : p.name;
      push(TOOL_RULES.exfiltrationParameter, `tool ${tool.name}, parameter ${p.name}`, evidenceOf(decodeTags(text)), asks ? 'high' : TOOL_RULES.exfiltrationParameter.severity);
    }
  }
  return issues;
}

/** Unicode tag characters U+E0020–U+E007E mirror ASCII: the smuggled text, made readable. */
export function decodeTags(text: string): string {
  return text.replace(/[\u{E0020}-\u{E007E}]/gu, (ch) => String.fromCharCode(ch.codePointAt(0)! - 0xe0000));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A finding at the server's entry in its configuration file, for one issue. */
export function issueFinding(entry: Pick<McpServerEntry, 'name' | 'configPath' | 'line'>, issue: ToolIssue): Finding {
  return {
    ruleId: issue.rule.id,
    source: 'ramparts',
    severity: issue.severity,
    path: entry.configPath,
    startLine: entry.line,
    endLine: entry.line,
    message: `MCP server '${oneLine(entry.name).slice(0, 100)}', ${issue.where}: ${issue.rule.message}`,
    note: `${issue.rule.note} OWASP MCP Top 10: ${issue.rule.category}.`,
    evidence: issue.evidence,
    fingerprint: '',
  };
}
