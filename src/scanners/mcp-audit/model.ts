/**
 * The MCP audit's shared shapes: what discovery finds in a repository's MCP configuration files, and what became of each server.
 * Discovery and the static checks produce `McpServerEntry`; the live checks (tool descriptions in the sandbox, ramparts) produce
 * `McpServerAudit`. Pure types: no I/O here.
 */

/** The editor or agent a configuration file belongs to. */
export type McpClientId =
  | 'vscode'
  | 'vscode-settings'
  | 'claude-code'
  | 'claude-desktop'
  | 'cursor'
  | 'gemini'
  | 'codex'
  | 'continue'
  | 'opencode'
  | 'zed'
  | 'amazonq'
  | 'roo'
  | 'kiro';

/** A value read from a config file with the 1-based line it sits on. */
export interface Located<T> {
  value: T;
  line: number;
}

/** One server entry of one configuration file. */
export interface McpServerEntry {
  /** The entry's key (or `name` field for list-shaped formats). */
  name: string;
  /** Repository-relative path of the configuration file (forward slashes). */
  configPath: string;
  client: McpClientId;
  /** 1-based lines of the whole entry, from its key to its closing bracket. */
  line: number;
  endLine: number;
  transport: 'stdio' | 'remote';
  /** stdio: the program and its arguments (opencode's array `command` is split into both). */
  command?: Located<string>;
  args: readonly Located<string>[];
  env: Readonly<Record<string, Located<string>>>;
  cwd?: Located<string>;
  /** remote: the server's address and transport type (`http`, `sse`, `streamable-http`, …), and headers. */
  url?: Located<string>;
  type?: Located<string>;
  headers: Readonly<Record<string, Located<string>>>;
  /** Every other field of the entry, as parsed (for the static checks: `autoApprove`, `trust`, `disabled`, …). */
  extra: Readonly<Record<string, Located<unknown>>>;
  /** The pull request adds or changes this entry (its lines intersect the added lines of the diff). */
  changedInPullRequest: boolean;
}

/** What became of one server in a live check. `not-scanned` always carries the reason (refused address, no sandbox, …). */
export type McpServerAuditStatus = 'scanned' | 'failed' | 'degraded' | 'not-scanned';

export interface McpServerAudit {
  server: string;
  configPath: string;
  line: number;
  /**
   * Which live check this is: the tool-description check (our own MCP client in the sandbox), ramparts on a server, or
   * `ramparts skills scan` on an agent skill or instruction file (then `server` is the skill's name and `configPath` the file).
   */
  check: 'tool-descriptions' | 'ramparts' | 'ramparts-skills';
  status: McpServerAuditStatus;
  /** Required for every status except `scanned`. */
  reason?: string;
  /** Tools, prompts and resources listed, when the server answered. */
  tools?: number;
  prompts?: number;
  resources?: number;
  /** Findings this check produced for this server. */
  findings: number;
}
