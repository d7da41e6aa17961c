import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { d as distExports } from './index.js';
import { C as ConfigurationError, g as getErrorMessage, E as ExternalServiceError } from './errors.js';
import { T as TOOL } from './types.js';
import { G as GatewayStartError, a as GatewayError, b as GatewayTransportError, T as ToolMissingError, c as ToolCallError, d as ToolTimeoutError } from './gateway-errors.js';
import { DockerUnavailableError, COMPONENT_LABEL } from './docker-engine.js';

/** The error an aborted wait rejects with: the signal's reason when it is an Error, else a plain "aborted". */
function abortReason(signal) {
    const reason = signal?.reason;
    return reason instanceof Error ? reason : new Error('aborted');
}
/** Waits `ms`; rejects with `abortReason` as soon as `signal` aborts. */
function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(abortReason(signal));
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(abortReason(signal));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}

/**
 * The Docker MCP Gateway (DESIGN §5): one container per run, started from `mcp-gateway-image` with the engine's socket, published
 * on 127.0.0.1 only, guarded by a random per-run token; the official MCP SDK client talks to it. The rest of the pipeline sees a
 * `GatewayHandle`: the tool list, `callTool` with per-call timeouts and typed errors, and `close`.
 *
 * Nothing here knows which image it starts: the tests start a stand-in image through this same code, only the reference differs.
 */
