import type { RuleInfo, Severity } from '../../types.js';

/** OWASP MCP Top 10 categories, by name: the tools disagree on the numbering (DESIGN.md §5 ramparts). */
export const OWASP_MCP = {
  secrets: 'Token Mismanagement & Secret Exposure',
  scope: 'Privilege Escalation via Scope Creep',
  poisoning: 'Tool Poisoning',
  supplyChain: 'Software Supply Chain Attacks & Dependency Tampering',
  commandExecution: 'Command Injection & Execution',
  promptInjection: 'Prompt Injection via Contextual Payloads',
  authentication: 'Insufficient Authentication & Authorization',
  contextOverSharing: 'Context Injection & Over-Sharing',
} as const;

export interface McpStaticRule {
  id: string;
  severity: Severity;
  /** One sentence; the finding's own message names the server and the value. */
  message: string;
  /** Why it matters and what to do, ending with the CWE when one fits. */
  note: string;
  owasp?: (typeof OWASP_MCP)[keyof typeof OWASP_MCP];
  cwe?: string;
}

/** The MCP audit's own rules, as data: each has a test with a positive and a negative case (__tests__/mcp-audit-static.test.ts). */
export const MCP_RULES = {
  unparseable: {
    id: 'mcp/config-unparseable',
    severity: 'medium',
    message: 'The MCP configuration file does not parse, so its servers could not be audited.',
    note: 'A client may still read part of a broken file, or a more lenient parser may accept it: fix the syntax so the servers it configures can be reviewed.',
  },
  tooLarge: {
    id: 'mcp/config-too-large',
    severity: 'medium',
    message: 'The MCP configuration file is larger than the audit reads, so its servers were not audited.',
    note: 'Configuration files are small; a very large one is unusual and was not read (the limit bounds the time a pull request can make the review spend).',
  },
  shellInline: {
    id: 'mcp/shell-inline-script',
    severity: 'high',
    message: 'An MCP server is started through an interpreter running an inline script.',
    note: 'Every developer whose agent loads this configuration runs the script with their own rights; an inline script hides what actually runs. Point the server at a reviewed program instead. CWE-78',
    owasp: OWASP_MCP.commandExecution,
    cwe: 'CWE-78',
  },
  unpinnedPackage: {
    id: 'mcp/unpinned-package',
    severity: 'medium',
    message: 'An MCP server is fetched by a package runner without a pinned version.',
    note: 'npx, bunx, uvx and pipx download the newest release each time the server starts: whoever controls the package (or takes over the name) runs code on every developer machine. Pin an exact version (`pkg@1.2.3`, `pkg==1.2.3`). CWE-829',
    owasp: OWASP_MCP.supplyChain,
    cwe: 'CWE-829',
  },
  unpinnedImage: {
    id: 'mcp/unpinned-image',
    severity: 'medium',
    message: 'An MCP server runs a container image without a pinned tag or digest.',
    note: 'An image without a tag, or tagged `latest`, can change under the same name. Pin a version tag or, better, a digest (`image@sha256:…`). CWE-829',
    owasp: OWASP_MCP.supplyChain,
    cwe: 'CWE-829',
  },
  insecureHttp: {
    id: 'mcp/insecure-http',
    severity: 'medium',
    message: 'An MCP server is reached over plain http on a non-loopback host.',
    note: 'Tool calls, results and any credentials travel unencrypted and the server cannot be authenticated: use https. CWE-319',
    owasp: OWASP_MCP.authentication,
    cwe: 'CWE-319',
  },
  literalSecret: {
    id: 'mcp/literal-secret',
    severity: 'high',
    message: 'An MCP server configuration holds a literal secret.',
    note: 'A token written into a committed configuration is readable by everyone with access to the repository and stays in its history. Reference it instead (`${env:NAME}`, `${input:id}`, `${NAME}`) and revoke the exposed value. CWE-798',
    owasp: OWASP_MCP.secrets,
    cwe: 'CWE-798',
  },
  dockerHostAccess: {
    id: 'mcp/docker-host-access',
    severity: 'high',
    message: 'An MCP server container is given access to the host.',
    note: 'A privileged container, the host network or process namespace, the Docker socket or a mount of the root, home or credential folders gives the server (and whoever controls its image) the developer machine. Drop the flag or mount only what the server needs, read-only. CWE-250',
    owasp: OWASP_MCP.scope,
    cwe: 'CWE-250',
  },
  hiddenUnicode: {
    id: 'mcp/hidden-unicode',
    severity: 'high',
    message: 'The MCP configuration contains invisible or text-reordering characters.',
    note: 'Format and control characters, Unicode tag characters and bidi controls are not shown by editors or review tools but reach the model and the client: they can smuggle instructions or make the file read differently from what it does. Remove them. CWE-451',
    owasp: OWASP_MCP.poisoning,
    cwe: 'CWE-451',
  },
  promptInjection: {
    id: 'mcp/prompt-injection-marker',
    severity: 'high',
    message: 'A string in the MCP configuration reads like instructions aimed at the model.',
    note: 'Markers such as `<IMPORTANT>`, "ignore previous instructions" or "do not tell the user" are the signature of tool poisoning: text in a description is read by the model as instructions. Remove it. CWE-1427',
    owasp: OWASP_MCP.promptInjection,
    cwe: 'CWE-1427',
  },
  autoApprove: {
    id: 'mcp/auto-approve',
    severity: 'high',
    message: 'An MCP setting skips the user’s consent.',
    note: 'Auto-approval (`autoApprove`, `alwaysAllow`, `trust: true`, `enableAllProjectMcpServers`, `approval_policy = "never"`) lets servers start or tools run without the user confirming: committed to a repository it applies to everyone who opens it, including servers a later pull request adds. CWE-862',
    owasp: OWASP_MCP.scope,
    cwe: 'CWE-862',
  },
} as const satisfies Record<string, McpStaticRule>;

const DOCS = 'https://github.com/ultra-create/action/blob/main/docs/mcp-audit.md';

/** SARIF and notes metadata: the OWASP category as a tag, the category `security`. */
export function mcpRuleInfos(): RuleInfo[] {
  return ruleInfosOf(MCP_RULES);
}

/** The RuleInfo of each rule of a table of the audit's rules (this file's, or the agent files'). */
export function ruleInfosOf(rules: Readonly<Record<string, McpStaticRule>>): RuleInfo[] {
  return Object.values(rules).map((rule: McpStaticRule) => ({
    id: rule.id,
    source: 'ramparts',
    severity: rule.severity,
    shortDescription: rule.message,
    fullDescription: rule.note,
    helpUri: `${DOCS}#${rule.id.replace('/', '')}`,
    category: 'security',
    ...(rule.cwe !== undefined && { cwe: rule.cwe }),
    ...(rule.owasp !== undefined && { tags: [`OWASP MCP Top 10: ${rule.owasp}`] }),
  }));
}
