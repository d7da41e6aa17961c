import { firstHiddenCharacter, revealHidden } from '../../text/hidden.js';
import { isCredentialName, REDACTED, redactSecrets } from '../../text/redact.js';
import { truncate } from '../../text/strings.js';
import type { Finding, Severity } from '../../types.js';
import type { DiscoveredConfig } from './discovery.js';
import { property, stringsIn, type LocatedNode } from './located.js';
import type { Located, McpServerEntry } from './model.js';
import { MCP_RULES, type McpStaticRule } from './static-rules.js';

/** A hit of one static rule: where, and what to say beyond the rule's message. */
interface Hit {
  rule: McpStaticRule;
  line: number;
  detail: string;
  severity?: Severity;
  column?: number;
}

/**
 * The static checks of one parsed configuration file: every server entry, every string in the file (prompt-injection markers), the
 * file's consent settings and its raw text (hidden characters). Findings sit at the field's line, else the entry's.
 */
export function staticFindings(config: DiscoveredConfig): Finding[] {
  const hits: Hit[] = [...hiddenCharacterHits(config.text)];
  const secrets = new Set<string>();
  if (config.parsed.ok) {
    for (const server of config.servers) hits.push(...serverHits(server, secrets));
    hits.push(...injectionHits(config.parsed.root, config.text));
    hits.push(...consentHits(config));
  }
  const lines = config.text.split('\n');
  return hits.map((hit) => toFinding(config.path, hit, lines, secrets));
}

function toFinding(path: string, hit: Hit, lines: readonly string[], secrets: ReadonlySet<string>): Finding {
  const source = (lines[hit.line - 1] ?? '').replace(/\r$/, '');
  return {
    ruleId: hit.rule.id,
    source: 'ramparts',
    severity: hit.severity ?? hit.rule.severity,
    path,
    startLine: hit.line,
    endLine: hit.line,
    ...(hit.column !== undefined && { startColumn: hit.column }),
    message: hideSecrets(`${hit.rule.message.replace(/\.$/, '')}: ${hit.detail}`, secrets),
    note: hit.rule.note,
    evidence: hideSecrets(revealHidden(truncate(source, 2000)), secrets),
    fingerprint: '',
  };
}

/** Known token shapes, then every literal value the secret check found (whatever its shape). */
function hideSecrets(text: string, secrets: ReadonlySet<string>): string {
  let out = redactSecrets(text);
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  return out;
}

const quote = (value: string): string => `\`${truncate(revealHidden(value).replace(/`/g, "'"), 120)}\``;

// ── per server ───────────────────────────────────────────────────────────────────────────────────────────────────────────────

function serverHits(server: McpServerEntry, secrets: Set<string>): Hit[] {
  const hits: Hit[] = [];
  const tokens = commandTokens(server);
  hits.push(...shellHits(server, tokens), ...runnerHits(server, tokens), ...httpHits(server), ...secretHits(server, secrets), ...approvalHits(server));
  return hits;
}

/** The command and its arguments; a command string with spaces and no args (`"bash -c …"`) is split at whitespace. */
function commandTokens(server: McpServerEntry): Located<string>[] {
  if (!server.command) return [];
  if (server.args.length === 0 && /\s/.test(server.command.value.trim())) {
    return server.command.value.trim().split(/\s+/).map((value) => ({ value, line: server.command!.line }));
  }
  return [server.command, ...server.args];
}

/** `/usr/bin/bash`, `C:\Windows\cmd.exe` → `bash`, `cmd`. */
function programName(token: string): string {
  return (token.split(/[\\/]/).pop() ?? token).toLowerCase().replace(/\.(exe|cmd|bat)$/, '');
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'fish', 'busybox']);
const POWERSHELLS = new Set(['powershell', 'pwsh']);

