// The MCP lister: a plain Node program with no dependencies, run INSIDE the sandbox (never on the runner). It starts each stdio
// server of the request with its command, arguments and environment, speaks MCP JSON-RPC over stdio (initialize,
// notifications/initialized, tools/list, prompts/list, resources/list with pagination), and writes what each server listed, or why
// it could not, as one JSON file. Output and time are bounded per server; every server's process group is killed when done.
//
// The request comes in the environment variable ULTRA_CREATE_MCP_REQUEST (removed before any server starts):
//   { out, workdir, timeoutMs, maxBytes, maxPages, servers: [{ id, command, args, env, cwd }] }
import { spawn } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
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

const results = [];
for (const server of request.servers ?? []) results.push(await listOne(server));
const text = JSON.stringify({ lister: 1, durationMs: Date.now() - started, results });
writeFileSync(`${request.out}.tmp`, text);
renameSync(`${request.out}.tmp`, request.out);
process.exit(0);
