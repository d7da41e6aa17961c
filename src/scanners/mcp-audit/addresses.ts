/**
 * The address rule for remote MCP servers a pull request names: only `https://`, and never a host that is, or resolves to, a
 * loopback, private, link-local, unique-local, CGNAT, multicast, reserved or unspecified address (a pull request must not turn the
 * runner into a probe of its internal network) — unless `mcp-audit-allow-hosts` lists it (host names, `*.suffix` wildcards, CIDRs).
 * DNS goes through a small resolver interface so that tests give their own answers.
 */
import { lookup } from 'node:dns/promises';
import { isIPv4, isIPv6 } from 'node:net';

export type HostPattern =
  | { kind: 'host'; host: string; text: string }
  | { kind: 'suffix'; suffix: string; text: string }
  | { kind: 'cidr'; bytes: Uint8Array; prefix: number; text: string };

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/;

/** One entry of `mcp-audit-allow-hosts`; a string is the error, written to follow the value. */
export function parseHostPattern(input: string): HostPattern | string {
  const text = input.trim().toLowerCase();
  if (text === '') return 'is empty';
  if (text.includes('/')) {
    const [address = '', prefixText = '', ...rest] = text.split('/');
    const bytes = ipBytes(address.replace(/^\[|\]$/g, ''));
    if (!bytes || rest.length > 0 || !/^\d{1,3}$/.test(prefixText)) return 'is not a CIDR (like 10.0.0.0/8 or fd00::/8)';
    const prefix = Number(prefixText);
    if (prefix > bytes.length * 8) return `has a prefix longer than ${bytes.length * 8} bits`;
    return { kind: 'cidr', bytes, prefix, text };
  }
  if (text.startsWith('*.')) {
    const suffix = text.slice(2);
    if (!HOST_NAME.test(suffix) || !suffix.includes('.')) return 'is not a wildcard of the form *.example.com (at least two labels after *.)';
    return { kind: 'suffix', suffix: suffix.replace(/\.$/, ''), text };
  }
  const bare = text.replace(/^\[|\]$/g, '');
  const literal = ipBytes(bare);
  if (literal) return { kind: 'cidr', bytes: literal, prefix: literal.length * 8, text };
  if (text.includes('*')) return 'has a wildcard elsewhere than a leading *.';
  if (!HOST_NAME.test(text)) return 'is not a host name, a *.suffix wildcard or a CIDR';
  return { kind: 'host', host: text.replace(/\.$/, ''), text };
}

/** Every entry, or the errors (each naming its entry). */
export function parseAllowHosts(entries: readonly string[]): { patterns: HostPattern[]; errors: string[] } {
  const patterns: HostPattern[] = [];
  const errors: string[] = [];
  for (const entry of entries) {
    const parsed = parseHostPattern(entry);
    if (typeof parsed === 'string') errors.push(`${JSON.stringify(entry.slice(0, 100))} ${parsed}`);
    else patterns.push(parsed);
  }
  return { patterns, errors };
}

// ── IP literals ───────────────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * An IPv4 literal as the WHATWG URL parser reads hosts: 1 to 4 parts, each decimal, octal (`0` prefix) or hex (`0x`), the last part
 * filling the remaining bytes (`127.1`, `2130706433`, `0x7f.0.0.1`, `0177.0.0.1` are all 127.0.0.1).
 */
export function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.replace(/\.$/, '').split('.');
  if (parts.length === 0 || parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/i.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]+$/.test(part)) value = parseInt(part.slice(1), 8);
    else if (/^(0|[1-9]\d*)$/.test(part)) value = Number(part);
    else return undefined;
    if (!Number.isSafeInteger(value)) return undefined;
    numbers.push(value);
  }
  const last = numbers.pop()!;
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return undefined;
  const bytes = new Uint8Array(4);
  numbers.forEach((n, i) => (bytes[i] = n));
  for (let i = 3, rest = last; i >= numbers.length; i--, rest = Math.floor(rest / 256)) bytes[i] = rest % 256;
  return bytes;
}

export function parseIPv6(text: string): Uint8Array | undefined {
  const address = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!isIPv6(address)) return undefined;
  let groups: string[];
  let tail: number[] = [];
  let body = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (v4?.[1] && isIPv4(v4[1])) {
    tail = v4[1].split('.').map(Number);
    body = address.slice(0, -v4[1].length);
    body = body.endsWith('::') ? body : body.replace(/:$/, '');
  }
  const wanted = 8 - tail.length / 2;
  if (body.includes('::')) {
    const [head = '', rest = ''] = body.split('::');
    const left = head ? head.split(':') : [];
    const right = rest ? rest.split(':') : [];
    groups = [...left, ...Array<string>(wanted - left.length - right.length).fill('0'), ...right];
  } else groups = body ? body.split(':') : [];
  if (groups.length !== wanted) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  });
  tail.forEach((n, i) => (bytes[12 + i] = n));
  return bytes;
}

