// The MCP lister: a plain Node program with no dependencies, run INSIDE the sandbox (never on the runner). It starts each stdio
// server of the request with its command, arguments and environment, speaks MCP JSON-RPC over stdio (initialize,
// notifications/initialized, tools/list, prompts/list, resources/list with pagination), and writes what each server listed, or why
// it could not, as one JSON file. Output and time are bounded per server; every server's process group is killed when done.
//
// The request comes in the environment variable ULTRA_CREATE_MCP_REQUEST (removed before any server starts):
//   { out, workdir, timeoutMs, maxBytes, maxPages, servers: [{ id, command, args, env, cwd, fetchId? }],
//     fetch?: { file, registry, timeoutMs, maxBytes, root, packages: [{ id, spec, name, dir }] } }
//
// Two modes. With ULTRA_CREATE_MCP_PHASE=fetch (the setup phase, with network) it only installs the npm packages of `fetch` —
// `npm install --ignore-scripts` into a folder of the sandbox home, from the registry given (never the tree's .npmrc), each bounded
// in time, all together in bytes — and writes what it resolved (or npm's error) to `fetch.file`; it always exits 0 so the listing
// phase runs. Otherwise (the listing phase, no network) a server with `fetchId` runs the installed package's bin (as npx would pick
// it) with the server's remaining arguments.
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { isAbsolute, join, normalize, relative } from 'node:path';

const REQUEST_ENV = 'ULTRA_CREATE_MCP_REQUEST';
const request = JSON.parse(process.env[REQUEST_ENV] ?? '{}');
delete process.env.ULTRA_CREATE_MCP_REQUEST;
// The lister's own source, when it was passed the same way (`node --input-type=module -e "$ULTRA_CREATE_MCP_LISTER"`).
delete process.env.ULTRA_CREATE_MCP_LISTER;

const PROTOCOL_VERSION = '2025-06-18';
const STDERR_TAIL = 4096;
const started = Date.now();

function inside(root, dir) {
  const path = normalize(isAbsolute(dir) ? dir : join(root, dir));
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel)) ? path : root;
}

