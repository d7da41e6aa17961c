/**
 * MCP configuration discovery: every project-scope format (DESIGN.md §5) parsed with its real parser (jsonc-parser, smol-toml,
 * yaml), each server classified stdio/remote with the lines of its fields; broken files at the parser's line, never a crash.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverConfig, mcpConfigKind, type DiscoveredConfig } from '../src/scanners/mcp-audit/discovery.js';
import { discoverFixture, fixtureText, lineOf } from './support/mcp-configs.js';
import type { McpServerEntry } from '../src/scanners/mcp-audit/model.js';
import { parseToml } from '../src/scanners/mcp-audit/parse-toml.js';

function server(config: DiscoveredConfig, name: string): McpServerEntry {
  const found = config.servers.find((s) => s.name === name);
  assert.ok(found, `server ${name} in ${config.path}: ${config.servers.map((s) => s.name).join(', ')}`);
  return found;
}

describe('which paths are MCP configuration files', () => {
  test('every project-scope file of DESIGN.md §5, at the root or in a sub-project; not node_modules, not look-alikes', () => {
    const yes: [string, string][] = [
      ['.vscode/mcp.json', 'vscode'],
      ['.vscode/settings.json', 'vscode-settings'],
      ['.mcp.json', 'claude-code'],
      ['packages/app/.mcp.json', 'claude-code'],
      ['.claude/settings.json', 'claude-code'],
      ['.cursor/mcp.json', 'cursor'],
      ['.gemini/settings.json', 'gemini'],
      ['.codex/config.toml', 'codex'],
      ['.continue/mcpServers/db.yaml', 'continue'],
      ['.continue/mcpServers/db.yml', 'continue'],
      ['.continue/mcpServers/copied.json', 'continue'],
      ['.continue/config.yaml', 'continue'],
      ['opencode.json', 'opencode'],
      ['.opencode/opencode.jsonc', 'opencode'],
      ['.zed/settings.json', 'zed'],
      ['.amazonq/mcp.json', 'amazonq'],
      ['.roo/mcp.json', 'roo'],
      ['.kiro/settings/mcp.json', 'kiro'],
      ['claude_desktop_config.json', 'claude-desktop'],
    ];
    for (const [path, client] of yes) assert.equal(mcpConfigKind(path)?.client, client, path);
    for (const path of ['mcp.json', 'x.mcp.json', 'node_modules/pkg/.mcp.json', 'a/node_modules/.cursor/mcp.json', '.vscode/launch.json', '.continue/mcpServers/sub/x.yaml', 'settings.json']) {
      assert.equal(mcpConfigKind(path), undefined, path);
    }
  });
});

describe('every format', () => {
  test('VS Code .vscode/mcp.json: comments, trailing commas, `servers` with stdio and http entries, `inputs` left aside', () => {
    const config = discoverFixture('vscode-mcp.jsonc');
    const text = fixtureText('vscode-mcp.jsonc');
    assert.ok(config.parsed.ok);
    assert.deepEqual(config.servers.map((s) => [s.name, s.transport]), [['github', 'stdio'], ['remote-docs', 'remote']]);
    const github = server(config, 'github');
    assert.equal(github.line, lineOf(text, '"github": {'));
    assert.equal(github.endLine, lineOf(text, '    },', github.line));
    assert.deepEqual(github.command, { value: 'docker', line: lineOf(text, '"command": "docker"') });
    assert.equal(github.args.length, 6);
    assert.deepEqual(github.env.GITHUB_TOKEN, { value: '${input:github-token}', line: lineOf(text, '"env"') });
    assert.equal(github.type?.value, 'stdio');
    const docs = server(config, 'remote-docs');
    assert.deepEqual(docs.url, { value: 'https://docs.example.com/mcp', line: lineOf(text, '"url"') });
    assert.equal(docs.headers.Authorization?.value, 'Bearer ${input:github-token}');
  });

  test('legacy .vscode/settings.json `mcp.servers`', () => {
    const config = discoverFixture('vscode-settings.jsonc');
    assert.deepEqual(config.servers.map((s) => `${s.name}:${s.command?.value}:${s.args.map((a) => a.value).join(' ')}`), ['legacy:node:tools/server.js']);
    const dotted = discoverConfig('.vscode/settings.json', '{ "mcp.servers": { "x": { "command": "node" } } }', mcpConfigKind('.vscode/settings.json')!);
    assert.deepEqual(dotted.servers.map((s) => s.name), ['x']);
  });

  test('Claude Code .mcp.json, Cursor, Amazon Q, Roo, Kiro, Claude Desktop: `mcpServers`', () => {
    assert.deepEqual(discoverFixture('claude-code.json').servers.map((s) => [s.name, s.transport]), [['filesystem', 'stdio'], ['pinned', 'stdio'], ['sse', 'remote']]);
    assert.deepEqual(discoverFixture('cursor.json').servers.map((s) => [s.name, s.transport]), [['internal', 'remote'], ['local', 'remote']]);
    assert.deepEqual(discoverFixture('amazonq.json').servers.map((s) => [s.name, s.extra.disabled?.value]), [['aws-docs', false]]);
    assert.deepEqual(discoverFixture('roo.json').servers.map((s) => [s.name, s.extra.alwaysAllow?.value]), [['git', ['git_status', 'git_log']]]);
    assert.deepEqual(discoverFixture('kiro.json').servers.map((s) => s.name), ['web']);
    assert.deepEqual(discoverFixture('claude-desktop.json').servers.map((s) => s.name), ['weather']);
    // .claude/settings.json holds consent settings, no servers.
    const settings = discoverFixture('claude-settings.json');
    assert.ok(settings.parsed.ok);
    assert.deepEqual(settings.servers, []);
  });

  test('Gemini: `httpUrl` is a remote server; `trust`, `includeTools`, `timeout` kept as extra fields; `cwd` located', () => {
    const config = discoverFixture('gemini.json');
    const text = fixtureText('gemini.json');
    const stream = server(config, 'stream');
    assert.equal(stream.transport, 'remote');
    assert.deepEqual(stream.url, { value: 'https://api.example.com/mcp/', line: lineOf(text, '"httpUrl"') });
    assert.deepEqual(stream.extra.trust, { value: true, line: lineOf(text, '"trust"') });
    assert.deepEqual(stream.extra.includeTools?.value, ['search']);
    const python = server(config, 'python');
    assert.equal(python.cwd?.value, './tools');
    assert.equal(python.extra.timeout?.value, 30000);
  });

  test('Codex TOML: `[mcp_servers.<name>]` tables, quoted names, multi-line arrays and inline tables at their own lines', () => {
    const config = discoverFixture('codex.toml');
    const text = fixtureText('codex.toml');
    assert.deepEqual(config.servers.map((s) => [s.name, s.transport]), [['docs', 'stdio'], ['remote.api', 'remote'], ['shell', 'stdio']]);
    const docs = server(config, 'docs');
    assert.equal(docs.line, lineOf(text, '[mcp_servers.docs]'));
    assert.equal(docs.endLine, lineOf(text, 'env = {'));
    assert.deepEqual(docs.command, { value: 'npx', line: lineOf(text, 'command = "npx"') });
    assert.deepEqual(docs.args, [
      { value: '-y', line: lineOf(text, '"-y"') },
      { value: 'docs-mcp-server@latest', line: lineOf(text, 'docs-mcp-server@latest') },
    ]);
    assert.deepEqual(docs.env, { DOCS_TOKEN: { value: '${DOCS_TOKEN}', line: lineOf(text, 'env = {') }, MODE: { value: 'read', line: lineOf(text, 'env = {') } });
    const remote = server(config, 'remote.api');
    assert.equal(remote.line, lineOf(text, '[mcp_servers."remote.api"]'));
    assert.deepEqual(remote.extra.bearer_token_env_var, { value: 'API_TOKEN', line: lineOf(text, 'bearer_token_env_var') });
  });

  test('TOML line recovery: dotted keys, keys inside multi-line strings are not taken for keys, nested tables', () => {
    const text = [
      'note = """',
      '[mcp_servers.fake]',
      'command = "no"',
      '"""',
      'mcp_servers.inline.command = "node"',
      '[mcp_servers.real]',
      'command = "python"',
      '[mcp_servers.real.env]',
      'TOKEN = "x"',
    ].join('\n');
    const parsed = parseToml(text);
    assert.ok(parsed.ok);
    const config = discoverConfig('.codex/config.toml', text, mcpConfigKind('.codex/config.toml')!);
    assert.deepEqual(config.servers.map((s) => [s.name, s.line, s.command?.line]), [['inline', 5, 5], ['real', 6, 7]]);
    assert.deepEqual(server(config, 'real').env.TOKEN, { value: 'x', line: 9 });
    assert.equal(server(config, 'real').endLine, 9);
  });

  test('Continue YAML: a block file and config.yaml, `mcpServers` lists named by `name`, lines from the LineCounter', () => {
    const block = discoverFixture('continue-block.yaml');
    const text = fixtureText('continue-block.yaml');
    assert.deepEqual(block.servers.map((s) => [s.name, s.transport]), [['SQLite MCP', 'stdio'], ['Remote', 'remote']]);
    const sqlite = server(block, 'SQLite MCP');
    assert.equal(sqlite.line, lineOf(text, 'name: SQLite MCP'));
    assert.deepEqual(sqlite.args.find((a) => a.value === '--privileged'), { value: '--privileged', line: lineOf(text, '--privileged') });
    assert.deepEqual(sqlite.env.DB_PATH, { value: './data.db', line: lineOf(text, 'DB_PATH') });
    assert.equal(server(block, 'Remote').type?.value, 'streamable-http');
    const config = discoverFixture('continue-config.yaml');
    assert.deepEqual(config.servers.map((s) => [s.name, s.command?.value, s.args.map((a) => a.value)]), [['fetch', 'uvx', ['mcp-server-fetch']]]);
  });

  test('opencode: `mcp` with `command` as one array (split into command and args), `environment`, remote entries', () => {
    const config = discoverFixture('opencode.jsonc');
    const text = fixtureText('opencode.jsonc');
    const everything = server(config, 'everything');
    assert.deepEqual(everything.command, { value: 'bunx', line: lineOf(text, '"command"') });
    assert.deepEqual(everything.args.map((a) => a.value), ['@modelcontextprotocol/server-everything']);
    assert.deepEqual(Object.keys(everything.env), ['SLACK_BOT_TOKEN']);
    assert.equal(everything.extra.enabled?.value, true);
    assert.equal(server(config, 'context7').transport, 'remote');
  });

  test('Zed: `context_servers` in the current shape and the older `command: {path, args, env}` shape', () => {
    const config = discoverFixture('zed.jsonc');
    assert.deepEqual(
      config.servers.map((s) => [s.name, s.transport, s.command?.value, s.args.map((a) => a.value).join(' '), Object.keys(s.env).join()]),
      [
        ['new-shape', 'stdio', 'node', "-e require('child_process').exec(process.env.CMD)", ''],
        ['old-shape', 'stdio', '/usr/local/bin/mcp-server', '--stdio', 'LOG'],
        ['remote', 'remote', undefined, '', ''],
      ],
    );
  });
});

describe('broken files and the pull request lines', () => {
  test('a broken file is a parse outcome at the parser line, in all three formats; no servers, no exception', () => {
    const cases: [string, number, RegExp][] = [
      ['broken-mcp.json', 4, /^invalid JSON: comma expected$/],
      ['broken-codex.toml', 5, /^invalid TOML: /],
      ['broken-continue.yaml', 4, /^invalid YAML: /],
    ];
    for (const [name, line, message] of cases) {
      const config = discoverFixture(name);
      assert.equal(config.parsed.ok, false, name);
      if (config.parsed.ok) continue;
      assert.equal(config.parsed.line, line, name);
      assert.match(config.parsed.message, message);
      assert.deepEqual(config.servers, []);
    }
    for (const text of ['', '   ', '[1, 2', '{"mcpServers": 5}', '{"mcpServers": {"a": 1, "b": [1]}}', 'null']) {
      const config = discoverConfig('.mcp.json', text, mcpConfigKind('.mcp.json')!);
      assert.deepEqual(config.servers, [], JSON.stringify(text));
    }
  });

  test('changedInPullRequest: the entry lines intersect the added lines', () => {
    const text = fixtureText('claude-code.json');
    const pinnedLine = lineOf(text, '"pinned"');
    const config = discoverFixture('claude-code.json', [pinnedLine + 2]);
    assert.deepEqual(config.servers.map((s) => [s.name, s.changedInPullRequest]), [['filesystem', false], ['pinned', true], ['sse', false]]);
    assert.deepEqual(discoverFixture('claude-code.json', [1, 200]).servers.map((s) => s.changedInPullRequest), [false, false, false]);
  });
});
