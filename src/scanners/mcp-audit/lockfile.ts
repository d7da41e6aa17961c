/**
 * The MCP lock file (`.github/ultra-create-mcp.lock.json`): per server (configuration path + name), a sha256 of each tool's
 * normalized description and input schema. It is read from the **base** commit only (the pull request's own copy could pin whatever
 * it changes); a pinned tool whose description or schema hashes differently now is a possible rug pull. The run offers the updated
 * content for the repository to commit. Pure, apart from the hashing.
 */
import { createHash } from 'node:crypto';
import { oneLine } from '../../text/strings.js';
import type { Finding } from '../../types.js';
import type { McpServerEntry } from './model.js';
import { TOOL_RULES, type ListedTool } from './tool-checks.js';

export const MCP_LOCK_PATH = '.github/ultra-create-mcp.lock.json';
export const MCP_LOCK_VERSION = 1;
/** Bound on the lock file read from the base commit. */
export const MAX_LOCK_BYTES = 1024 * 1024;

/** configPath → server name → tool name → `sha256:<hex>`. */
export interface McpLock {
  version: typeof MCP_LOCK_VERSION;
  servers: Record<string, Record<string, { tools: Record<string, string> }>>;
}

export function emptyLock(): McpLock {
  return { version: MCP_LOCK_VERSION, servers: {} };
}

/** The lock file's text, read; a string is why it cannot be used (then every tool counts as not pinned). */
export function parseLock(text: string): McpLock | string {
  if (Buffer.byteLength(text, 'utf8') > MAX_LOCK_BYTES) return `${MCP_LOCK_PATH} is larger than ${MAX_LOCK_BYTES} bytes`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `${MCP_LOCK_PATH} is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value) || value.version !== MCP_LOCK_VERSION || !isObject(value.servers)) {
    return `${MCP_LOCK_PATH} is not a version ${MCP_LOCK_VERSION} lock file ({"version": 1, "servers": {…}})`;
  }
  const lock = emptyLock();
  for (const [configPath, servers] of Object.entries(value.servers)) {
    if (!isObject(servers)) continue;
    for (const [name, server] of Object.entries(servers)) {
      if (!isObject(server) || !isObject(server.tools)) continue;
      const tools: Record<string, string> = {};
      for (const [tool, hash] of Object.entries(server.tools)) if (typeof hash === 'string' && /^sha256:[0-9a-f]{64}$/.test(hash)) tools[tool] = hash;
      (lock.servers[configPath] ??= {})[name] = { tools };
    }
  }
  return lock;
}

/** Objects with their keys in code-unit order, so that the hash does not depend on how a server orders its JSON. */
function canonical(value: unknown, depth = 0): unknown {
  if (depth > 32) return null;
  if (Array.isArray(value)) return value.map((v) => canonical(v, depth + 1));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = canonical((value as Record<string, unknown>)[key], depth + 1);
    return out;
  }
  return value;
}

/** sha256 of the tool's description (line ends and surrounding white space normalized) and its input schema (keys sorted). */
export function toolHash(tool: Pick<ListedTool, 'description' | 'inputSchema'>): string {
  const description = (tool.description ?? '').replace(/\r\n?/g, '\n').trim();
  const payload = JSON.stringify({ description, inputSchema: canonical(tool.inputSchema ?? null) });
  return `sha256:${createHash('sha256').update(payload).digest('hex')}`;
}

export interface LockChange {
  tool: string;
  pinned: string;
  now: string;
}

/** Tools of one server whose hash differs from the pinned one; tools not pinned are not changes (they are new). */
export function changedTools(lock: McpLock, entry: Pick<McpServerEntry, 'configPath' | 'name'>, tools: readonly ListedTool[]): LockChange[] {
  const pinned = lock.servers[entry.configPath]?.[entry.name]?.tools;
  if (!pinned) return [];
  const changes: LockChange[] = [];
  for (const tool of tools) {
    const was = Object.hasOwn(pinned, tool.name) ? pinned[tool.name] : undefined;
    if (was === undefined) continue;
    const now = toolHash(tool);
    if (now !== was) changes.push({ tool: tool.name, pinned: was, now });
  }
  return changes;
}

/** The lock with these servers' tools pinned as listed now (servers not listed this run keep their pins). */
export function updateLock(lock: McpLock, listed: readonly { entry: Pick<McpServerEntry, 'configPath' | 'name'>; tools: readonly ListedTool[] }[]): McpLock {
  const next: McpLock = { version: MCP_LOCK_VERSION, servers: structuredClone(lock.servers) };
  for (const { entry, tools } of listed) {
    const pins: Record<string, string> = {};
    for (const tool of tools) pins[tool.name] = toolHash(tool);
    (next.servers[entry.configPath] ??= {})[entry.name] = { tools: pins };
  }
  return next;
}

/** Stable text: keys sorted at every level, two-space indentation, a final newline. */
export function serializeLock(lock: McpLock): string {
  return `${JSON.stringify(canonical(lock), null, 2)}\n`;
}

export function lockFinding(entry: Pick<McpServerEntry, 'name' | 'configPath' | 'line'>, change: LockChange): Finding {
  const r = TOOL_RULES.descriptionChanged;
  return {
    ruleId: r.id,
    source: 'ramparts',
    severity: r.severity,
    path: entry.configPath,
    startLine: entry.line,
    endLine: entry.line,
    message: `MCP server '${oneLine(entry.name).slice(0, 100)}', tool ${oneLine(change.tool).slice(0, 100)}: ${r.message}`,
    note: `${r.note} OWASP MCP Top 10: ${r.category}.`,
    evidence: `${oneLine(change.tool).slice(0, 100)}: pinned ${change.pinned.slice(0, 19)}…, now ${change.now.slice(0, 19)}…`,
    fingerprint: '',
  };
}