function listOne(server) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const env = { ...process.env, ...(server.env ?? {}) };
    let child;
    try {
      child = spawn(server.command, server.args ?? [], {
        cwd: inside(request.workdir, server.cwd ?? '.'),
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      });
    } catch (error) {
      resolve({ id: server.id, ok: false, error: `could not start: ${error.message}`, durationMs: Date.now() - t0 });
      return;
    }
    let nextId = 1;
    const pending = new Map();
    let buffer = '';
    let bytes = 0;
    let stderr = '';
    let finished = false;
    const result = { id: server.id, ok: false, tools: [], prompts: [], resources: [] };

    const finish = (error) => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      for (const { reject } of pending.values()) reject(new Error('server stopped'));
      result.ok = error === undefined;
      if (error !== undefined) result.error = error;
      result.stderrTail = stderr.slice(-STDERR_TAIL);
      result.durationMs = Date.now() - t0;
      resolve(result);
    };
    const deadline = setTimeout(() => finish(`did not answer within ${Math.round(request.timeoutMs / 1000)} s`), request.timeoutMs);

    child.on('error', (error) => finish(`could not start: ${error.message}`));
    child.on('exit', (code, signal) => {
      if (!finished) setTimeout(() => finish(`exited (${signal ?? `code ${code}`}) before it listed its tools`), 50);
    });
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL * 2);
    });
    child.stdin.on('error', () => undefined); // a server that closed its stdin: its exit is reported
    child.stdout.on('data', (chunk) => {
      bytes += chunk.length;
      if (bytes > request.maxBytes) return finish(`wrote more than ${request.maxBytes} bytes`);
      buffer += chunk.toString('utf8');
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line) continue;
        let message;
        try {
          message = JSON.parse(line);
        } catch {
          continue; // not JSON-RPC (a log line on stdout): ignored
        }
        if (message && message.id !== undefined && pending.has(message.id) && (message.result !== undefined || message.error !== undefined)) {
          const { resolve: done, reject } = pending.get(message.id);
          pending.delete(message.id);
          if (message.error) reject(Object.assign(new Error(String(message.error.message ?? 'error')), { code: message.error.code }));
          else done(message.result);
        } else if (message && message.id !== undefined && typeof message.method === 'string') {
          // A request from the server (sampling, roots, elicitation): refused.
          send({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'not supported by the lister' } });
        }
      }
    });

    function send(message) {
      if (!finished) child.stdin.write(`${JSON.stringify(message)}\n`);
    }
    function call(method, params) {
      const id = nextId++;
      return new Promise((res, rej) => {
        pending.set(id, { resolve: res, reject: rej });
        send({ jsonrpc: '2.0', id, method, params });
      });
    }
    async function paged(method, key) {
      const items = [];
      let cursor;
      for (let page = 0; page < request.maxPages; page++) {
        const answer = await call(method, cursor === undefined ? {} : { cursor });
        if (Array.isArray(answer?.[key])) items.push(...answer[key]);
        cursor = typeof answer?.nextCursor === 'string' && answer.nextCursor !== '' ? answer.nextCursor : undefined;
        if (cursor === undefined) break;
      }
      return items;
    }

    (async () => {
      const init = await call('initialize', {
        protocolVersion: PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'ultra-create-mcp-lister', version: '1' },
      });
      result.serverInfo = init?.serverInfo ?? null;
      result.protocolVersion = init?.protocolVersion ?? null;
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      const capabilities = init?.capabilities ?? {};
      const optional = async (wanted, method, key) => {
        if (!wanted) return [];
        try {
          return await paged(method, key);
        } catch (error) {
          if (error.code === -32601) return [];
          throw error;
        }
      };
      result.tools = await optional(true, 'tools/list', 'tools');
      result.prompts = await optional(capabilities.prompts !== undefined, 'prompts/list', 'prompts');
      result.resources = await optional(capabilities.resources !== undefined, 'resources/list', 'resources');
      finish();
    })().catch((error) => finish(`MCP error: ${error.message}`));
  });
}

// ── fetch (setup phase) ──

function treeBytes(path) {
  let total = 0;
  const stack = [path];
  while (stack.length) {
    const p = stack.pop();
    let st;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    total += st.size;
    if (st.isDirectory()) for (const name of readdirSync(p)) stack.push(join(p, name));
  }
  return total;
}

