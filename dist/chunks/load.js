import { tmpdir } from 'node:os';
import { C as ConfigurationError } from './errors.js';
import { I as INPUT, a as INPUT_NAMES, b as DEFAULTS, c as INPUT_SPECS, R as RUNNER_TEMP_EXPRESSION, G as GITHUB_TOKEN_EXPRESSION, d as SECRET_INPUTS, i as inputEnvName } from './table.js';
import { S as SCANNER_NAMES, F as FILTER_MODES, a as SEVERITIES } from './types.js';
import { i as isCredentialName } from './redact.js';
import { lookup } from 'node:dns/promises';
import { isIPv6, isIPv4 } from 'node:net';
import { p as preprocess, s as string, b as array, f as _enum, d as object, k as strictObject, n as number, c as boolean } from './schemas.js';

/**
 * The address rule for remote MCP servers a pull request names: only `https://`, and never a host that is, or resolves to, a
 * loopback, private, link-local, unique-local, CGNAT, multicast, reserved or unspecified address (a pull request must not turn the
 * runner into a probe of its internal network) — unless `mcp-audit-allow-hosts` lists it (host names, `*.suffix` wildcards, CIDRs).
 * DNS goes through a small resolver interface so that tests give their own answers.
 */
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/;
/** One entry of `mcp-audit-allow-hosts`; a string is the error, written to follow the value. */
function parseHostPattern(input) {
    const text = input.trim().toLowerCase();
    if (text === '')
        return 'is empty';
    if (text.includes('/')) {
        const [address = '', prefixText = '', ...rest] = text.split('/');
        const bytes = ipBytes(address.replace(/^\[|\]$/g, ''));
        if (!bytes || rest.length > 0 || !/^\d{1,3}$/.test(prefixText))
            return 'is not a CIDR (like 10.0.0.0/8 or fd00::/8)';
        const prefix = Number(prefixText);
        if (prefix > bytes.length * 8)
            return `has a prefix longer than ${bytes.length * 8} bits`;
        return { kind: 'cidr', bytes, prefix, text };
    }
    if (text.startsWith('*.')) {
        const suffix = text.slice(2);
        if (!HOST_NAME.test(suffix) || !suffix.includes('.'))
            return 'is not a wildcard of the form *.example.com (at least two labels after *.)';
        return { kind: 'suffix', suffix: suffix.replace(/\.$/, ''), text };
    }
    const bare = text.replace(/^\[|\]$/g, '');
    const literal = ipBytes(bare);
    if (literal)
        return { kind: 'cidr', bytes: literal, prefix: literal.length * 8, text };
    if (text.includes('*'))
        return 'has a wildcard elsewhere than a leading *.';
    if (!HOST_NAME.test(text))
        return 'is not a host name, a *.suffix wildcard or a CIDR';
    return { kind: 'host', host: text.replace(/\.$/, ''), text };
}
/** Every entry, or the errors (each naming its entry). */
function parseAllowHosts(entries) {
    const patterns = [];
    const errors = [];
    for (const entry of entries) {
        const parsed = parseHostPattern(entry);
        if (typeof parsed === 'string')
            errors.push(`${JSON.stringify(entry.slice(0, 100))} ${parsed}`);
        else
            patterns.push(parsed);
    }
    return { patterns, errors };
}
// ── IP literals ───────────────────────────────────────────────────────────────────────────────────────────────────────────────
/**
 * An IPv4 literal as the WHATWG URL parser reads hosts: 1 to 4 parts, each decimal, octal (`0` prefix) or hex (`0x`), the last part
 * filling the remaining bytes (`127.1`, `2130706433`, `0x7f.0.0.1`, `0177.0.0.1` are all 127.0.0.1).
 */