/** The gateway's own port inside its container (its default). */
const GATEWAY_PORT = 8811;
/** Inside the gateway container, where the engine's socket is mounted (the gateway starts the servers through it). */
const CONTAINER_SOCKET = '/var/run/docker.sock';
const CLIENT_INFO = { name: TOOL.name, version: TOOL.version };
const DEFAULTS = {
    healthTimeoutMs: 60_000,
    callTimeoutMs: 60_000,
    connectTimeoutMs: 15_000,
    serverLimits: { cpus: 1, memory: '1Gb' },
};
/** The gateway container itself: it only relays; the servers get their own limits through the gateway. */
const GATEWAY_LIMITS = { cpus: 1, memoryBytes: 512 * 1024 * 1024, pids: 512 };
const LOG_LINES_KEPT = 2000;
/** Waits for `work`, but not longer than `ms` (its outcome is then ignored); leaves no timer behind. */
async function within(work, ms) {
    let timer;
    try {
        await Promise.race([work.then(() => undefined, () => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    }
    finally {
        clearTimeout(timer);
    }
}
/** Keeps the last lines of the gateway's log: for errors (the tail) and for the log group printed at the end. */
class LogTail {
    max;
    lines = [];
    dropped = 0;
    constructor(max = LOG_LINES_KEPT) {
        this.max = max;
    }
    add(line) {
        this.lines.push(line);
        if (this.lines.length > this.max) {
            this.lines.shift();
            this.dropped++;
        }
    }
    all() {
        return this.lines;
    }
    tail(count) {
        return this.lines.slice(-count).join('\n');
    }
}
/** Why a wait ended without a 200; `lastAnswer` says what `/health` said last ("HTTP 503", "connection refused", …). */
class HealthTimeoutError extends GatewayStartError {
    timeoutMs;
    lastAnswer;
    attempts;
    constructor(timeoutMs, lastAnswer, attempts) {
        super(`The MCP gateway was not healthy within ${timeoutMs} ms (${attempts} probe(s) of /health; last answer: ${lastAnswer}).`);
        this.timeoutMs = timeoutMs;
        this.lastAnswer = lastAnswer;
        this.attempts = attempts;
    }
}
/** The container stopped while the wait was on; `detail` says how (exit code, …), `lastAnswer` what the health URL said last. */
class ContainerStoppedError extends GatewayStartError {
    detail;
    lastAnswer;
    constructor(detail, lastAnswer) {
        super(`The MCP gateway container stopped before it was healthy (${detail}); last answer of /health: ${lastAnswer}.`);
        this.detail = detail;
        this.lastAnswer = lastAnswer;
    }
}
const MIN_PROBE_MS = 500;
/**
 * Polls `/health` until it answers 200, with exponential backoff (×2 from `initialDelayMs`, capped at `maxDelayMs`), never sleeping past
 * `timeoutMs`: the last sleep is shortened to end at the deadline, where one last probe is made (so the wait ends by
 * `timeoutMs` plus one short probe).
 */
async function waitForHealth(deps, options) {
    const started = deps.now();
    const deadline = started + options.timeoutMs;
    // Short steps: a gateway is healthy within seconds, and every step of overshoot is start-up time lost.
    const maxDelay = options.maxDelayMs ?? 250;
    let delay = options.initialDelayMs ?? 50;
    let attempts = 0;
    let lastAnswer;
    const delays = [];
    for (;;) {
        if (options.signal?.aborted)
            throw abortReason(options.signal);
        attempts++;
        const left = deadline - deps.now();
        try {
            // At least MIN_PROBE_MS even at the deadline: a last probe cut to 1 ms would only ever report "no answer in time".
            const status = await deps.probe(Math.max(MIN_PROBE_MS, Math.min(options.probeTimeoutMs ?? 2_000, left)));
            if (status === 200)
                return { attempts, elapsedMs: deps.now() - started, delays };
            lastAnswer = `HTTP ${status}`;
        }
        catch (error) {
            lastAnswer = describeConnectionError(error);
        }
        if (deps.containerState) {
            const state = await deps.containerState();
            if (!state.running)
                throw new ContainerStoppedError(state.detail, lastAnswer);
        }
        const remaining = deadline - deps.now();
        if (remaining <= 0)
            throw new HealthTimeoutError(options.timeoutMs, lastAnswer, attempts);
        const pause = Math.min(delay, remaining);
        delays.push(pause);
        await deps.sleep(pause, options.signal);
        delay = Math.min(delay * 2, maxDelay);
    }
}
/**
 * node:http rather than fetch: while the container is starting, the engine's port proxy accepts the connection and resets it, and
 * fetch (undici) then waits out its whole timeout instead of failing; node:http reports ECONNRESET at once.
 */
function probeHealthOverHttp(url, timeoutMs) {
    return new Promise((resolve, reject) => {
        const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
        });
        req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
        req.on('error', reject);
    });
}
function describeConnectionError(error) {
    const cause = error?.cause;
    const code = cause?.code ?? error?.code;
    if (code === 'ECONNREFUSED')
        return 'connection refused';
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')
        return 'connection reset';
    if (code === 'ETIMEDOUT')
        return 'no answer in time';
    if (error?.name === 'TimeoutError' || error?.name === 'AbortError')
        return 'no answer in time';
    return getErrorMessage(error);
}
// ── start ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
/** The gateway's command line. Signature verification stays on: no flag here may turn it off. */
function gatewayCommand(input) {
    return [
        '--transport=streaming',
        `--port=${GATEWAY_PORT}`,
        `--servers=${input.servers.join(',')}`,
        `--config=${input.configPath}`,
        `--cpus=${input.serverLimits.cpus}`,
        `--memory=${input.serverLimits.memory}`,
    ];
}
/** The gateway's `--config`: per-server settings. The ast-grep server reads (only) the change's head files. */
function gatewayConfigYaml(workDir) {
    return distExports.stringify({ 'ast-grep': { path: workDir } });
}
/**
 * Starts the gateway and connects to it. On any failure after the container exists, the container and its network are removed
 * before the error is thrown; the error names the cause (and carries the gateway's last log lines when they say why).
 */
async function startGateway(engine, options) {
    const { logger } = options;
    const now = options.now ?? Date.now;
    const sleep$1 = options.sleep ?? sleep;
    const probeHealth = options.probeHealth ?? probeHealthOverHttp;
    const started = now();
    const timings = { pullMs: 0, healthyMs: 0, connectMs: 0, totalMs: 0 };
    if (!engine.socketPath) {
        throw new GatewayStartError(`The MCP gateway needs the Docker engine's unix socket; the engine at ${engine.host} is not reached through one.`);
    }
    // 1. The image.
    if (!(await engine.imageExists(options.image))) {
        const pullStarted = now();
        logger.info(`Pulling ${options.image}…`);
        try {
            await engine.pullImage(options.image, pullProgressLogger(logger, { now }), options.signal);
        }
        catch (error) {
            throw new GatewayStartError(`The MCP gateway image ${options.image} is missing and could not be pulled: ${getErrorMessage(error)}`, { cause: error });
        }
        timings.pullMs = now() - pullStarted;
        logger.info(`Pulled ${options.image} in ${timings.pullMs} ms.`);
    }
    // 2. Token and config.
    const token = randomBytes(32).toString('base64url');
    options.onMask?.(token);
    logger.mask(token);
    const configDir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'mcp-gateway-'));
    const configPath = join(configDir, 'gateway-config.yaml');
    await writeFile(configPath, gatewayConfigYaml(options.workDir));
    const resources = new GatewayResources(engine, logger, configDir);
    const logTail = new LogTail();
    try {
        // 3. Network and container.
        const labels = { [COMPONENT_LABEL]: 'mcp-gateway' };
        resources.networkId = await engine.createNetwork(`ultra-create-${options.runId}-mcp`, labels);
        resources.containerId = await engine.createContainer({
            name: `ultra-create-${options.runId}-mcp-gateway`,
            image: options.image,
            cmd: gatewayCommand({ servers: options.servers, configPath, serverLimits: options.serverLimits ?? DEFAULTS.serverLimits }),
            env: {
                MCP_GATEWAY_AUTH_TOKEN: token,
                // Host folders may be mounted into servers only from /tmp or from these paths; RUNNER_TEMP is not under /tmp.
                MCP_GATEWAY_DOCKER_BIND_ALLOWED_PATHS: options.workDir,
            },
            binds: [
                { hostPath: engine.socketPath, containerPath: CONTAINER_SOCKET, readOnly: false },
                { hostPath: options.workDir, containerPath: options.workDir, readOnly: true },
                { hostPath: configPath, containerPath: configPath, readOnly: true },
            ],
            labels,
            publishPorts: [GATEWAY_PORT],
            limits: GATEWAY_LIMITS,
            network: resources.networkId,
            securityOpt: ['no-new-privileges'],
        });
        const containerId = resources.containerId;
        await engine.startContainer(containerId);
        resources.followLogs(containerId, (line) => {
            logTail.add(line);
            logger.debug(`mcp-gateway: ${line}`);
        });
        const state = await engine.inspectContainer(containerId);
        if (!state.running) {
            await resources.settleLogs(1_000);
            throw new GatewayStartError(`The MCP gateway container stopped before it was healthy (${describeExit(state)}).${logExcerpt(logTail)}`);
        }
        const published = state.ports[`${GATEWAY_PORT}/tcp`];
        if (!published) {
            throw new GatewayStartError(`The MCP gateway container publishes no port for ${GATEWAY_PORT}/tcp (state: ${state.status}${state.error ? `, ${state.error}` : ''}).`);
        }
        // Always the loopback address: the port is bound there only.
        const url = `http://127.0.0.1:${published.hostPort}`;
        logger.info(`MCP gateway container ${state.name} started from ${options.image}, published on ${url} (servers: ${options.servers.join(', ')}).`);
        // 4. Health.
        try {
            const health = await waitForHealth({
                probe: (timeoutMs) => probeHealth(`${url}/health`, timeoutMs),
                containerState: async () => {
                    const s = await engine.inspectContainer(containerId);
                    return { running: s.running, detail: describeExit(s) };
                },
                now,
                sleep: sleep$1,
            }, { timeoutMs: options.healthTimeoutMs ?? DEFAULTS.healthTimeoutMs, signal: options.signal });
            timings.healthyMs = now() - started;
            logger.info(`MCP gateway healthy after ${timings.healthyMs} ms (${health.attempts} probe(s) of /health).`);
        }
        catch (error) {
            if (error instanceof GatewayStartError) {
                // A container that stopped may still have its last words in the stream; a running one has logged what it has.
                if (!(error instanceof HealthTimeoutError))
                    await resources.settleLogs(1_000);
                throw new GatewayStartError(`${error.message}${logExcerpt(logTail)}`, { cause: error });
            }
            throw error;
        }
        // 5. Client.
        const connectStarted = now();
        const connected = await connectGatewayClient(url, token, options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs, logger);
        resources.client = connected.client;
        const tools = await listAllTools(connected.client, options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs).catch((error) => {
            throw new GatewayStartError(`The MCP gateway did not list its tools: ${getErrorMessage(error)}`, { cause: error });
        });
        timings.connectMs = now() - connectStarted;
        timings.totalMs = now() - started;
        logger.info(`MCP gateway: ${tools.length} tool(s) over ${connected.transport} in ${timings.connectMs} ms: ${tools.map((t) => t.name).join(', ') || 'none'}.`);
        return new RunningGateway({
            url,
            containerId,
            transport: connected.transport,
            client: connected.client,
            tools,
            timings,
            engine,
            resources,
            logTail,
            logger,
            callTimeoutMs: options.callTimeoutMs ?? DEFAULTS.callTimeoutMs,
        });
    }
    catch (error) {
        await resources.dispose({ printLog: undefined });
        if (error instanceof GatewayError || (options.signal?.aborted && error === options.signal.reason))
            throw error;
        throw new GatewayStartError(`The MCP gateway could not start: ${getErrorMessage(error)}${logExcerpt(logTail)}`, { cause: error });
    }
}
function logExcerpt(logTail) {
    const tail = logTail.tail(20);
    return tail ? `\nLast lines of the gateway's log:\n${tail}` : '';
}
function describeExit(state) {
    const parts = [state.status, `exit code ${state.exitCode}`];
    if (state.oomKilled)
        parts.push('killed for lack of memory');
    if (state.error)
        parts.push(state.error);
    return parts.join(', ');
}
/** Pull progress for a log: one line per layer step, download progress at most every 5 s. */
/**
 * Image pull progress for the log: one line per status change of each layer, byte progress at most once per `intervalMs` (default
 * 5 s). Shared by every image this action pulls.
 */