/** Whether `arg` is the inline-script flag of `program`; returns the flag's meaning for the message. */
function inlineFlag(program: string, arg: string): boolean {
  if (SHELLS.has(program)) return /^-[a-z]*c[a-z]*$/.test(arg) && !arg.startsWith('--');
  if (program === 'cmd') return /^\/[ck]$/i.test(arg);
  if (POWERSHELLS.has(program)) return /^-(c|co|com|comm|comma|comman|command|e|ec|enc|encodedcommand)$/i.test(arg);
  if (program === 'node' || program === 'bun') return ['-e', '--eval', '-p', '--print'].includes(arg);
  if (/^python(\d+(\.\d+)?)?$/.test(program)) return arg === '-c';
  if (program === 'perl' || program === 'ruby') return arg === '-e' || arg === '-E';
  if (program === 'deno') return arg === 'eval';
  return false;
}

function shellHits(server: McpServerEntry, tokens: readonly Located<string>[]): Hit[] {
  const hits: Hit[] = [];
  // A wrapper (`cmd /c bash -c …`, `env FOO=1 sh -c …`) may come first: every program position is looked at.
  for (let i = 0; i < tokens.length - 1; i++) {
    const program = programName(tokens[i]!.value);
    const flag = tokens[i + 1]!;
    if (!inlineFlag(program, flag.value)) continue;
    const script = tokens[i + 2];
    hits.push({
      rule: MCP_RULES.shellInline,
      line: (script ?? flag).line,
      detail: `server ${quote(server.name)} runs ${quote(`${program} ${flag.value}`)}${script ? ` with ${quote(script.value)}` : ''}.`,
    });
    break;
  }
  return hits;
}

// ── package runners and images ──────────────────────────────────────────────────────────────────────────────────────────────

const EXACT_NPM_VERSION = /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/;

/** `pkg`, `@scope/pkg@1.2.3`, `pkg@latest` → the version part, or undefined. */
function npmVersion(spec: string): string | undefined {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at === -1 ? undefined : spec.slice(at + 1);
}

/** A spec that is not a registry package: a local path, a tarball URL, or a git source pinned to a commit. */
function notRegistry(spec: string): boolean {
  return /^(\.{0,2}\/|[A-Za-z]:\\|file:|~\/)/.test(spec) || /#[0-9a-f]{40}$/.test(spec) || /@[0-9a-f]{40}$/.test(spec);
}

interface Runner {
  /** Index of the first argument after the runner's own words (`npx`, `npm exec`, `uv tool run`). */
  argsFrom: number;
  ecosystem: 'npm' | 'python';
  label: string;
}

function runnerAt(tokens: readonly Located<string>[], i: number): Runner | undefined {
  const program = programName(tokens[i]!.value);
  const next = tokens[i + 1]?.value;
  if (program === 'npx' || program === 'bunx') return { argsFrom: i + 1, ecosystem: 'npm', label: program };
  if ((program === 'npm' && (next === 'exec' || next === 'x')) || ((program === 'pnpm' || program === 'yarn' || program === 'bun') && (next === 'dlx' || next === 'x'))) {
    return { argsFrom: i + 2, ecosystem: 'npm', label: `${program} ${next}` };
  }
  if (program === 'uvx') return { argsFrom: i + 1, ecosystem: 'python', label: 'uvx' };
  if (program === 'uv' && next === 'tool' && tokens[i + 2]?.value === 'run') return { argsFrom: i + 3, ecosystem: 'python', label: 'uv tool run' };
  if (program === 'pipx' && next === 'run') return { argsFrom: i + 2, ecosystem: 'python', label: 'pipx run' };
  return undefined;
}

/** Runner options that take a value; the package may be named by `--package`/`-p` (npm) or `--from`/`--spec` (python). */
const NPM_VALUE_OPTIONS = new Set(['-p', '--package', '-c', '--call', '--registry', '--cache', '--userconfig', '-w', '--workspace']);
const PY_VALUE_OPTIONS = new Set(['--from', '--spec', '--with', '-w', '--python', '-p', '--index-url', '-i', '--extra-index-url', '--index', '--pip-args', '--with-requirements', '--constraint', '-c']);