function parseIPv4(text) {
    const parts = text.replace(/\.$/, '').split('.');
    if (parts.length === 0 || parts.length > 4)
        return undefined;
    const numbers = [];
    for (const part of parts) {
        let value;
        if (/^0x[0-9a-f]*$/i.test(part))
            value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
        else if (/^0[0-7]+$/.test(part))
            value = parseInt(part.slice(1), 8);
        else if (/^(0|[1-9]\d*)$/.test(part))
            value = Number(part);
        else
            return undefined;
        if (!Number.isSafeInteger(value))
            return undefined;
        numbers.push(value);
    }
    const last = numbers.pop();
    if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length))
        return undefined;
    const bytes = new Uint8Array(4);
    numbers.forEach((n, i) => (bytes[i] = n));
    for (let i = 3, rest = last; i >= numbers.length; i--, rest = Math.floor(rest / 256))
        bytes[i] = rest % 256;
    return bytes;
}
function parseIPv6(text) {
    const address = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
    if (!isIPv6(address))
        return undefined;
    let groups;
    let tail = [];
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
        groups = [...left, ...Array(wanted - left.length - right.length).fill('0'), ...right];
    }
    else
        groups = body ? body.split(':') : [];
    if (groups.length !== wanted)
        return undefined;
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
function ipBytes(text) {
    return text.includes(':') ? parseIPv6(text) : parseIPv4(text);
}
function inPrefix(bytes, network, prefix) {
    if (bytes.length !== network.length)
        return false;
    for (let bit = 0; bit < prefix; bit += 8) {
        const bits = Math.min(8, prefix - bit);
        const mask = (0xff << (8 - bits)) & 0xff;
        if (((bytes[bit / 8] ?? 0) & mask) !== ((network[bit / 8] ?? 0) & mask))
            return false;
    }
    return true;
}
const V4_BLOCKED = [
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
const z = (n) => Array(n).fill(0);
const V6_BLOCKED = [
    { net: z(16), prefix: 128, what: 'unspecified' },
    { net: [...z(15), 1], prefix: 128, what: 'loopback' },
    { net: [0xfc, ...z(15)], prefix: 7, what: 'unique-local' },
    { net: [0xfe, 0x80, ...z(14)], prefix: 10, what: 'link-local' },
    { net: [0xfe, 0xc0, ...z(14)], prefix: 10, what: 'site-local' },
    { net: [0xff, ...z(15)], prefix: 8, what: 'multicast' },
];
/** IPv4 addresses carried inside IPv6 ones: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::/96). */
function embeddedV4(bytes) {
    if (bytes.length !== 16)
        return undefined;
    if (inPrefix(bytes, [...z(10), 0xff, 0xff, ...z(4)], 96))
        return bytes.slice(12);
    if (inPrefix(bytes, [0, 0x64, 0xff, 0x9b, ...z(12)], 96))
        return bytes.slice(12);
    if (inPrefix(bytes, z(16), 96) && !inPrefix(bytes, z(16), 127))
        return bytes.slice(12);
    return undefined;
}
/** Why an address must not be contacted (`loopback`, `private`, …), or undefined for a public one. */
function blockedRange(bytes) {
    const v4 = bytes.length === 4 ? bytes : embeddedV4(bytes);
    if (v4)
        return V4_BLOCKED.find((r) => inPrefix(v4, r.net, r.prefix))?.what;
    return V6_BLOCKED.find((r) => inPrefix(bytes, r.net, r.prefix))?.what;
}
function formatBytes(bytes) {
    if (bytes.length === 4)
        return [...bytes].join('.');
    const groups = [];
    for (let i = 0; i < 16; i += 2)
        groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
    return groups.join(':').replace(/\b(?:0:){2,}0?/, ':').replace(/:{3,}/, '::');
}
/** The system resolver, bounded in time. */
function systemResolver(timeoutMs = 5_000) {
    return {
        async lookup(host) {
            let timer;
            const deadline = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)));
            try {
                const answers = await Promise.race([lookup(host, { all: true, verbatim: true }), deadline]);
                return answers.map((a) => a.address);
            }
            finally {
                clearTimeout(timer);
            }
        },
    };
}
function allowedByName(host, patterns) {
    return patterns.find((p) => (p.kind === 'host' && p.host === host) || (p.kind === 'suffix' && host.endsWith(`.${p.suffix}`)));
}
function allowedByAddress(bytes, patterns) {
    const v4 = bytes.length === 16 ? embeddedV4(bytes) : undefined;
    return patterns.find((p) => p.kind === 'cidr' && (inPrefix(bytes, [...p.bytes], p.prefix) || (v4 !== undefined && inPrefix(v4, [...p.bytes], p.prefix))));
}
/**
 * Whether a remote server's URL may be contacted. Only `https://`; an IP literal or every address the host resolves to must be
 * public, unless `mcp-audit-allow-hosts` allows the name (no lookup then) or the address (CIDR). A name that does not resolve is
 * not contacted (the reason says so).
 */
