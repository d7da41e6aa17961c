/**
 * A small HTTP CONNECT proxy on 127.0.0.1 that a ramparts binary is pointed at (`HTTPS_PROXY`, `ALL_PROXY`) for one scan. It
 * resolves each requested host itself, applies the address rule of addresses.ts to the address it is about to connect to, and
 * connects to exactly that address: a name that answered a public address at our first check and 127.0.0.1 when ramparts resolves
 * it again (DNS rebinding) cannot reach the runner's network, because ramparts never resolves it. Only CONNECT (https) is served;
 * plain-http proxy requests are refused. Bounded: connections at once and in all, request head size, connect and idle time.
 */
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { resolveForConnect, type HostPattern, type HostResolver } from './addresses.js';

export interface ConnectProxyOptions {
  allow: readonly HostPattern[];
  resolver: HostResolver;
  /** Opens the outgoing connection (tests may watch it); default `net.connect`. */
  connect?: (address: string, port: number) => Socket;
  maxConcurrent?: number;
  maxTotal?: number;
  connectTimeoutMs?: number;
  idleTimeoutMs?: number;
}

export interface ProxyRefusal {
  target: string;
  reason: string;
}

export interface ConnectProxy {
  /** `http://127.0.0.1:<port>`: the value for `HTTPS_PROXY` / `ALL_PROXY`. */
  readonly url: string;
  /** CONNECT requests answered so far (allowed or not). */
  readonly requests: number;
  /** Targets connected to, as `host:port -> address`. */
  readonly tunnels: readonly string[];
  readonly refusals: readonly ProxyRefusal[];
  close(): Promise<void>;
}

const MAX_HEAD = 8 * 1024;

export async function startConnectProxy(options: ConnectProxyOptions): Promise<ConnectProxy> {
  const maxConcurrent = options.maxConcurrent ?? 16;
  const maxTotal = options.maxTotal ?? 256;
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const open = options.connect ?? ((address: string, port: number) => netConnect({ host: address, port }));
  const sockets = new Set<Socket>();
  const tunnels: string[] = [];
  const refusals: ProxyRefusal[] = [];
  let requests = 0;
  let accepted = 0;

  /** Answers an error; `byRule` records it as a refusal of the address rule (a failed connection is ramparts' to report). */
  const refuse = (client: Socket, status: string, target: string, reason: string, byRule = true): void => {
    if (byRule) {
      refusals.push({ target: target.slice(0, 300), reason });
      if (refusals.length > 100) refusals.splice(0, refusals.length - 100);
    }
    client.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${byRule ? "refused by the MCP audit's address rule: " : ''}${reason}\n`);
  };

  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.setTimeout(idleTimeoutMs, () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  const handle = (client: Socket): void => {
    track(client);
    if (accepted >= maxTotal || sockets.size > maxConcurrent * 2) {
      client.destroy();
      return;
    }
    accepted++;
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > MAX_HEAD) refuse(client, '431 Request Header Fields Too Large', '?', 'request head too large', false);
        return;
      }
      client.off('data', onData);
      client.pause();
      const rest = head.subarray(end + 4);
      const requestLine = head.subarray(0, Math.min(end, MAX_HEAD)).toString('latin1').split('\r\n')[0] ?? '';
      requests++;
      void tunnel(client, requestLine, rest);
    };
    client.on('data', onData);
  };

  const tunnel = async (client: Socket, requestLine: string, rest: Buffer): Promise<void> => {
    const match = /^CONNECT\s+(\[[0-9a-fA-F:.]+\]|[^\s:]+):(\d{1,5})\s+HTTP\/1\.[01]$/.exec(requestLine);
    if (!match) {
      refuse(client, '405 Method Not Allowed', requestLine.slice(0, 200), 'only CONNECT to https servers is proxied');
      return;
    }
    const host = match[1]!;
    const port = Number(match[2]);
    const target = `${host}:${port}`;
    if (port < 1 || port > 65535) {
      refuse(client, '400 Bad Request', target, 'invalid port', false);
      return;
    }
    const decision = await resolveForConnect(host, options.allow, options.resolver);
    if ('reason' in decision) {
      refuse(client, '403 Forbidden', target, decision.reason);
      return;
    }
    if (client.destroyed) return;
    const upstream = open(decision.address, port);
    track(upstream);
    let established = false;
    const timer = setTimeout(() => {
      upstream.destroy();
      refuse(client, '504 Gateway Timeout', target, `no connection to ${decision.address} within ${connectTimeoutMs} ms`, false);
    }, connectTimeoutMs);
    upstream.once('connect', () => {
      clearTimeout(timer);
      established = true;
      tunnels.push(`${target} -> ${decision.address}`);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (rest.length > 0) upstream.write(rest);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    upstream.once('error', (error) => {
      clearTimeout(timer);
      // Inside an open tunnel the bytes are TLS: an error there only closes it.
      if (established) client.destroy();
      else if (!client.destroyed && client.writable) refuse(client, '502 Bad Gateway', target, `connection to ${decision.address} failed: ${error.message}`, false);
    });
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  };

  const server: Server = createServer(handle);
  server.maxConnections = maxConcurrent;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    tunnels,
    refusals,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