function packageSpec(tokens: readonly Located<string>[], runner: Runner): Located<string> | undefined {
  const valueOptions = runner.ecosystem === 'npm' ? NPM_VALUE_OPTIONS : PY_VALUE_OPTIONS;
  const named = runner.ecosystem === 'npm' ? ['-p', '--package'] : ['--from', '--spec'];
  for (let i = runner.argsFrom; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.value === '--') return tokens[i + 1];
    const eq = token.value.indexOf('=');
    const option = token.value.startsWith('-') ? (eq === -1 ? token.value : token.value.slice(0, eq)) : undefined;
    if (option === undefined) return token;
    if (named.includes(option)) return eq === -1 ? tokens[i + 1] : { value: token.value.slice(eq + 1), line: token.line };
    if (valueOptions.has(option) && eq === -1) i++;
  }
  return undefined;
}

function pinned(spec: string, ecosystem: Runner['ecosystem']): boolean {
  if (notRegistry(spec)) return true;
  if (ecosystem === 'python') {
    if (/===?\s*[0-9][^,;<>=!~*]*$/.test(spec) && !spec.includes('*')) return true;
    const version = /@([^@/]+)$/.exec(spec)?.[1];
    return version !== undefined && EXACT_NPM_VERSION.test(version);
  }
  const version = npmVersion(spec);
  return version !== undefined && EXACT_NPM_VERSION.test(version);
}

function runnerHits(server: McpServerEntry, tokens: readonly Located<string>[]): Hit[] {
  for (let i = 0; i < tokens.length; i++) {
    const program = programName(tokens[i]!.value);
    if ((program === 'docker' || program === 'podman') && tokens[i + 1]?.value === 'run') return dockerHits(server, tokens, i + 2);
    const runner = runnerAt(tokens, i);
    if (!runner) continue;
    const spec = packageSpec(tokens, runner);
    if (!spec || pinned(spec.value, runner.ecosystem)) return [];
    const version = runner.ecosystem === 'npm' ? npmVersion(spec.value) : undefined;
    const why = version === undefined || version === '' ? 'no version' : `version ${quote(version)}, not an exact one`;
    return [{ rule: MCP_RULES.unpinnedPackage, line: spec.line, detail: `server ${quote(server.name)} runs ${quote(`${runner.label} ${spec.value}`)} (${why}).` }];
  }
  return [];
}

/** `docker run` options that take a value (the next argument, unless written `--opt=value`). */
const DOCKER_VALUE_OPTIONS = new Set(
  ('-a --attach --add-host --annotation --blkio-weight --cap-add --cap-drop --cgroup-parent --cgroupns --cidfile --cpu-period ' +
    '--cpu-quota --cpu-shares -c --cpus --cpuset-cpus --cpuset-mems --device --device-cgroup-rule --dns --dns-option --dns-search ' +
    '--domainname --entrypoint -e --env --env-file --expose --gpus --group-add --health-cmd --health-interval --health-retries ' +
    '--health-start-period --health-timeout -h --hostname --ip --ip6 --ipc --isolation --kernel-memory -l --label --label-file ' +
    '--link --log-driver --log-opt --mac-address -m --memory --memory-reservation --memory-swap --memory-swappiness --mount ' +
    '--name --network --net --network-alias --oom-score-adj --pid --pids-limit --platform -p --publish --pull --restart --runtime ' +
    '--security-opt --shm-size --stop-signal --stop-timeout --storage-opt --sysctl --tmpfs --ulimit -u --user --userns --uts ' +
    '-v --volume --volume-driver --volumes-from -w --workdir')
    .split(/\s+/),
);