async function decideAddress(rawUrl, allow, resolver) {
    let url;
    try {
        url = new URL(rawUrl.trim());
    }
    catch {
        return { allowed: false, reason: 'the url is not a valid absolute URL' };
    }
    if (url.protocol !== 'https:')
        return { allowed: false, reason: `only https:// servers are contacted (this one is ${url.protocol.replace(/:$/, '')})` };
    if (url.username || url.password)
        return { allowed: false, reason: 'the url carries credentials (user:password@): not contacted' };
    // WHATWG parsing already turned numeric IPv4 forms (2130706433, 0x7f.1, 0177.0.0.1) into dotted decimal.
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
    if (host === '')
        return { allowed: false, reason: 'the url has no host' };
    const literal = ipBytes(host);
    if (literal) {
        const blocked = blockedRange(literal);
        if (blocked && !allowedByAddress(literal, allow)) {
            return { allowed: false, host, reason: `${host} is a ${blocked} address and mcp-audit-allow-hosts does not list it` };
        }
        return { allowed: true, url: url.href, host };
    }
    if (host === 'localhost' || host.endsWith('.localhost')) {
        if (!allowedByName(host, allow))
            return { allowed: false, host, reason: `${host} is loopback and mcp-audit-allow-hosts does not list it` };
    }
    const byName = allowedByName(host, allow);
    if (byName)
        return { allowed: true, url: url.href, host, note: `allowed by mcp-audit-allow-hosts entry ${byName.text}` };
    let addresses;
    try {
        addresses = await resolver.lookup(host);
    }
    catch (error) {
        return { allowed: false, host, reason: `${host} does not resolve on the runner (${error instanceof Error ? error.message : String(error)})` };
    }
    if (addresses.length === 0)
        return { allowed: false, host, reason: `${host} does not resolve on the runner` };
    for (const address of addresses) {
        const bytes = ipBytes(address);
        if (!bytes)
            return { allowed: false, host, reason: `${host} resolves to ${JSON.stringify(address.slice(0, 60))}, not an IP address` };
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
async function resolveForConnect(rawHost, allow, resolver) {
    const host = rawHost.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
    if (host === '')
        return { reason: 'no host' };
    const literal = ipBytes(host);
    if (literal) {
        const blocked = blockedRange(literal);
        if (blocked && !allowedByAddress(literal, allow))
            return { reason: `${host} is a ${blocked} address and mcp-audit-allow-hosts does not list it` };
        return { address: connectable(literal) };
    }
    if (!HOST_NAME.test(host))
        return { reason: `${JSON.stringify(host.slice(0, 100))} is not a host name` };
    const byName = allowedByName(host, allow);
    if ((host === 'localhost' || host.endsWith('.localhost')) && !byName)
        return { reason: `${host} is loopback and mcp-audit-allow-hosts does not list it` };
    let addresses;
    try {
        addresses = await resolver.lookup(host);
    }
    catch (error) {
        return { reason: `${host} does not resolve (${error instanceof Error ? error.message : String(error)})` };
    }
    const parsed = addresses.map((a) => ({ text: a, bytes: ipBytes(a) }));
    const first = parsed[0];
    if (!first)
        return { reason: `${host} does not resolve` };
    for (const { text, bytes } of parsed) {
        if (!bytes)
            return { reason: `${host} resolves to ${JSON.stringify(text.slice(0, 60))}, not an IP address` };
        const blocked = blockedRange(bytes);
        if (blocked && !byName && !allowedByAddress(bytes, allow)) {
            return { reason: `${host} resolves to ${formatBytes(bytes)}, a ${blocked} address, and mcp-audit-allow-hosts does not list it` };
        }
    }
    return { address: connectable(first.bytes) };
}
/** An address as `net.connect` takes it: dotted IPv4, or the eight IPv6 groups written out. */
function connectable(bytes) {
    if (bytes.length === 4)
        return [...bytes].join('.');
    const groups = [];
    for (let i = 0; i < 16; i += 2)
        groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
    return groups.join(':');
}

/**
 * How each input's raw value (a string from the workflow, or a YAML value from the config file) becomes a typed value.
 * Issue messages say only what is wrong with the value and what is allowed; the loader prefixes where the value came from.
 */
const FAIL_ON_VALUES = ['none', 'info', 'low', 'medium', 'high', 'critical'];
const REVIEW_EVENTS = ['comment', 'request-changes'];
const MCP_GATEWAY_MODES = ['auto', 'on', 'off'];
const ESCALATE_ON_VALUES = ['critical', 'high'];
/** How a value is shown in a message: strings quoted (and shortened), other values by kind. */
function describeValue(value) {
    if (typeof value === 'string') {
        const shown = value.length > 80 ? `${value.slice(0, 77)}…` : value;
        return JSON.stringify(shown);
    }
    if (Array.isArray(value))
        return 'a list';
    if (value === null || value === undefined)
        return 'an empty value';
    if (typeof value === 'object')
        return 'a mapping';
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
        return String(value);
    return `a ${typeof value}`; // a function or a symbol: never from YAML or an input
}
/** Comma- or newline-separated text, or a YAML list, to a list of trimmed non-empty items (non-strings kept for the error). */
function splitList(value) {
    const items = typeof value === 'string' ? value.split(/[,\n]/) : value;
    if (!Array.isArray(items))
        return value;
    return items.map((item) => (typeof item === 'string' ? item.trim() : item)).filter((item) => item !== '');
}
const dedupe = (items) => [...new Set(items)];
function trimString(value) {
    return typeof value === 'string' ? value.trim() : value;
}
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
function toNumber(value) {
    if (typeof value === 'string' && NUMBER_TEXT.test(value.trim()))
        return Number(value.trim());
    return value;
}
const notAString = (issue) => `expected text, got ${describeValue(issue.input)}.`;
function enumField(values) {
    return preprocess(trimString, _enum(values, {
        error: (issue) => issue.input === undefined
            ? `missing; give one of ${values.join(', ')}.`
            : `${describeValue(issue.input)} is not one of ${values.join(', ')}.`,
    }));
}
function listOf(values, options) {
    const element = _enum(values, { error: (issue) => `${describeValue(issue.input)} is not one of ${values.join(', ')}.` });
    const list = array(element, { error: (issue) => `expected a list, got ${describeValue(issue.input)}.` });
    const checked = list.min(1, { error: `the list is empty; give at least one of ${values.join(', ')}.` })
        ;
    return preprocess(splitList, checked.transform(dedupe));
}
/** YAML's spellings of true and false (as @actions/core's getBooleanInput takes them). */
function booleanField() {
    const values = { true: true, True: true, TRUE: true, false: false, False: false, FALSE: false };
    const error = (issue) => `${describeValue(issue.input)} is not true or false.`;
    return preprocess((value) => (typeof value === 'string' && value.trim() in values ? values[value.trim()] : value), boolean({ error }));
}
function numberField(min, max, options) {
    const allowed = `${options.integer ? 'an integer' : 'a number'} from ${min} to ${max}`;
    const note = options.note ? ` ${options.note}` : '';
    const error = (issue) => `${describeValue(issue.input)} is not ${allowed}.${note}`;
    const base = number({ error }).min(min, { error }).max(max, { error });
    return preprocess(toNumber, options.integer ? base.int({ error }) : base);
}
function textField(check, allowed) {
    return preprocess(trimString, string({ error: notAString })
        .refine(check, { error: (issue) => `${describeValue(issue.input)} is not ${allowed}.` }));
}
// Docker's reference grammar (distribution/reference), with the digest restricted to sha256.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`);
function isImageReference(value) {
    const match = IMAGE_REFERENCE.exec(value);
    return match !== null && (match[1]?.length ?? 0) <= 255;
}
function isHttpUrl(value) {
    if (!URL.canParse(value))
        return false;
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}
// No control characters (NUL, newlines, …) in paths and single-line values.
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are refused in paths and one-line values
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const isPath = (value) => value !== '' && !CONTROL_CHARACTER.test(value);
function isRepositoryPath(value) {
    if (!isPath(value) || value.startsWith('/') || /^[a-zA-Z]:/.test(value) || value.endsWith('/'))
        return false;
    return value.split(/[\\/]/).every((segment) => segment !== '..');
}
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RUNTIME_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** What the sandbox sets itself: the runner's values would be wrong inside (its PATH, its HOME). */
const SANDBOX_OWN_ENV = ['HOME', 'PATH', 'TMPDIR', 'CI', 'USER'];
const CREDENTIAL_PART = /(?:^|_)(?:TOKEN|KEY|SECRET|SECRETS|PASSWORD|PASSWD|PASS|PWD|CREDENTIAL|CREDENTIALS|AUTH|PAT|APIKEY|PRIVATE)(?:_|$)/i;
/** `GITHUB_TOKEN`, `ANTHROPIC_API_KEY`, `FOO_KEY`, `DB_PASSWORD_PROD`, `npmAuthToken`: never passed into the sandbox. */
function looksLikeCredentialName(name) {
    const snake = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2');
    return CREDENTIAL_PART.test(snake) || isCredentialName(name);
}
function isRepositoryGlob(value) {
    return isRepositoryPath(value.replace(/\/+$/, '') || '.') && !value.startsWith('!');
}
const MCP_SERVER_NAME = /^[a-z0-9][a-z0-9-_.]*$/;
const MODEL_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._\-/]*(?::[A-Za-z0-9._-]+)?$/;
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/;
const secretField = string({ error: 'expected text (value not shown).' });
const optionalText = preprocess(trimString, string({ error: notAString }).transform((value) => (value === '' ? undefined : value)));
/** One schema per input, keyed by input name. */
const INPUT_FIELDS = {
    [INPUT.githubToken]: secretField,
    [INPUT.configFile]: textField(isRepositoryPath, 'a path relative to the repository root (no "..", not absolute)'),
    [INPUT.scanners]: listOf(SCANNER_NAMES),
    [INPUT.rules]: preprocess(splitList, array(string({ error: notAString })
        .refine(isPath, { error: (issue) => `${describeValue(issue.input)} is not a path (control characters).` }), { error: (issue) => `expected a list of paths, got ${describeValue(issue.input)}.` })
        .transform(dedupe)),
    [INPUT.filterMode]: enumField(FILTER_MODES),
    [INPUT.failOn]: enumField(FAIL_ON_VALUES),
    [INPUT.failOnScanError]: booleanField(),
    [INPUT.maxComments]: numberField(0, 100, {
        integer: true,
        note: 'GitHub applies secondary rate limits to bots that post more than about 50 comments; the findings beyond the cap are summarized in the review body.',
    }),
    [INPUT.maxAnnotations]: numberField(0, 10_000, { integer: true }),
    [INPUT.reviewEvent]: enumField(REVIEW_EVENTS),
    [INPUT.mcpGateway]: enumField(MCP_GATEWAY_MODES),
    [INPUT.mcpGatewayImage]: textField(isImageReference, 'an image reference name[:tag][@sha256:<64 hex>]'),
    [INPUT.mcpServers]: preprocess(splitList, array(string({ error: notAString }).regex(MCP_SERVER_NAME, {
        error: (issue) => `${describeValue(issue.input)} is not a catalog server name ([a-z0-9][a-z0-9-_.]*).`,
    }), { error: (issue) => `expected a list of server names, got ${describeValue(issue.input)}.` })
        .transform(dedupe)),
    [INPUT.mcpAuditAllowHosts]: preprocess(splitList, array(string({ error: notAString }).superRefine((value, ctx) => {
        const parsed = parseHostPattern(value);
        if (typeof parsed === 'string')
            ctx.addIssue({ code: 'custom', message: `${describeValue(value)} ${parsed}.` });
    }), { error: (issue) => `expected a list of host names, *.suffix wildcards or CIDRs, got ${describeValue(issue.input)}.` })
        .transform((values) => dedupe(values.map((value) => value.trim().toLowerCase())))),
    [INPUT.testCommand]: optionalText,
    [INPUT.testSetupCommand]: optionalText,
    [INPUT.testImage]: textField(isImageReference, 'an image reference name[:tag][@sha256:<64 hex>]'),
    [INPUT.testTimeoutMinutes]: numberField(1, 360, { integer: false }),
    [INPUT.testSetupNetwork]: preprocess((value) => (typeof value === 'boolean' ? String(value) : trimString(value)), _enum(['true', 'false'], { error: (issue) => `${describeValue(issue.input)} is not true or false.` }).transform((value) => value === 'true')),
    [INPUT.testEnv]: preprocess(splitList, array(string({ error: notAString })
        .refine((name) => ENV_NAME.test(name), { error: (issue) => `${describeValue(issue.input)} is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*).` })
        .refine((name) => !SANDBOX_OWN_ENV.includes(name.toUpperCase()), {
        error: (issue) => `${describeValue(issue.input)} is set by the sandbox itself (${SANDBOX_OWN_ENV.join(', ')}): it cannot be passed in.`,
    })
        .refine((name) => !looksLikeCredentialName(name), {
        error: (issue) => `${describeValue(issue.input)} names a credential: tokens, keys, secrets and passwords never enter the sandbox, where the pull request's code runs.`,
    }), { error: (issue) => `expected a list of environment variable names, got ${describeValue(issue.input)}.` })
        .transform(dedupe)),
    [INPUT.testReport]: preprocess(splitList, array(string({ error: notAString }).refine(isRepositoryGlob, {
        error: (issue) => `${describeValue(issue.input)} is not a glob relative to the repository (no "..", not absolute).`,
    }), { error: (issue) => `expected a list of globs, got ${describeValue(issue.input)}.` })
        .transform(dedupe)),
    [INPUT.testMemoryMb]: numberField(256, 65536, { integer: true }),
    [INPUT.sandboxRuntime]: preprocess(trimString, string({ error: notAString })
        .refine((value) => value === '' || RUNTIME_NAME.test(value), {
        error: (issue) => `${describeValue(issue.input)} is not empty or a runtime name such as runsc.`,
    })
        .transform((value) => (value === '' ? undefined : value))),
    [INPUT.localModel]: preprocess(trimString, string({ error: notAString })
        .refine((value) => value === 'off' || MODEL_REFERENCE.test(value), {
        error: (issue) => `${describeValue(issue.input)} is not off or a model reference such as ai/llama3.2:1B-Q8_0.`,
    })
        .transform((value) => (value === 'off' ? undefined : value))),
    [INPUT.modelEndpoint]: textField(isHttpUrl, 'an http(s) URL').transform((value) => value.replace(/\/+$/, '')),
    [INPUT.draftTimeoutSeconds]: numberField(1, 3600, { integer: false }),
    [INPUT.modelRunnerImage]: textField(isImageReference, 'an image reference name[:tag][@sha256:<64 hex>]'),
    [INPUT.modelCacheDir]: preprocess(trimString, string({ error: notAString })
        .refine((value) => value === '' || isPath(value), { error: (issue) => `${describeValue(issue.input)} is not a folder path.` })
        .transform((value) => (value === '' ? undefined : value))),
    [INPUT.anthropicApiKey]: secretField.transform((value) => (value === '' ? undefined : value)),
    [INPUT.anthropicBaseUrl]: preprocess(trimString, string({ error: notAString })
        .refine((value) => value === '' || isHttpUrl(value), {
        error: (issue) => `${describeValue(issue.input)} is not empty or an http(s) URL.`,
    })
        .transform((value) => (value === '' ? undefined : value.replace(/\/+$/, '')))),
    [INPUT.claudeModel]: textField((value) => MODEL_ID.test(value), 'a model id such as claude-opus-4-5'),
    [INPUT.escalateOn]: enumField(ESCALATE_ON_VALUES),
    [INPUT.claudeMaxCalls]: numberField(0, 1000, { integer: true }),
    [INPUT.claudeMaxUsd]: numberField(0, 1000, { integer: false }),
    [INPUT.sarifFile]: textField(isPath, 'a file path'),
};
/** The whole configuration, keyed by input name; each field takes a raw value and gives the typed one. */
const configSchema = object(INPUT_FIELDS);
/** Any subset of the inputs (what one source sets). */
const partialConfigSchema = configSchema.partial();
const PATTERN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const LANGUAGE = /^[A-Za-z][A-Za-z0-9+#_-]*$/;
/** A required single line of text in a pattern: `what` names it in messages, `pattern` (optional) checks its form. */
function patternText(what, pattern) {
    const text = string({
        error: (issue) => issue.input === undefined ? `missing; give ${what}.` : `expected ${what}, got ${describeValue(issue.input)}.`,
    })
        .min(1, { error: `${what} is empty.` });
    const checked = pattern
        ? text.regex(pattern.regex, { error: (issue) => `${describeValue(issue.input)} is not ${pattern.allowed}.` })
        : text;
    return preprocess(trimString, checked);
}
const astGrepPatternSchema = strictObject({
    id: patternText('an id', { regex: PATTERN_ID, allowed: "an id (letters, digits, '.', '_', '-')" }),
    pattern: patternText('an ast-grep pattern'),
    language: patternText('a language', { regex: LANGUAGE, allowed: 'a language name such as typescript or python' }),
    message: patternText('a message'),
    severity: enumField(SEVERITIES),
}, {
    error: (issue) => issue.code === 'unrecognized_keys'
        ? `unknown key ${issue.keys.map((key) => `'${key}'`).join(', ')}; a pattern has id, pattern, language, message, severity.`
        : `expected a mapping with id, pattern, language, message, severity, got ${describeValue(issue.input)}.`,
});
/** The config file's `ast-grep:` section. */
const astGrepSectionSchema = strictObject({
    patterns: array(astGrepPatternSchema, {
        error: (issue) => `expected a list of patterns, got ${describeValue(issue.input)}.`,
    })
        .nullish()
        .transform((patterns) => patterns ?? []),
}, {
    error: (issue) => issue.code === 'unrecognized_keys'
        ? `unknown key ${issue.keys.map((key) => `'${key}'`).join(', ')}; the section has only 'patterns'.`
        : `expected a mapping with 'patterns', got ${describeValue(issue.input)}.`,
})
    .superRefine((section, ctx) => {
    const seen = new Set();
    section.patterns.forEach((pattern, index) => {
        if (seen.has(pattern.id)) {
            ctx.addIssue({ code: 'custom', path: ['patterns', index, 'id'], message: `duplicate id ${describeValue(pattern.id)}.` });
        }
        seen.add(pattern.id);
    });
});

/** Parses a config file's text; the YAML library loads only here, when a repository has a config file. */
async function parseConfigText(file) {
    const { parseConfigFile } = await import('./file.js');
    return parseConfigFile(file);
}
/** Reads every input from the environment exactly as @actions/core does: `INPUT_<NAME uppercased, spaces as _>`, trimmed. */
function readActionInputs(env = process.env) {
    const inputs = {};
    for (const name of INPUT_NAMES)
        inputs[name] = env[inputEnvName(name)]?.trim();
    return inputs;
}
/**
 * Whether the workflow set an input. GitHub passes an input left at its default as the default value, so an input counts as set
 * when its value is not empty and differs from the action.yml default (expanded or not). The cost: an input set explicitly to
 * its default value does not override the config file.
 */
function isUserSet(name, value, runnerTemp) {
    if (value === undefined || value.trim() === '')
        return false;
    const trimmed = value.trim();
    const defaultValue = DEFAULTS[name];
    return trimmed !== defaultValue && trimmed !== expandDefault(defaultValue, runnerTemp);
}
function expandDefault(value, runnerTemp) {
    return value.split(RUNNER_TEMP_EXPRESSION).join(runnerTemp).split(GITHUB_TOKEN_EXPRESSION).join('');
}
/** The config file path and whether the workflow chose it (then a missing file is an error, not "no config"). */
function configFileLocation(inputs) {
    const value = inputs[INPUT.configFile];
    const userSet = isUserSet(INPUT.configFile, value, tmpdir());
    const raw = userSet ? value : DEFAULTS[INPUT.configFile];
    const parsed = INPUT_FIELDS[INPUT.configFile].safeParse(raw);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `Invalid input '${INPUT.configFile}': ${issue.message}`);
        throw new ConfigurationError(problems.join('\n'));
    }
    return { path: parsed.data, userSet };
}
const CONFIG_FILE_SECTIONS = ['ast-grep'];
/**
 * Merges the action inputs, the config file and the defaults (in that order of precedence) into one validated `Config`.
 * Every problem of every source is collected and thrown together as one `ConfigurationError`, one problem per line.
 */