/** The bin npx would run: the only one, else the one named like the package (without its scope). */
function pickBin(pkg) {
  const bare = String(pkg.name ?? '').replace(/^@[^/]+\//, '');
  if (typeof pkg.bin === 'string') return bare;
  const names = pkg.bin && typeof pkg.bin === 'object' ? Object.keys(pkg.bin) : [];
  if (names.length === 1) return names[0];
  if (names.includes(bare)) return bare;
  return undefined;
}

function npmErrorLine(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const codeLine = lines.find((l) => /^npm (error|ERR!) (code|404|E\d)/.test(l) && !/^npm (error|ERR!) code\b/.test(l));
  const any = lines.find((l) => /^npm (error|ERR!) /.test(l) && !/^npm (error|ERR!) (code|errno)\b/.test(l));
  return (codeLine ?? any ?? lines.at(-1) ?? 'npm failed').replace(/^npm (error|ERR!) /, '').slice(0, 300);
}

function fetchOne(fetch, item) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    mkdirSync(item.dir, { recursive: true });
    const args = ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--no-save', '--loglevel=error',
      '--userconfig', '/dev/null', '--globalconfig', join(fetch.root, '.empty-globalconfig'), '--registry', fetch.registry,
      '--cache', join(fetch.root, '.npm-cache'), '--prefix', item.dir, '--', item.spec];
    const env = {};
    for (const name of ['PATH', 'HOME', 'TMPDIR', 'CI']) if (process.env[name] !== undefined) env[name] = process.env[name];
    let child;
    try {
      child = spawn('npm', args, { cwd: item.dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    } catch (error) {
      resolve({ id: item.id, ok: false, error: `npm could not start: ${error.message}` });
      return;
    }
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk.toString('utf8')).slice(-16384);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }, fetch.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ id: item.id, ok: false, error: `npm could not start: ${error.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const durationMs = Date.now() - t0;
      if (timedOut) return resolve({ id: item.id, ok: false, error: `npm did not finish within ${Math.round(fetch.timeoutMs / 1000)} s`, durationMs });
      if (code !== 0) return resolve({ id: item.id, ok: false, error: npmErrorLine(output), durationMs });
      try {
        const pkgDir = join(item.dir, 'node_modules', ...item.name.split('/'));
        const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
        const bin = pickBin(pkg);
        if (bin === undefined) return resolve({ id: item.id, ok: false, error: `${item.name}@${pkg.version} has no bin npx could pick`, version: pkg.version, durationMs });
        const binPath = join(item.dir, 'node_modules', '.bin', bin);
        if (!existsSync(binPath)) return resolve({ id: item.id, ok: false, error: `${item.name}@${pkg.version}: its bin ${bin} was not installed`, version: pkg.version, durationMs });
        resolve({ id: item.id, ok: true, version: String(pkg.version), bin: binPath, durationMs });
      } catch (error) {
        resolve({ id: item.id, ok: false, error: `installed, but its package.json could not be read: ${error.message}`, durationMs });
      }
    });
  });
}

async function fetchAll(fetch) {
  const results = [];
  for (const item of fetch.packages ?? []) {
    const used = treeBytes(fetch.root);
    if (used >= fetch.maxBytes) {
      results.push({ id: item.id, ok: false, error: `not fetched: the packages fetched before it already take ${used} bytes (bound ${fetch.maxBytes})` });
      continue;
    }
    const result = await fetchOne(fetch, item);
    const after = treeBytes(fetch.root);
    if (result.ok && after > fetch.maxBytes) {
      rmSync(item.dir, { recursive: true, force: true });
      results.push({ id: item.id, ok: false, error: `it takes the fetched packages over ${fetch.maxBytes} bytes`, version: result.version });
      continue;
    }
    results.push(result);
  }
  return results;
}

if (process.env.ULTRA_CREATE_MCP_PHASE === 'fetch') {
  const fetch = request.fetch ?? { packages: [] };
  mkdirSync(fetch.root, { recursive: true });
  writeFileSync(join(fetch.root, '.empty-globalconfig'), '');
  let results;
  try {
    results = await fetchAll(fetch);
  } catch (error) {
    results = (fetch.packages ?? []).map((p) => ({ id: p.id, ok: false, error: `the fetch broke off: ${error.message}` }));
  }
  writeFileSync(`${fetch.file}.tmp`, JSON.stringify({ results }));
  renameSync(`${fetch.file}.tmp`, fetch.file);
  process.exit(0);
}

// ── listing (no network) ──

let fetched = new Map();
if (request.fetch?.file) {
  try {
    fetched = new Map(JSON.parse(readFileSync(request.fetch.file, 'utf8')).results.map((r) => [r.id, r]));
  } catch {
    // no fetch result: every fetched server reports it
  }
}

const results = [];
for (const server of request.servers ?? []) {
  if (server.fetchId === undefined) {
    results.push(await listOne(server));
    continue;
  }
  const f = fetched.get(server.fetchId);
  if (!f) results.push({ id: server.id, ok: false, fetch: { ok: false, error: 'the fetch phase did not report on it' } });
  else if (!f.ok) results.push({ id: server.id, ok: false, fetch: f });
  else results.push({ ...(await listOne({ ...server, command: f.bin })), fetch: f });
}
const text = JSON.stringify({ lister: 1, durationMs: Date.now() - started, results });
writeFileSync(`${request.out}.tmp`, text);
renameSync(`${request.out}.tmp`, request.out);
process.exit(0);