function dockerHits(server: McpServerEntry, tokens: readonly Located<string>[], from: number): Hit[] {
  const hits: Hit[] = [];
  const name = quote(server.name);
  const host = (line: number, what: string, severity: Severity = 'high'): void => {
    hits.push({ rule: MCP_RULES.dockerHostAccess, line, severity, detail: `server ${name} runs a container ${what}.` });
  };
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!token.value.startsWith('-') || token.value === '-') {
      hits.push(...imageHits(server, token));
      break;
    }
    const eq = token.value.indexOf('=');
    const option = eq === -1 ? token.value : token.value.slice(0, eq);
    let value: Located<string> | undefined;
    if (eq !== -1) value = { value: token.value.slice(eq + 1), line: token.line };
    else if (DOCKER_VALUE_OPTIONS.has(option)) value = tokens[++i];
    if (option === '--privileged' && value?.value !== 'false') host(token.line, 'privileged (`--privileged`)', 'critical');
    if ((option === '--pid' || option === '--network' || option === '--net' || option === '--ipc' || option === '--uts' || option === '--userns') && value?.value === 'host') {
      host(value.line, `in the host's ${option === '--pid' ? 'process' : option.slice(2)} namespace (${quote(`${option}=host`)})`);
    }
    if (option === '--cap-add' && value && /^(all|sys_admin|cap_sys_admin)$/i.test(value.value)) host(value.line, `with ${quote(`--cap-add=${value.value}`)}`, 'critical');
    if ((option === '-v' || option === '--volume' || option === '--mount') && value) {
      const source = option === '--mount' ? /(?:^|,)(?:source|src)=([^,]+)/.exec(value.value)?.[1] : value.value.split(':')[0];
      const problem = source === undefined ? undefined : hostMountProblem(source);
      if (problem) host(value.line, `with ${problem} mounted (${quote(value.value)})`, problem === 'the Docker socket' || problem === 'the host root' ? 'critical' : 'high');
    }
  }
  return hits;
}

function hostMountProblem(source: string): string | undefined {
  const path = source.replace(/\/+$/, '') || '/';
  if (/(^|\/)docker\.sock$/.test(path) || path === '/var/run/docker' || path === '//./pipe/docker_engine') return 'the Docker socket';
  if (path === '/' || /^[A-Za-z]:\\?$/.test(path)) return 'the host root';
  if (/(^|\/)\.(ssh|aws|gnupg|kube|docker|azure|config\/gcloud)(\/|$)/.test(path)) return 'a credential folder';
  if (/^(~|\$HOME|\$\{HOME\}|%USERPROFILE%|\/root|\/home(\/[^/]+)?|\/Users(\/[^/]+)?)$/.test(path)) return 'the home folder';
  return undefined;
}

