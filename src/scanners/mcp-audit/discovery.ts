import type { Located, McpClientId, McpServerEntry } from './model.js';
import { plainValue, property, type LocatedNode, type LocatedObject, type LocatedProperty, type ParseOutcome } from './located.js';
import { parseJsonc } from './parse-jsonc.js';
import { parseToml } from './parse-toml.js';
import { parseYaml } from './parse-yaml.js';

/** The formats of project-scope MCP configuration files (DESIGN.md §5 "MCP configuration files"). */
export type ConfigFormat = 'jsonc' | 'toml' | 'yaml';

/** What a path is, when it is an MCP configuration file: whose, in which format, and where its servers are. */
export interface McpConfigKind {
  client: McpClientId;
  format: ConfigFormat;
  /** Key paths tried in order for the servers (an object keyed by name, or a list of entries with a `name`). */
  serverKeys: readonly (readonly string[])[];
}

const kind = (client: McpClientId, format: ConfigFormat, ...serverKeys: (readonly string[])[]): McpConfigKind => ({ client, format, serverKeys });

/**
 * Project files by their path (after the last folder that is not part of the pattern: a monorepo's packages may each carry
 * their own). `claude-code` also covers `.claude/settings*.json`, which hold no servers but the consent settings for `.mcp.json`.
 */
const BY_SUFFIX: readonly [string, McpConfigKind][] = [
  ['.vscode/mcp.json', kind('vscode', 'jsonc', ['servers'])],
  ['.vscode/settings.json', kind('vscode-settings', 'jsonc', ['mcp', 'servers'], ['mcp.servers'])],
  ['.mcp.json', kind('claude-code', 'jsonc', ['mcpServers'])],
  ['.claude/settings.json', kind('claude-code', 'jsonc')],
  ['.claude/settings.local.json', kind('claude-code', 'jsonc')],
  ['.cursor/mcp.json', kind('cursor', 'jsonc', ['mcpServers'])],
  ['.gemini/settings.json', kind('gemini', 'jsonc', ['mcpServers'])],
  ['.amazonq/mcp.json', kind('amazonq', 'jsonc', ['mcpServers'])],
  ['.roo/mcp.json', kind('roo', 'jsonc', ['mcpServers'])],
  ['.kiro/settings/mcp.json', kind('kiro', 'jsonc', ['mcpServers'])],
  ['.zed/settings.json', kind('zed', 'jsonc', ['context_servers'])],
  ['opencode.json', kind('opencode', 'jsonc', ['mcp'])],
  ['opencode.jsonc', kind('opencode', 'jsonc', ['mcp'])],
  ['claude_desktop_config.json', kind('claude-desktop', 'jsonc', ['mcpServers'])],
  ['.codex/config.toml', kind('codex', 'toml', ['mcp_servers'])],
  ['.continue/config.yaml', kind('continue', 'yaml', ['mcpServers'])],
];

/** The configuration kind of a repository path, or undefined. Files under `node_modules/` are dependencies, not the project's. */
export function mcpConfigKind(path: string): McpConfigKind | undefined {
  if (path.startsWith('node_modules/') || path.includes('/node_modules/')) return undefined;
  for (const [suffix, configKind] of BY_SUFFIX) {
    if (path === suffix || path.endsWith(`/${suffix}`)) return configKind;
  }
  // `.continue/mcpServers/<any>.yaml`: one block per file; JSON files there are copies of other clients' `mcpServers` files.
  const continueBlock = /(?:^|\/)\.continue\/mcpServers\/[^/]+\.(ya?ml|json)$/.exec(path);
  if (continueBlock) return kind('continue', continueBlock[1] === 'json' ? 'jsonc' : 'yaml', ['mcpServers']);
  return undefined;
}

export function parseConfig(text: string, format: ConfigFormat): ParseOutcome {
  switch (format) {
    case 'toml':
      return parseToml(text);
    case 'yaml':
      return parseYaml(text);
    default:
      return parseJsonc(text);
  }
}

/** The node at a key path (`['mcp', 'servers']`); a single key may itself hold dots (VS Code's `"mcp.servers"`). */
export function nodeAt(root: LocatedNode, keys: readonly string[]): LocatedProperty | undefined {
  let node: LocatedNode | undefined = root;
  let found: LocatedProperty | undefined;
  for (const key of keys) {
    found = property(node, key);
    if (!found) return undefined;
    node = found.value;
  }
  return found;
}

const URL_KEYS = ['url', 'httpUrl', 'serverUrl'];
const REMOTE_TYPES = new Set(['http', 'sse', 'streamable-http', 'streamablehttp', 'streamable_http', 'remote', 'websocket', 'ws']);
/** Fields read into the entry's own slots; everything else goes to `extra`. */
const KNOWN_KEYS = new Set(['command', 'args', 'env', 'environment', 'cwd', 'type', 'transport', 'headers', 'http_headers', ...URL_KEYS]);