function pullProgressLogger(logger, options = {}) {
    const now = options.now ?? Date.now;
    const intervalMs = options.intervalMs ?? 5_000;
    const lastStatus = new Map();
    let lastProgressLine = 0;
    return (progress) => {
        const key = progress.id ?? '';
        if (progress.status === 'Downloading' || progress.status === 'Extracting') {
            if (now() - lastProgressLine < intervalMs || !progress.total)
                return;
            lastProgressLine = now();
            const percent = Math.floor(((progress.current ?? 0) / progress.total) * 100);
            logger.info(`  ${key}: ${progress.status} ${percent}% of ${(progress.total / 1e6).toFixed(1)} MB`);
            return;
        }
        if (lastStatus.get(key) === progress.status)
            return;
        lastStatus.set(key, progress.status);
        logger.info(key ? `  ${key}: ${progress.status}` : `  ${progress.status}`);
    };
}
/** The HTTP status an SDK transport error carries (StreamableHTTPError and SseError have `code`). */
function httpCodeOf(error) {
    const code = error?.code;
    if (typeof code === 'number' && code >= 100 && code < 600)
        return code;
    if (error?.name === 'UnauthorizedError')
        return 401;
    return undefined;
}
function refusedToken(error) {
    return new GatewayTransportError(`The gateway refused the token (HTTP ${httpCodeOf(error)}): it was not started with this run's MCP_GATEWAY_AUTH_TOKEN, or another service answers on its port.`, { cause: error, status: httpCodeOf(error) });
}
/**
 * The official MCP SDK client with the Bearer token: streamable HTTP at /mcp first; SSE at /sse when that fails for any reason but
 * a refused token (401/403 → GatewayTransportError "the gateway refused the token").
 */
