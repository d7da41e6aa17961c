/** The MCP configuration fixtures (`fixtures/mcp-configs/`, see its README) and small helpers for the MCP audit tests. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { discoverConfig, mcpConfigKind, type DiscoveredConfig } from '../../src/scanners/mcp-audit/discovery.js';

const FIXTURES_DIR = new URL('../fixtures/mcp-configs/', import.meta.url);

/** Fixture file → the path it has in a repository. */
export const FIXTURES: Readonly<Record<string, string>> = {
  'vscode-mcp.jsonc': '.vscode/mcp.json',
  'vscode-settings.jsonc': '.vscode/settings.json',
  'claude-code.json': '.mcp.json',
  'claude-settings.json': '.claude/settings.json',
  'cursor.json': '.cursor/mcp.json',
  'gemini.json': '.gemini/settings.json',
  'codex.toml': '.codex/config.toml',
  'continue-block.yaml': '.continue/mcpServers/database.yaml',
  'continue-config.yaml': '.continue/config.yaml',
  'opencode.jsonc': 'opencode.jsonc',
  'zed.jsonc': '.zed/settings.json',
  'amazonq.json': '.amazonq/mcp.json',
  'roo.json': '.roo/mcp.json',
  'kiro.json': '.kiro/settings/mcp.json',
  'claude-desktop.json': 'claude_desktop_config.json',
  'broken-mcp.json': '.mcp.json',
  'broken-codex.toml': '.codex/config.toml',
  'broken-continue.yaml': '.continue/config.yaml',
};

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, FIXTURES_DIR), 'utf8');
}

/** The 1-based line of the first line holding `needle` (after `after`, when given). */
export function lineOf(text: string, needle: string, after = 0): number {
  const index = text.split('\n').findIndex((line, i) => i >= after && line.includes(needle));
  assert.ok(index >= 0, `${needle} not in the text`);
  return index + 1;
}

export function discoverFixture(name: string, addedLines: number[] = []): DiscoveredConfig {
  const path = FIXTURES[name]!;
  const kind = mcpConfigKind(path);
  assert.ok(kind, `${path} is a config path`);
  return discoverConfig(path, fixtureText(name), kind, addedLines);
}