/** Every server entry of a parsed configuration file (`changedInPullRequest` false: the caller knows the diff). */
export function extractServers(root: LocatedNode, configPath: string, configKind: McpConfigKind): McpServerEntry[] {
  for (const keys of configKind.serverKeys) {
    const container = nodeAt(root, keys);
    if (!container) continue;
    const value = container.value;
    if (value.kind === 'object') {
      return value.entries.flatMap((entry) => (entry.value.kind === 'object' ? [toEntry(entry.key, entry.line, entry.value, configPath, configKind.client)] : []));
    }
    if (value.kind === 'array') {
      return value.items.flatMap((item, index) => {
        if (item.kind !== 'object') return [];
        const name = property(item, 'name')?.value;
        const label = name?.kind === 'scalar' && name.value !== null ? String(name.value) : `#${index + 1}`;
        return [toEntry(label, item.line, item, configPath, configKind.client)];
      });
    }
  }
  return [];
}

function scalarText(node: LocatedNode): string | undefined {
  return node.kind === 'scalar' && node.value !== null ? String(node.value) : undefined;
}

function located(prop: LocatedProperty | undefined): Located<string> | undefined {
  if (!prop) return undefined;
  const text = scalarText(prop.value);
  return text === undefined ? undefined : { value: text, line: prop.line };
}

function locatedList(node: LocatedNode | undefined): Located<string>[] {
  if (node?.kind !== 'array') return [];
  return node.items.flatMap((item) => {
    const text = scalarText(item);
    return text === undefined ? [] : [{ value: text, line: item.line }];
  });
}

function locatedMap(node: LocatedNode | undefined): Record<string, Located<string>> {
  const out: Record<string, Located<string>> = {};
  if (node?.kind !== 'object') return out;
  for (const entry of node.entries) {
    const text = scalarText(entry.value);
    if (text !== undefined) out[entry.key] = { value: text, line: entry.line };
  }
  return out;
}

function toEntry(name: string, line: number, node: LocatedObject, configPath: string, client: McpClientId): McpServerEntry {
  const commandProp = property(node, 'command');
  let argsNode = property(node, 'args')?.value;
  let envNode = property(node, 'env')?.value ?? property(node, 'environment')?.value;
  let command: Located<string> | undefined;
  let args: Located<string>[] = locatedList(argsNode);
  if (commandProp?.value.kind === 'array') {
    // opencode: `command` is the program and its arguments in one array.
    const [first, ...rest] = locatedList(commandProp.value);
    command = first;
    args = [...rest, ...args];
  } else if (commandProp?.value.kind === 'object') {
    // Zed's older shape: `"command": { "path": …, "args": […], "env": {…} }`.
    const inner = commandProp.value;
    command = located(property(inner, 'path'));
    argsNode = property(inner, 'args')?.value ?? argsNode;
    envNode = property(inner, 'env')?.value ?? envNode;
    args = locatedList(argsNode);
  } else {
    command = located(commandProp);
  }
  const url = URL_KEYS.map((key) => located(property(node, key))).find((value) => value !== undefined);
  const type = located(property(node, 'type')) ?? located(property(node, 'transport'));
  const requestHeaders = property(property(node, 'requestOptions')?.value, 'headers')?.value;
  const headers = { ...locatedMap(requestHeaders), ...locatedMap(property(node, 'http_headers')?.value), ...locatedMap(property(node, 'headers')?.value) };
  const remote = url !== undefined || (type !== undefined && REMOTE_TYPES.has(type.value.toLowerCase()));
  const extra: Record<string, Located<unknown>> = {};
  for (const entry of node.entries) if (!KNOWN_KEYS.has(entry.key)) extra[entry.key] = { value: plainValue(entry.value), line: entry.line };
  const cwd = located(property(node, 'cwd'));
  return {
    name,
    configPath,
    client,
    line,
    endLine: Math.max(line, node.endLine),
    transport: remote ? 'remote' : 'stdio',
    ...(command !== undefined && { command }),
    args,
    env: locatedMap(envNode),
    ...(cwd !== undefined && { cwd }),
    ...(url !== undefined && { url }),
    ...(type !== undefined && { type }),
    headers,
    extra,
    changedInPullRequest: false,
  };
}

/** One configuration file read for the audit: its text, what its parser made of it, and its servers. */
export interface DiscoveredConfig {
  path: string;
  kind: McpConfigKind;
  text: string;
  parsed: ParseOutcome;
  servers: McpServerEntry[];
}

/** Parses one file and lists its servers; `addedLines` (the PR's added lines of this file) marks the entries the PR touches. */
export function discoverConfig(path: string, text: string, configKind: McpConfigKind, addedLines: readonly number[] = []): DiscoveredConfig {
  const parsed = parseConfig(text, configKind.format);
  const servers = parsed.ok ? extractServers(parsed.root, path, configKind) : [];
  for (const server of servers) server.changedInPullRequest = intersects(addedLines, server.line, server.endLine);
  return { path, kind: configKind, text, parsed, servers };
}

/** Whether an ascending list of lines has one in [from, to]. */
function intersects(sorted: readonly number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]! <= to;
}