async function connectGatewayClient(url, token, timeoutMs, logger) {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- SSE is the fallback for gateways that only speak the older transport
    const [{ Client }, { StreamableHTTPClientTransport }, { SSEClientTransport }] = await Promise.all([
        import('./client.js'),
        import('./streamableHttp.js'),
        import('./sse.js'),
    ]);
    const requestInit = { headers: { Authorization: `Bearer ${token}` } };
    const streaming = new Client(CLIENT_INFO, { capabilities: {} });
    try {
        await streaming.connect(new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit }), { timeout: timeoutMs });
        return { client: streaming, transport: 'streamable-http' };
    }
    catch (error) {
        await streaming.close().catch(() => undefined);
        if (httpCodeOf(error) === 401 || httpCodeOf(error) === 403)
            throw refusedToken(error);
        logger.info(`MCP gateway: streamable HTTP at /mcp failed (${getErrorMessage(error)}); trying SSE at /sse.`);
        const sse = new Client(CLIENT_INFO, { capabilities: {} });
        try {
            await sse.connect(new SSEClientTransport(new URL('/sse', url), { requestInit }), { timeout: timeoutMs });
            return { client: sse, transport: 'sse' };
        }
        catch (sseError) {
            await sse.close().catch(() => undefined);
            if (httpCodeOf(sseError) === 401 || httpCodeOf(sseError) === 403)
                throw refusedToken(sseError);
            throw new GatewayTransportError(`Could not connect to the MCP gateway at ${url}: streamable HTTP (/mcp): ${getErrorMessage(error)}; SSE (/sse): ${getErrorMessage(sseError)}`, { cause: sseError });
        }
    }
}
async function listAllTools(client, timeoutMs) {
    const tools = [];
    let cursor;
    do {
        const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs });
        tools.push(...page.tools);
        cursor = page.nextCursor;
    } while (cursor);
    return tools;
}
/** What one gateway owns on the engine and on disk, and how to give it back. */
class GatewayResources {
    engine;
    logger;
    configDir;
    containerId;
    networkId;
    client;
    logAbort = new AbortController();
    logsDone = Promise.resolve();
    disposed;
    constructor(engine, logger, configDir) {
        this.engine = engine;
        this.logger = logger;
        this.configDir = configDir;
    }
    followLogs(containerId, onLine) {
        this.logsDone = this.engine
            .containerLogs(containerId, { follow: true, signal: this.logAbort.signal, onLine: (_stream, line) => onLine(line) })
            .catch((error) => this.logger.debug(`mcp-gateway log stream ended: ${getErrorMessage(error)}`));
    }
    /** Lets the log stream deliver what the engine still has (a container that just stopped), within `ms`. */
    settleLogs(ms) {
        return within(this.logsDone, ms);
    }
    dispose(options) {
        this.disposed ??= (async () => {
            if (this.client)
                await within(this.client.close().catch(() => undefined), 2_000);
            if (this.containerId) {
                await this.engine.removeContainer(this.containerId).catch((error) => {
                    this.logger.warning(`Could not remove the MCP gateway container: ${getErrorMessage(error)} (the post step retries by label).`);
                });
            }
            await this.settleLogs(1_000);
            this.logAbort.abort();
            if (this.networkId) {
                const networkId = this.networkId;
                // Servers the gateway attached to its network leave with it (they run with --rm); give the engine a moment.
                let lastError;
                for (let attempt = 0; attempt < 4; attempt++) {
                    try {
                        await this.engine.removeNetwork(networkId);
                        lastError = undefined;
                        break;
                    }
                    catch (error) {
                        lastError = error;
                        await sleep(250 * (attempt + 1));
                    }
                }
                if (lastError)
                    this.logger.warning(`Could not remove the MCP gateway network: ${getErrorMessage(lastError)} (the post step retries by label).`);
            }
            await rm(this.configDir, { recursive: true, force: true }).catch(() => undefined);
            await options.printLog?.();
        })();
        return this.disposed;
    }
}
class RunningGateway {
    parts;
    url;
    containerId;
    transport;
    tools;
    timings;
    failure;
    toolNames;
    /** Aborted when the container stops: in-flight calls fail at once instead of waiting for their timeout. */
    death = new AbortController();
    watchAbort = new AbortController();
    closed = false;
    constructor(parts) {
        this.parts = parts;
        this.url = parts.url;
        this.containerId = parts.containerId;
        this.transport = parts.transport;
        this.tools = parts.tools;
        this.timings = parts.timings;
        this.toolNames = new Set(parts.tools.map((t) => t.name));
        parts.engine
            .waitContainer(parts.containerId, this.watchAbort.signal)
            .then(async ({ exitCode }) => {
            if (this.closed)
                return;
            const state = await parts.engine.inspectContainer(parts.containerId).catch(() => undefined);
            this.markDead(state ? describeExit(state) : `exit code ${exitCode}`);
        })
            .catch((error) => {
            if (!this.closed && !this.watchAbort.signal.aborted)
                this.markDead(`the engine lost track of it: ${getErrorMessage(error)}`);
        });
    }
    markDead(detail) {
        if (!this.failure) {
            this.failure = new GatewayTransportError(`The MCP gateway container stopped (${detail}).`);
            this.parts.logger.warning(this.failure.message);
            this.death.abort(this.failure);
        }
        return this.failure;
    }
    async callTool(name, args, options = {}) {
        if (this.closed)
            throw new GatewayTransportError(`The MCP gateway is closed; cannot call '${name}'.`);
        if (this.failure)
            throw this.failure;
        if (!this.toolNames.has(name))
            throw new ToolMissingError(name, [...this.toolNames]);
        const timeoutMs = options.timeoutMs ?? this.parts.callTimeoutMs;
        // A signal of the call's own: the SDK leaves its abort listener on the signal it is given, and the long-lived ones (death,
        // the caller's) would collect one per call.
        const call = new AbortController();
        const sources = options.signal ? [this.death.signal, options.signal] : [this.death.signal];
        const forward = (event) => call.abort(event.target.reason);
        for (const source of sources) {
            if (source.aborted)
                call.abort(source.reason);
            else
                source.addEventListener('abort', forward, { once: true });
        }
        let result;
        try {
            result = (await this.parts.client.callTool({ name, arguments: args }, undefined, { timeout: timeoutMs, signal: call.signal }));
        }
        catch (error) {
            throw await this.classify(error, name, timeoutMs, options.signal);
        }
        finally {
            for (const source of sources)
                source.removeEventListener('abort', forward);
        }
        const text = result.content
            .filter((block) => block.type === 'text')
            .map((block) => block.text)
            .join('\n');
        if (result.isError)
            throw new ToolCallError(name, text.trim() || 'the tool reported an error without text');
        return { content: result.content, structuredContent: result.structuredContent, text };
    }
    async classify(error, name, timeoutMs, callerSignal) {
        if (this.failure)
            return this.failure;
        if (callerSignal?.aborted)
            return abortReason(callerSignal);
        const { ErrorCode, McpError } = await import('./types2.js');
        if (error instanceof McpError) {
            // McpError's code is any JSON-RPC code (a number); the SDK's enum names the two that matter here.
            if (error.code === ErrorCode.RequestTimeout)
                return new ToolTimeoutError(name, timeoutMs);
            if (error.code !== ErrorCode.ConnectionClosed)
                return new ToolCallError(name, error.message);
        }
        const status = httpCodeOf(error);
        if (status === 401 || status === 403)
            return refusedToken(error);
        // A transport failure: is the container still there? Say so rather than "fetch failed".
        const state = await this.parts.engine.inspectContainer(this.containerId).catch(() => undefined);
        if (!state?.running)
            return this.markDead(state ? describeExit(state) : 'it no longer exists');
        return new GatewayTransportError(`Calling '${name}' through the MCP gateway failed: ${describeConnectionError(error)}`, { cause: error, status });
    }
    close() {
        this.closed = true;
        this.watchAbort.abort();
        const { logger, logTail } = this.parts;
        return this.parts.resources.dispose({
            printLog: async () => {
                const lines = logTail.all();
                if (lines.length === 0)
                    return;
                await logger.group('MCP gateway log', () => {
                    if (logTail.dropped)
                        logger.info(`(${logTail.dropped} earlier line(s) not kept)`);
                    for (const line of lines)
                        logger.info(line);
                    return Promise.resolve();
                });
            },
        });
    }
}
/**
 * `mcp-gateway`: `off` → skipped; `auto` → started when an engine answers, else skipped (no engine) or failed (it would not start),
 * and the review goes on; `on` → started, or a thrown error with the reason. Everything that needs the gateway reports the reason.
 */