/** IPv4 (any WHATWG numeric form) or IPv6 (with or without brackets). */
export function ipBytes(text: string): Uint8Array | undefined {
  return text.includes(':') ? parseIPv6(text) : parseIPv4(text);
}

function inPrefix(bytes: Uint8Array, network: readonly number[], prefix: number): boolean {
  if (bytes.length !== network.length) return false;
  for (let bit = 0; bit < prefix; bit += 8) {
    const bits = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if (((bytes[bit / 8] ?? 0) & mask) !== ((network[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

const V4_BLOCKED: readonly { net: number[]; prefix: number; what: string }[] = [
  { net: [0, 0, 0, 0], prefix: 8, what: 'unspecified ("this network")' },
  { net: [10, 0, 0, 0], prefix: 8, what: 'private' },
  { net: [100, 64, 0, 0], prefix: 10, what: 'carrier-grade NAT' },
  { net: [127, 0, 0, 0], prefix: 8, what: 'loopback' },
  { net: [169, 254, 0, 0], prefix: 16, what: 'link-local (cloud metadata)' },
  { net: [172, 16, 0, 0], prefix: 12, what: 'private' },
  { net: [192, 0, 0, 0], prefix: 24, what: 'IETF protocol assignments' },
  { net: [192, 168, 0, 0], prefix: 16, what: 'private' },
  { net: [198, 18, 0, 0], prefix: 15, what: 'benchmarking' },
  { net: [224, 0, 0, 0], prefix: 4, what: 'multicast' },
  { net: [240, 0, 0, 0], prefix: 4, what: 'reserved or broadcast' },
];
const z = (n: number): number[] => Array<number>(n).fill(0);
const V6_BLOCKED: readonly { net: number[]; prefix: number; what: string }[] = [
  { net: z(16), prefix: 128, what: 'unspecified' },
  { net: [...z(15), 1], prefix: 128, what: 'loopback' },
  { net: [0xfc, ...z(15)], prefix: 7, what: 'unique-local' },
  { net: [0xfe, 0x80, ...z(14)], prefix: 10, what: 'link-local' },
  { net: [0xfe, 0xc0, ...z(14)], prefix: 10, what: 'site-local' },
  { net: [0xff, ...z(15)], prefix: 8, what: 'multicast' },
];

/** IPv4 addresses carried inside IPv6 ones: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::/96). */
function embeddedV4(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length !== 16) return undefined;
  if (inPrefix(bytes, [...z(10), 0xff, 0xff, ...z(4)], 96)) return bytes.slice(12);
  if (inPrefix(bytes, [0, 0x64, 0xff, 0x9b, ...z(12)], 96)) return bytes.slice(12);
  if (inPrefix(bytes, z(16), 96) && !inPrefix(bytes, z(16), 127)) return bytes.slice(12);
  return undefined;
}

/** Why an address must not be contacted (`loopback`, `private`, …), or undefined for a public one. */
export function blockedRange(bytes: Uint8Array): string | undefined {
  const v4 = bytes.length === 4 ? bytes : embeddedV4(bytes);
  if (v4) return V4_BLOCKED.find((r) => inPrefix(v4, r.net, r.prefix))?.what;
  return V6_BLOCKED.find((r) => inPrefix(bytes, r.net, r.prefix))?.what;
}

function formatBytes(bytes: Uint8Array): string {
  if (bytes.length === 4) return [...bytes].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':').replace(/\b(?:0:){2,}0?/, ':').replace(/:{3,}/, '::');
}

// ── the rule ──────────────────────────────────────────────────────────────────────────────────────────────────────────────────

export interface HostResolver {
  /** Every address the host resolves to (IPv4 and IPv6, as text); throws when it does not resolve. */
  lookup(host: string): Promise<string[]>;
}

/** The system resolver, bounded in time. */
export function systemResolver(timeoutMs = 5_000): HostResolver {
  return {
    async lookup(host) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)));
      try {
        const answers = await Promise.race([lookup(host, { all: true, verbatim: true }), deadline]);
        return answers.map((a) => a.address);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export type AddressDecision =
  | { allowed: true; url: string; host: string; note?: string }
  | { allowed: false; reason: string; host?: string };

function allowedByName(host: string, patterns: readonly HostPattern[]): HostPattern | undefined {
  return patterns.find((p) => (p.kind === 'host' && p.host === host) || (p.kind === 'suffix' && host.endsWith(`.${p.suffix}`)));
}

function allowedByAddress(bytes: Uint8Array, patterns: readonly HostPattern[]): HostPattern | undefined {
  const v4 = bytes.length === 16 ? embeddedV4(bytes) : undefined;
  return patterns.find((p) => p.kind === 'cidr' && (inPrefix(bytes, [...p.bytes], p.prefix) || (v4 !== undefined && inPrefix(v4, [...p.bytes], p.prefix))));
}

/**
 * Whether a remote server's URL may be contacted. Only `https://`; an IP literal or every address the host resolves to must be
 * public, unless `mcp-audit-allow-hosts` allows the name (no lookup then) or the address (CIDR). A name that does not resolve is
 * not contacted (the reason says so).
 */
export async function decideAddress(rawUrl: string, allow: readonly HostPattern[], resolver: HostResolver): Promise<AddressDecision> {
  let url: URL;
  try {
    url = new URL(rawUrl.trim());
  } catch {
    return { allowed: false, reason: 'the url is not a valid absolute URL' };
  }
  if (url.protocol !== 'https:') return { allowed: false, reason: `only https:// servers are contacted (this one is ${url.protocol.replace(/:$/, '')})` };
  if (url.username || url.password) return { allowed: false, reason: 'the url carries credentials (user:password@): not contacted' };
  // WHATWG parsing already turned numeric IPv4 forms (2130706433, 0x7f.1, 0177.0.0.1) into dotted decimal.
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (host === '') return { allowed: false, reason: 'the url has no host' };
  const literal = ipBytes(host);
  if (literal) {
    const blocked = blockedRange(literal);
    if (blocked && !allowedByAddress(literal, allow)) {
      return { allowed: false, host, reason: `${host} is a ${blocked} address and mcp-audit-allow-hosts does not list it` };
    }
    return { allowed: true, url: url.href, host };
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    if (!allowedByName(host, allow)) return { allowed: false, host, reason: `${host} is loopback and mcp-audit-allow-hosts does not list it` };
  }
  const byName = allowedByName(host, allow);
  if (byName) return { allowed: true, url: url.href, host, note: `allowed by mcp-audit-allow-hosts entry ${byName.text}` };
  let addresses: string[];
  try {
    addresses = await resolver.lookup(host);
  } catch (error) {
    return { allowed: false, host, reason: `${host} does not resolve on the runner (${error instanceof Error ? error.message : String(error)})` };
  }
  if (addresses.length === 0) return { allowed: false, host, reason: `${host} does not resolve on the runner` };
  for (const address of addresses) {
    const bytes = ipBytes(address);
    if (!bytes) return { allowed: false, host, reason: `${host} resolves to ${JSON.stringify(address.slice(0, 60))}, not an IP address` };
    const blocked = blockedRange(bytes);
    if (blocked && !allowedByAddress(bytes, allow)) {
      return { allowed: false, host, reason: `${host} resolves to ${formatBytes(bytes)}, a ${blocked} address, and mcp-audit-allow-hosts does not list it` };
    }
  }
  return { allowed: true, url: url.href, host };
}

/**
 * The address to connect to for `host`, decided once: an IP literal must be public (or allowed by a CIDR); a name allowed by
 * `mcp-audit-allow-hosts` is resolved and its first address used; any other name must resolve to public addresses only, and the
 * first of them is the one connected to. The caller connects to exactly this address and never resolves the name again, so a
 * DNS answer that changes between the check and the connection (DNS rebinding) cannot move the connection.
 */
export async function resolveForConnect(
  rawHost: string,
  allow: readonly HostPattern[],
  resolver: HostResolver,
): Promise<{ address: string } | { reason: string }> {
  const host = rawHost.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (host === '') return { reason: 'no host' };
  const literal = ipBytes(host);
  if (literal) {
    const blocked = blockedRange(literal);
    if (blocked && !allowedByAddress(literal, allow)) return { reason: `${host} is a ${blocked} address and mcp-audit-allow-hosts does not list it` };
    return { address: connectable(literal) };
  }
  if (!HOST_NAME.test(host)) return { reason: `${JSON.stringify(host.slice(0, 100))} is not a host name` };
  const byName = allowedByName(host, allow);
  if ((host === 'localhost' || host.endsWith('.localhost')) && !byName) return { reason: `${host} is loopback and mcp-audit-allow-hosts does not list it` };
  let addresses: string[];
  try {
    addresses = await resolver.lookup(host);
  } catch (error) {
    return { reason: `${host} does not resolve (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = addresses.map((a) => ({ text: a, bytes: ipBytes(a) }));
  const first = parsed[0];
  if (!first) return { reason: `${host} does not resolve` };
  for (const { text, bytes } of parsed) {
    if (!bytes) return { reason: `${host} resolves to ${JSON.stringify(text.slice(0, 60))}, not an IP address` };
    const blocked = blockedRange(bytes);
    if (blocked && !byName && !allowedByAddress(bytes, allow)) {
      return { reason: `${host} resolves to ${formatBytes(bytes)}, a ${blocked} address, and mcp-audit-allow-hosts does not list it` };
    }
  }
  return { address: connectable(first.bytes!) };
}

/** An address as `net.connect` takes it: dotted IPv4, or the eight IPv6 groups written out. */
function connectable(bytes: Uint8Array): string {
  if (bytes.length === 4) return [...bytes].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':');
}