function imageHits(server: McpServerEntry, image: Located<string>): Hit[] {
  if (/@sha256:[0-9a-f]{64}$/.test(image.value)) return [];
  const lastSegment = image.value.slice(image.value.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : undefined;
  if (tag !== undefined && tag !== '' && tag !== 'latest') return [];
  const why = tag === 'latest' ? 'the `latest` tag' : 'no tag';
  return [{ rule: MCP_RULES.unpinnedImage, line: image.line, detail: `server ${quote(server.name)} runs image ${quote(image.value)} (${why}).` }];
}

// ── remote addresses ─────────────────────────────────────────────────────────────────────────────────────────────────────────

function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare.endsWith('.localhost') || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

function httpHits(server: McpServerEntry): Hit[] {
  const candidates = [...(server.url ? [server.url] : []), ...server.args.filter((arg) => /^http:\/\//i.test(arg.value))];
  return candidates.flatMap((candidate) => {
    const match = /^http:\/\/(?:[^@/]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(candidate.value.trim());
    if (!match || isLoopbackHost(match[1] ?? '')) return [];
    return [{ rule: MCP_RULES.insecureHttp, line: candidate.line, detail: `server ${quote(server.name)} connects to ${quote(candidate.value)}.` }];
  });
}

// ── secrets ───────────────────────────────────────────────────────────────────────────────────────────────────────────────────

/** `${env:X}`, `${input:x}`, `${X}`, `$X`, `{env:X}`, `{file:…}` (opencode), `%X%`. */
const REFERENCE = /\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\{(?:env|file):[^}]*\}|%[A-Za-z_][A-Za-z0-9_]*%/g;
const SCHEMES = /^(bearer|basic|token|apikey|api-key)\s+/i;
const PLACEHOLDER = /^(<[^>]*>|\[[^\]]*\]|x{3,}|\*{3,}|\.{3,}|your[-_ ].*|.*[-_ ]here|changeme|change[-_]me|placeholder|example|dummy|test|todo|none|null|redacted|replace[-_ ].*|<redacted>)$/i;

/** The literal part of a value, or undefined when it is only references (and an auth scheme word). */
function literalPart(value: string): string | undefined {
  const rest = value.trim().replace(SCHEMES, '').replace(REFERENCE, '').trim();
  return rest === '' ? undefined : rest;
}

/** A credential-named field holding something that is neither a reference nor a placeholder; or any value of a known token shape. */
function literalSecret(name: string, value: string): string | undefined {
  const literal = literalPart(value);
  if (literal === undefined || value.includes(REDACTED)) return undefined;
  if (redactSecrets(value) !== value) return literal;
  const credentialName = isCredentialName(name) || /^(authorization|x-api-key|api-key|x-auth-token|cookie)$/i.test(name);
  if (!credentialName || literal.length < 8 || PLACEHOLDER.test(literal) || /^(true|false|\d+)$/i.test(literal)) return undefined;
  return literal;
}

function secretHits(server: McpServerEntry, secrets: Set<string>): Hit[] {
  const hits: Hit[] = [];
  const check = (where: string, name: string, field: Located<string>): void => {
    const secret = literalSecret(name, field.value);
    if (secret === undefined) return;
    secrets.add(secret);
    hits.push({ rule: MCP_RULES.literalSecret, line: field.line, detail: `server ${quote(server.name)} sets ${where} ${quote(name)} to a literal value.` });
  };
  for (const [name, field] of Object.entries(server.env)) check('environment variable', name, field);
  for (const [name, field] of Object.entries(server.headers)) check('header', name, field);
  // Arguments: `--api-key=…`, `--token …`, or any argument of a known token shape.
  server.args.forEach((arg, index) => {
    const flag = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/.exec(arg.value);
    if (flag?.[2] !== undefined) check('argument', flag[1]!, { value: flag[2], line: arg.line });
    else if (flag && isCredentialName(flag[1]!) && server.args[index + 1] && !server.args[index + 1]!.value.startsWith('-')) check('argument', flag[1]!, server.args[index + 1]!);
    else if (!flag && redactSecrets(arg.value) !== arg.value && literalPart(arg.value) !== undefined) check('argument', `#${index + 1}`, arg);
  });
  if (server.url && redactSecrets(server.url.value) !== server.url.value) check('address', 'url', server.url);
  return hits;
}

// ── consent ───────────────────────────────────────────────────────────────────────────────────────────────────────────────────

function isTruthy(value: unknown): boolean {
  return value === true || value === 'true';
}

function approvalHits(server: McpServerEntry): Hit[] {
  const hits: Hit[] = [];
  const name = quote(server.name);
  for (const key of ['autoApprove', 'alwaysAllow', 'auto_approve', 'autoApproveTools']) {
    const field = server.extra[key];
    if (!field) continue;
    const list = Array.isArray(field.value) ? field.value : [];
    if (isTruthy(field.value) || list.includes('*')) hits.push({ rule: MCP_RULES.autoApprove, line: field.line, detail: `server ${name} approves every tool call (${quote(key)}).` });
    else if (list.length > 0) {
      hits.push({ rule: MCP_RULES.autoApprove, line: field.line, severity: 'medium', detail: `server ${name} approves ${list.length} tool(s) without asking (${quote(key)}).` });
    }
  }
  const trust = server.extra.trust;
  if (trust && isTruthy(trust.value)) hits.push({ rule: MCP_RULES.autoApprove, line: trust.line, detail: `server ${name} is trusted: its tool calls are not confirmed (\`trust: true\`).` });
  return hits;
}

/** File-level consent settings: Claude Code's project servers, Codex's approval policy, VS Code's tool auto-approval. */
function consentHits(config: DiscoveredConfig): Hit[] {
  if (!config.parsed.ok) return [];
  const root = config.parsed.root;
  const hits: Hit[] = [];
  const flag = (key: string, what: string): void => {
    const field = property(root, key);
    if (field?.value.kind === 'scalar' && isTruthy(field.value.value)) hits.push({ rule: MCP_RULES.autoApprove, line: field.line, detail: what });
  };
  flag('enableAllProjectMcpServers', 'every server of the project `.mcp.json` is enabled without asking (`enableAllProjectMcpServers`).');
  flag('chat.tools.autoApprove', 'every tool call is approved without asking (`chat.tools.autoApprove`).');
  const policies = [property(root, 'approval_policy'), ...(property(root, 'profiles')?.value.kind === 'object' ? (property(root, 'profiles')!.value as { entries: { value: LocatedNode }[] }).entries.map((p) => property(p.value, 'approval_policy')) : [])];
  for (const policy of policies) {
    if (policy?.value.kind === 'scalar' && policy.value.value === 'never') {
      hits.push({ rule: MCP_RULES.autoApprove, line: policy.line, detail: 'commands and tool calls run without asking (`approval_policy = "never"`).' });
    }
  }
  return hits;
}

// ── the whole file ────────────────────────────────────────────────────────────────────────────────────────────────────────────

function hiddenCharacterHits(text: string): Hit[] {
  const hits: Hit[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const first = firstHiddenCharacter(line);
    if (!first) return;
    hits.push({ rule: MCP_RULES.hiddenUnicode, line: index + 1, column: first.column, detail: `${first.code} (and any others on this line) is not shown by editors.` });
  });
  return hits;
}

const INJECTION_MARKERS: readonly RegExp[] = [
  /<\/?\s*(important|system|instructions?|secret|hidden)\s*>/i,
  /\b(ignore|disregard|forget)\s+(all\s+|any\s+)?(the\s+)?(previous|prior|above|earlier|preceding)\s+(instructions|prompts?|rules|messages)/i,
  /\b(do\s+not|don['’]t|never)\s+(tell|inform|mention\s+(this\s+)?to|alert|notify|reveal\s+(this\s+)?to)\s+the\s+user/i,
  /\bwithout\s+(telling|informing|notifying|asking)\s+the\s+user/i,
  /\b(this\s+is\s+)?(very\s+)?important\s*:\s*(you\s+must|always|before)/i,
];

function injectionHits(root: LocatedNode, text: string): Hit[] {
  const lines = text.split('\n');
  const hits: Hit[] = [];
  const seen = new Set<number>();
  for (const scalar of stringsIn(root)) {
    const marker = INJECTION_MARKERS.map((re) => re.exec(scalar.value)?.[0]).find((m) => m !== undefined);
    if (marker === undefined) continue;
    // The exact line inside a multi-line string: the first of its lines that holds the marker.
    let line = scalar.line;
    for (let l = scalar.line; l <= scalar.endLine; l++) if (INJECTION_MARKERS.some((re) => re.test(lines[l - 1] ?? ''))) { line = l; break; }
    if (seen.has(line)) continue;
    seen.add(line);
    hits.push({ rule: MCP_RULES.promptInjection, line, detail: `${quote(marker)}.` });
  }
  return hits;
}