async function startGatewayForConfig(config, deps) {
    const { logger } = deps;
    const mode = config.mcpGateway;
    if (mode === 'off')
        return skipped("mcp-gateway is 'off'");
    if (config.mcpServers.length === 0) {
        if (mode === 'on')
            throw new ConfigurationError("Input 'mcp-gateway' is 'on' but 'mcp-servers' is empty: name at least one catalog server.");
        return skipped("'mcp-servers' is empty: no catalog server to start");
    }
    let engine = deps.engine;
    let problem = deps.engineProblem ?? 'no Docker engine client';
    if (engine) {
        try {
            const version = await engine.ping();
            logger.info(`Docker engine ${version.version} (API ${version.apiVersion}, ${version.os}/${version.arch}) at ${engine.host}.`);
        }
        catch (error) {
            problem = error instanceof DockerUnavailableError ? error.message : `the Docker engine at ${engine.host} did not answer: ${getErrorMessage(error)}`;
            engine = undefined;
        }
    }
    if (!engine) {
        if (mode === 'on')
            throw new GatewayStartError(`Input 'mcp-gateway' is 'on' but the gateway cannot start: ${problem}`);
        return skipped(`no Docker engine: ${problem}`);
    }
    try {
        const gateway = await (deps.startGateway ?? startGateway)(engine, {
            image: config.mcpGatewayImage,
            servers: config.mcpServers,
            runId: deps.runId,
            workDir: deps.workDir,
            logger,
            tempDir: deps.tempDir,
            signal: deps.signal,
            onMask: deps.onMask?.bind(deps),
            healthTimeoutMs: deps.healthTimeoutMs,
        });
        return { status: 'started', gateway };
    }
    catch (error) {
        if (deps.signal?.aborted)
            throw error;
        if (mode === 'on') {
            throw error instanceof ExternalServiceError ? error : new GatewayStartError(`The MCP gateway could not start: ${getErrorMessage(error)}`, { cause: error });
        }
        return { status: 'failed', reason: getErrorMessage(error) };
    }
}
function skipped(reason) {
    return { status: 'skipped', reason };
}

const mcpGateway = /*#__PURE__*/Object.freeze(/*#__PURE__*/Object.defineProperty({
    __proto__: null,
    ContainerStoppedError,
    GATEWAY_PORT,
    GatewayError,
    GatewayStartError,
    GatewayTransportError,
    HealthTimeoutError,
    LogTail,
    ToolCallError,
    ToolMissingError,
    ToolTimeoutError,
    connectGatewayClient,
    gatewayCommand,
    gatewayConfigYaml,
    probeHealthOverHttp,
    pullProgressLogger,
    startGateway,
    startGatewayForConfig,
    waitForHealth
}, Symbol.toStringTag, { value: 'Module' }));

export { ContainerStoppedError as C, HealthTimeoutError as H, probeHealthOverHttp as a, mcpGateway as m, pullProgressLogger as p, sleep as s, waitForHealth as w };