function resolveConfig(sources) {
    const runnerTemp = sources.runnerTemp ?? tmpdir();
    const problems = [];
    const inputValues = {};
    for (const [name, value] of Object.entries(sources.inputs)) {
        if (!isInputName(name)) {
            if (value?.trim())
                problems.push(unknownKeyMessage(name, `Unknown input '${name}'.`, INPUT_NAMES));
            continue;
        }
        if (isUserSet(name, value, runnerTemp))
            inputValues[name] = value.trim();
    }
    const fromInputs = validate(inputValues, (name) => `Invalid input '${name}'`, problems);
    let fromFile = {};
    let astGrepPatterns = [];
    if (sources.configFile) {
        const file = readConfigFile(sources.configFile, problems);
        const path = sources.configFile.path;
        fromFile = validate(file.values, (name) => `Invalid value for '${name}' in config file ${path}`, problems);
        astGrepPatterns = file.astGrepPatterns;
    }
    const defaults = configSchema.safeParse(Object.fromEntries(INPUT_NAMES.map((name) => [name, expandDefault(DEFAULTS[name], runnerTemp)])));
    if (!defaults.success)
        throw new Error(`Internal error: invalid input defaults: ${defaults.error.message}`);
    if (problems.length > 0)
        throw new ConfigurationError(redactSecrets(problems, sources.inputs).join('\n'));
    const origins = Object.fromEntries(INPUT_NAMES.map((name) => [
        name,
        name in fromInputs ? 'input' : name in fromFile ? 'config-file' : 'default',
    ]));
    const values = { ...defaults.data, ...fromFile, ...fromInputs };
    return toConfig(values, astGrepPatterns, origins);
}
function toConfig(values, astGrepPatterns, origins) {
    return {
        githubToken: values[INPUT.githubToken],
        configFile: values[INPUT.configFile],
        scanners: values[INPUT.scanners],
        rules: values[INPUT.rules],
        filterMode: values[INPUT.filterMode],
        failOn: values[INPUT.failOn],
        failOnScanError: values[INPUT.failOnScanError],
        maxComments: values[INPUT.maxComments],
        maxAnnotations: values[INPUT.maxAnnotations],
        reviewEvent: values[INPUT.reviewEvent],
        mcpGateway: values[INPUT.mcpGateway],
        mcpGatewayImage: values[INPUT.mcpGatewayImage],
        mcpServers: values[INPUT.mcpServers],
        mcpAuditAllowHosts: values[INPUT.mcpAuditAllowHosts],
        testCommand: values[INPUT.testCommand],
        testSetupCommand: values[INPUT.testSetupCommand],
        testImage: values[INPUT.testImage],
        testTimeoutMinutes: values[INPUT.testTimeoutMinutes],
        testSetupNetwork: values[INPUT.testSetupNetwork],
        testEnv: values[INPUT.testEnv],
        testReport: values[INPUT.testReport],
        testMemoryMb: values[INPUT.testMemoryMb],
        sandboxRuntime: values[INPUT.sandboxRuntime],
        localModel: values[INPUT.localModel],
        modelEndpoint: values[INPUT.modelEndpoint],
        draftTimeoutSeconds: values[INPUT.draftTimeoutSeconds],
        modelRunnerImage: values[INPUT.modelRunnerImage],
        modelCacheDir: values[INPUT.modelCacheDir],
        anthropicApiKey: values[INPUT.anthropicApiKey],
        anthropicBaseUrl: values[INPUT.anthropicBaseUrl],
        claudeModel: values[INPUT.claudeModel],
        escalateOn: values[INPUT.escalateOn],
        claudeMaxCalls: values[INPUT.claudeMaxCalls],
        claudeMaxUsd: values[INPUT.claudeMaxUsd],
        sarifFile: values[INPUT.sarifFile],
        astGrepPatterns,
        origins,
    };
}
function isInputName(name) {
    return INPUT_NAMES.includes(name);
}
/** Validates the values one source sets; adds a line per problem (the prefix names the source) and returns the valid ones. */
function validate(values, prefix, problems) {
    const result = partialConfigSchema.safeParse(values);
    if (result.success)
        return result.data;
    for (const issue of result.error.issues) {
        const name = issue.path[0];
        if (typeof name === 'string' && isInputName(name))
            problems.push(`${prefix(name)}: ${issue.message}`);
        else
            problems.push(issue.message);
    }
    return {};
}
/** Sorts the parsed config file's keys into input values and sections; problems are added to `problems`. */
function readConfigFile(file, problems) {
    const content = { values: {}, astGrepPatterns: [] };
    if (file.problems.length > 0) {
        problems.push(...file.problems);
        return content;
    }
    const data = file.data;
    if (data === null || data === undefined)
        return content;
    if (typeof data !== 'object' || Array.isArray(data)) {
        problems.push(`Invalid config file ${file.path}: expected a mapping of input names to values, got ${describeValue(data)}.`);
        return content;
    }
    const knownKeys = [...INPUT_NAMES.filter((name) => INPUT_SPECS[name].inConfigFile), ...CONFIG_FILE_SECTIONS];
    for (const [key, value] of Object.entries(data)) {
        if (key === 'ast-grep') {
            const section = astGrepSectionSchema.safeParse(value ?? {});
            if (section.success)
                content.astGrepPatterns = section.data.patterns;
            else
                problems.push(...section.error.issues.map((issue) => sectionProblem(file.path, key, issue)));
        }
        else if (!isInputName(key)) {
            problems.push(unknownKeyMessage(key, `Unknown key '${key}' in config file ${file.path}.`, knownKeys));
        }
        else if (!INPUT_SPECS[key].inConfigFile) {
            problems.push(notInConfigFileMessage(key, file.path));
        }
        else if (typeof value === 'string' && value.includes('${{')) {
            problems.push(`Invalid value for '${key}' in config file ${file.path}: GitHub expressions (\${{ … }}) are expanded only in workflow inputs, not in the config file.`);
        }
        else if (value !== null && !(typeof value === 'string' && value.trim() === '')) {
            content.values[key] = value;
        }
    }
    return content;
}
function sectionProblem(path, section, issue) {
    const where = issue.path.reduce((text, part) => (typeof part === 'number' ? `${text}[${part}]` : `${text}.${String(part)}`), section);
    return `Invalid value for '${where}' in config file ${path}: ${issue.message}`;
}
function notInConfigFileMessage(name, path) {
    if (INPUT_SPECS[name].secret) {
        return `'${name}' cannot be set in config file ${path}: a secret does not belong in a file committed to the repository. Pass it as the action input '${name}' from a secret (\${{ secrets.… }}); the value is not shown here.`;
    }
    return `'${name}' cannot be set in config file ${path}: it says where the config file is. Set the action input '${name}' instead.`;
}
function unknownKeyMessage(key, lead, knownKeys) {
    const suggestion = closestKey(key, knownKeys);
    const hint = suggestion ? ` Did you mean '${suggestion}'?` : '';
    return `${lead}${hint} Known keys: ${knownKeys.join(', ')}.`;
}
/** The known key nearest to a mistyped one (camelCase and snake_case spellings count as the kebab-case key), if close enough. */
function closestKey(key, knownKeys) {
    const normalized = key
        .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
        .replace(/[_\s]+/g, '-')
        .toLowerCase();
    let best;
    for (const known of knownKeys) {
        const distance = editDistance(normalized, known);
        if (!best || distance < best.distance)
            best = { key: known, distance };
    }
    if (!best)
        return undefined;
    return best.distance <= Math.max(2, Math.floor(best.key.length / 3)) ? best.key : undefined;
}
/** Levenshtein distance. */
function editDistance(a, b) {
    let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
    for (let i = 1; i <= a.length; i += 1) {
        const current = [i];
        for (let j = 1; j <= b.length; j += 1) {
            const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
            current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
        }
        previous = current;
    }
    return previous[b.length] ?? 0;
}
/** Belt and braces: no message may carry a secret input's value, whatever produced it. */
function redactSecrets(messages, inputs) {
    const secrets = SECRET_INPUTS.map((name) => inputs[name]?.trim() ?? '').filter((value) => value.length >= 4 && !value.includes('${{'));
    return messages.map((message) => secrets.reduce((text, secret) => text.split(secret).join('***'), message));
}

export { resolveConfig as a, resolveForConnect as b, configFileLocation as c, parseAllowHosts as d, decideAddress as e, parseConfigText as p, readActionInputs as r, systemResolver as s };
