import { mkdir } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { g as getErrorMessage, c as causeChain } from './errors.js';
import { p as probeModelEndpoint } from './local-drafts.js';
import { COMPONENT_LABEL } from './docker-engine.js';
import { p as pullProgressLogger, w as waitForHealth, s as sleep, a as probeHealthOverHttp, H as HealthTimeoutError, C as ContainerStoppedError } from './mcp-gateway.js';
import { p as printable, f as formatDuration } from './strings.js';
export { D as DEFAULT_MODEL_RUNNER_IMAGE } from './table.js';

/**
 * The local model for drafts (DESIGN §2, §5 "Docker Model Runner"): when `model-endpoint` does not answer with the model, and it is a
 * Docker Model Runner URL on this machine, start the Model Runner ourselves and pull the model through its API.
 *
 * - Answers already (Docker Desktop, a runner started by the workflow, Ollama, llama-server): used as it is.
 * - A Model Runner answers at the endpoint's port but lacks the model: the model is pulled there.
 * - Nothing usable answers and a Docker engine does: a `docker/model-runner` container (the image's own contract: `MODEL_RUNNER_PORT`,
 *   `MODELS_PATH`, health at `/engines/status`) is started with port 12434 published on 127.0.0.1 — at the endpoint's port when it is
 *   free, else on an ephemeral one — and the models in `cacheDir`, a host folder a workflow can keep with actions/cache. The model is
 *   pulled with `POST /models/create`, with progress in the log and a time limit.
 * - Anything else (an Ollama / llama.cpp URL that does not answer, another host, no engine, a failed start or pull) is an
 *   `unavailable` outcome with the reason; the caller drafts from templates and says why. Nothing here throws for runtime trouble.
 *
 * Every container is created through the engine, so it carries the run's labels: `cleanupRun` removes it — also one that failed
 * half-way, which is left in place here so its log can still be read.
 */
/** The port the Model Runner listens on inside its container (its image sets `MODEL_RUNNER_PORT=12434`). */
const MODEL_RUNNER_PORT = 12434;
/** Where the image keeps its models (`MODELS_PATH=/models`); `cacheDir` is mounted there. */
const MODELS_DIR = '/models';
/**
 * Where models are kept when `model-cache-dir` is empty: under the runner's tool cache (`RUNNER_TOOL_CACHE`, on Actions), else the
 * user's cache folder (`XDG_CACHE_HOME` or `~/.cache`, for the CLI), else the temp folder. Always `…/ultra-create/models`.
 */
function defaultModelCacheDir(env) {
    const home = env.HOME || homedir();
    const base = env.RUNNER_TOOL_CACHE || env.XDG_CACHE_HOME || (home ? join(home, '.cache') : tmpdir());
    return join(base, 'ultra-create', 'models');
}
const DEFAULT_PULL_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_HEALTH_TIMEOUT_MS = 60_000;
const DEFAULT_PROGRESS_INTERVAL_MS = 5_000;
/** A failure that becomes the outcome's reason. */
class Unavailable extends Error {
}
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/**
 * Whether `endpoint` is a Model Runner URL on this machine: http, a loopback host, a path under `/engines` (`/engines/v1`,
 * `/engines/llama.cpp/v1`). Only then may a runner be started (or a model pulled) for it: an Ollama or llama-server URL
 * (`…/v1`) names a server we cannot start, and another host is not ours to change.
 */
function modelRunnerTarget(endpoint) {
    let url;
    try {
        url = new URL(endpoint);
    }
    catch {
        return { ok: false, reason: `${endpoint} is not a URL` };
    }
    if (url.protocol !== 'http:')
        return { ok: false, reason: `${url.protocol}// endpoints are never started here (only http on this machine)` };
    if (!LOOPBACK_HOSTS.has(url.hostname))
        return { ok: false, reason: `${url.host} is not this machine, so no Model Runner is started for it` };
    const apiPath = url.pathname.replace(/\/+$/, '');
    if (apiPath !== '/engines' && !apiPath.startsWith('/engines/')) {
        return { ok: false, reason: `${apiPath || '/'} is not a Docker Model Runner path (/engines/…), so no Model Runner is started for it` };
    }
    const port = Number(url.port || 80);
    return { ok: true, origin: `http://127.0.0.1:${port}`, apiPath, port };
}
const HTML_ENTITIES = { '&#34;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>', '&quot;': '"', '&amp;': '&' };
/** The message on one line of the stream; `undefined` for a line that is not one (text the server appended after an error). */
function parsePullLine(line) {
    const text = line.trim().replace(/&(#34|#39|lt|gt|quot|amp);/g, (entity) => HTML_ENTITIES[entity] ?? entity);
    if (!text.startsWith('{'))
        return undefined;
    try {
        const value = JSON.parse(text);
        if (typeof value.type !== 'string')
            return undefined;
        return { type: value.type, message: typeof value.message === 'string' ? value.message : '', total: value.total, layer: value.layer };
    }
    catch {
        return undefined;
    }
}
function formatBytes(bytes) {
    if (bytes >= 1e9)
        return `${(bytes / 1e9).toFixed(1)} GB`;
    if (bytes >= 1e6)
        return `${(bytes / 1e6).toFixed(bytes >= 1e8 ? 0 : 1)} MB`;
    if (bytes >= 1e3)
        return `${Math.round(bytes / 1e3)} kB`;
    return `${bytes} B`;
}
/**
 * Turns progress messages into log lines: the first one at once, then at most one per `intervalMs` (the runner reports every
 * 100 ms or MB). The percentage is over all layers: the sum of each layer's `current` against the model's `total`.
 */
class PullProgressTracker {
    model;
    intervalMs;
    now;
    layers = new Map();
    lastLine = Number.NEGATIVE_INFINITY;
    total = 0;
    constructor(model, intervalMs, now = Date.now) {
        this.model = model;
        this.intervalMs = intervalMs;
        this.now = now;
    }
    /** Bytes received so far. */
    get current() {
        let sum = 0;
        for (const bytes of this.layers.values())
            sum += bytes;
        return sum;
    }
    /** The line to log for this message, if one is due. */
    update(message) {
        if (message.type !== 'progress')
            return undefined;
        if (typeof message.total === 'number' && message.total > 0)
            this.total = message.total;
        const layer = message.layer;
        if (layer && typeof layer.current === 'number')
            this.layers.set(layer.id ?? '', layer.current);
        if (this.now() - this.lastLine < this.intervalMs)
            return undefined;
        this.lastLine = this.now();
        return this.line();
    }
    line() {
        if (this.total <= 0)
            return `  ${this.model}: ${formatBytes(this.current)}`;
        const percent = Math.min(100, Math.floor((this.current / this.total) * 100));
        return `  ${this.model}: ${percent}% of ${formatBytes(this.total)}`;
    }
}
// ── the outcome ────────────────────────────────────────────────────────────────────────────────────────────────────────────────
/**
 * Makes the local model usable, or says why it is not. Never throws for runtime trouble (engine, network, runner, pull): those
 * are `unavailable` with the reason. Logs its steps; the warning about templates is the caller's.
 */
async function ensureLocalModel(o) {
    const endpoint = o.endpoint.replace(/\/+$/, '');
    const probe = o.probe ?? probeModelEndpoint;
    o.logger.info(`Asking ${endpoint} for the local model ${o.model}…`);
    const first = await probe(endpoint, o.model);
    if (first.ok) {
        o.logger.info(`Local model ${o.model} answers at ${endpoint}.`);
        return { status: 'ready', endpoint, how: 'endpoint' };
    }
    if (o.mayProvision === false) {
        return { status: 'unavailable', reason: `${first.reason}; no Model Runner is started and no model is pulled unless drafting is asked for` };
    }
    const target = modelRunnerTarget(endpoint);
    if (!target.ok)
        return { status: 'unavailable', reason: `${first.reason}; ${target.reason}` };
    try {
        const existing = await runnerStatus(target.origin);
        if (existing.kind === 'http' && existing.status === 200) {
            return await o.logger.group(`Model Runner at ${target.origin}: pull ${o.model}`, async () => {
                o.logger.info(`A Model Runner answers at ${target.origin} without the model (${first.reason}): pulling it there.`);
                await pullModel(target.origin, o);
                await expectModel(probe, endpoint, o.model);
                return { status: 'ready', endpoint, how: 'pulled' };
            });
        }
        if (!o.engine) {
            return { status: 'unavailable', reason: `${first.reason}; no Docker engine to start the Model Runner (${o.engineProblem ?? 'none was given'})` };
        }
        const engine = o.engine;
        const hostPort = existing.kind === 'refused' ? target.port : undefined;
        return await o.logger.group(`Model Runner: start ${o.image} for ${o.model}`, async () => {
            o.logger.info(`${first.reason}: starting the Model Runner.`);
            const origin = await startRunner(engine, o, hostPort);
            const started = `${origin}${target.apiPath}`;
            if ((await probe(started, o.model)).ok) {
                o.logger.info(`Model ${o.model} is in the model cache (${o.cacheDir}): nothing to download.`);
            }
            else {
                await pullModel(origin, o);
                await expectModel(probe, started, o.model);
            }
            o.logger.info(`Local model ${o.model} answers at ${started}.`);
            return { status: 'ready', endpoint: started, how: 'started' };
        });
    }
    catch (error) {
        if (error instanceof Unavailable)
            return { status: 'unavailable', reason: `${first.reason}; ${error.message}` };
        if (o.signal?.aborted)
            return { status: 'unavailable', reason: `${first.reason}; cancelled while preparing the Model Runner` };
        return { status: 'unavailable', reason: `${first.reason}; the Model Runner could not be prepared: ${getErrorMessage(error)}` };
    }
}
async function expectModel(probe, endpoint, model) {
    const result = await probe(endpoint, model);
    if (!result.ok)
        throw new Unavailable(`the model was pulled, but ${result.reason}`);
}
/** What answers `GET /engines/status` at `origin`: nothing (the port is free), an HTTP status, or something else. */
async function runnerStatus(origin) {
    try {
        const response = await fetch(`${origin}/engines/status`, { signal: AbortSignal.timeout(3_000) });
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'http', status: response.status };
    }
    catch (error) {
        if (causeChain(error).includes('ECONNREFUSED'))
            return { kind: 'refused' };
        return { kind: 'error', detail: getErrorMessage(error) };
    }
}
// ── start ──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
/** Starts the runner container; resolves with the origin it answers on (`http://127.0.0.1:<port>`) once `/engines/status` is 200. */
async function startRunner(engine, o, hostPort) {
    const { logger } = o;
    if (engine.host.startsWith('tcp://') && !isLoopbackEngine(engine.host)) {
        throw new Unavailable(`the Docker engine at ${engine.host} is not on this machine: a Model Runner there would not be reachable on 127.0.0.1`);
    }
    await mkdir(o.cacheDir, { recursive: true }).catch((error) => {
        throw new Unavailable(`the model cache folder ${o.cacheDir} cannot be created: ${getErrorMessage(error)}`);
    });
    const pullLimit = o.pullTimeoutMs ?? DEFAULT_PULL_TIMEOUT_MS;
    if (!(await engine.imageExists(o.image))) {
        logger.info(`Pulling ${o.image}…`);
        const started = Date.now();
        const limit = limitSignal(pullLimit, o.signal);
        try {
            await engine.pullImage(o.image, pullProgressLogger(logger, { intervalMs: o.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS }), limit.signal);
        }
        catch (error) {
            const why = limit.timedOut() ? `no result within ${formatDuration(pullLimit)}` : getErrorMessage(error);
            throw new Unavailable(`the Model Runner image ${o.image} is missing and could not be pulled: ${why}`);
        }
        finally {
            limit.dispose();
        }
        logger.info(`Pulled ${o.image} in ${formatDuration(Date.now() - started)}.`);
    }
    const spec = (host) => ({
        name: `ultra-create-${o.runId}-model-runner`,
        image: o.image,
        env: {
            MODEL_RUNNER_PORT: String(MODEL_RUNNER_PORT),
            MODELS_PATH: MODELS_DIR,
            // We run it as this process's user (so the cache folder stays ours for actions/cache); the image's home is not that user's.
            HOME: '/tmp',
            // The image's bundled llama.cpp server, not one downloaded at the first request.
            DISABLE_SERVER_UPDATE: '1',
            DO_NOT_TRACK: '1',
        },
        binds: [{ hostPath: o.cacheDir, containerPath: MODELS_DIR, readOnly: false }],
        labels: { [COMPONENT_LABEL]: 'model-runner' },
        publishPorts: [{ container: MODEL_RUNNER_PORT, host }],
        user: hostUser(),
        securityOpt: ['no-new-privileges'],
    });
    let containerId = await createContainer(engine, spec(hostPort), o.image);
    try {
        await engine.startContainer(containerId);
    }
    catch (error) {
        if (hostPort === undefined)
            throw new Unavailable(`the Model Runner container did not start: ${getErrorMessage(error)}`);
        // Taken after all (a race, or a listener our probe could not see): any free port will do.
        logger.info(`Port ${hostPort} could not be published (${getErrorMessage(error)}); using an ephemeral port instead.`);
        await engine.removeContainer(containerId).catch(() => undefined);
        containerId = await createContainer(engine, spec(undefined), o.image);
        await engine.startContainer(containerId).catch((retryError) => {
            throw new Unavailable(`the Model Runner container did not start: ${getErrorMessage(retryError)}`);
        });
    }
    const state = await engine.inspectContainer(containerId);
    const published = state.ports[`${MODEL_RUNNER_PORT}/tcp`];
    if (!state.running || !published) {
        await logTail(engine, containerId, logger);
        throw new Unavailable(`the Model Runner container ${state.name} ${state.running ? `publishes no port for ${MODEL_RUNNER_PORT}/tcp` : `stopped at once (exit code ${state.exitCode})`}`);
    }
    const origin = `http://127.0.0.1:${published.hostPort}`;
    logger.info(`Model Runner container ${state.name} started from ${o.image} on ${origin}, models in ${o.cacheDir}.`);
    try {
        const ms = await waitUntilReady(engine, containerId, origin, o.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS, o.signal);
        logger.info(`Model Runner ready after ${formatDuration(ms)}.`);
    }
    catch (error) {
        await logTail(engine, containerId, logger);
        throw error;
    }
    return origin;
}
async function createContainer(engine, spec, image) {
    try {
        return await engine.createContainer(spec);
    }
    catch (error) {
        throw new Unavailable(`the Model Runner container could not be created from ${image}: ${getErrorMessage(error)}`);
    }
}
/** Polls `/engines/status` with a backoff from 100 ms to 1 s until it answers 200 (the gateway's wait); fails at once when the container stops. */
async function waitUntilReady(engine, containerId, origin, timeoutMs, signal) {
    try {
        const result = await waitForHealth({
            probe: (probeTimeoutMs) => probeHealthOverHttp(`${origin}/engines/status`, probeTimeoutMs),
            containerState: async () => {
                const state = await engine.inspectContainer(containerId);
                return { running: state.running, detail: `exit code ${state.exitCode}${state.oomKilled ? ', out of memory' : ''}` };
            },
            now: Date.now,
            sleep,
        }, { timeoutMs, initialDelayMs: 100, maxDelayMs: 1_000, signal });
        return result.elapsedMs;
    }
    catch (error) {
        if (error instanceof HealthTimeoutError) {
            throw new Unavailable(`the Model Runner was not ready within ${formatDuration(timeoutMs)} (${error.attempts} probes of /engines/status; last answer: ${error.lastAnswer})`);
        }
        if (error instanceof ContainerStoppedError) {
            throw new Unavailable(`the Model Runner container stopped before it was ready (${error.detail}); last answer of /engines/status: ${error.lastAnswer}`);
        }
        throw error;
    }
}
// ── pull ───────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
/** `POST /models/create {"from": model}`, progress to the log, within the pull time limit. */
async function pullModel(origin, o) {
    const { logger, model } = o;
    const limitMs = o.pullTimeoutMs ?? DEFAULT_PULL_TIMEOUT_MS;
    const limit = limitSignal(limitMs, o.signal);
    const started = Date.now();
    const tracker = new PullProgressTracker(model, o.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS);
    const failed = (why) => new Unavailable(`the Model Runner could not pull ${model}: ${why}`);
    logger.info(`Pulling model ${model} through ${origin}/models/create…`);
    try {
        const response = await fetch(`${origin}/models/create`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify({ from: model }),
            signal: limit.signal,
        });
        if (!response.ok) {
            const text = printable(await response.text().catch(() => ''), 300);
            throw failed(`HTTP ${response.status}${text ? ` (${text})` : ''}`);
        }
        let done;
        let stray = '';
        const onLine = (line) => {
            if (!line.trim())
                return;
            const message = parsePullLine(line);
            if (!message) {
                stray = printable(line, 300);
                return;
            }
            if (message.type === 'success' || message.type === 'error')
                done = message;
            else if (message.type === 'warning')
                logger.info(`  ${model}: ${printable(message.message, 300)}`);
            else {
                const progress = tracker.update(message);
                if (progress)
                    logger.info(progress);
            }
        };
        let buffer = '';
        const decoder = new TextDecoder();
        if (response.body) {
            for await (const chunk of response.body) {
                buffer += decoder.decode(chunk, { stream: true });
                let newline;
                while ((newline = buffer.indexOf('\n')) >= 0) {
                    onLine(buffer.slice(0, newline));
                    buffer = buffer.slice(newline + 1);
                }
            }
        }
        onLine(buffer + decoder.decode());
        if (done?.type === 'error')
            throw failed(printable(done.message || stray || 'the runner reported an error', 300));
        if (!done)
            throw failed(`the progress stream ended without success${stray ? ` (${stray})` : ''}`);
        const size = tracker.total > 0 ? `, ${formatBytes(tracker.total)}` : '';
        logger.info(`Model ${model}: ${printable(done.message, 200) || 'pulled'} (${formatDuration(Date.now() - started)}${size}).`);
    }
    catch (error) {
        if (error instanceof Unavailable)
            throw error;
        if (limit.timedOut())
            throw failed(`not done within ${formatDuration(limitMs)} (${tracker.line().trim()})`);
        if (o.signal?.aborted)
            throw failed('cancelled');
        throw failed(describeConnectionError(error));
    }
    finally {
        limit.dispose();
    }
}
// ── small helpers ──────────────────────────────────────────────────────────────────────────────────────────────────────────────
/** Aborts after `ms` or with `outer`; `timedOut()` tells the two apart. */
function limitSignal(ms, outer) {
    const controller = new AbortController();
    let expired = false;
    const timer = setTimeout(() => {
        expired = true;
        controller.abort(new Error(`time limit of ${formatDuration(ms)} reached`));
    }, ms);
    const onAbort = () => controller.abort(outer?.reason);
    if (outer?.aborted)
        onAbort();
    else
        outer?.addEventListener('abort', onAbort, { once: true });
    return {
        signal: controller.signal,
        timedOut: () => expired,
        dispose: () => {
            clearTimeout(timer);
            outer?.removeEventListener('abort', onAbort);
        },
    };
}
/** The last lines of the container's log, in the log (why a start failed is usually there). */
async function logTail(engine, containerId, logger) {
    const lines = [];
    const signal = AbortSignal.timeout(3_000);
    await engine.containerLogs(containerId, { follow: false, tail: 20, signal, onLine: (_stream, line) => lines.push(line) }).catch(() => undefined);
    if (lines.length)
        logger.info(`Last lines of the Model Runner's log:\n${lines.map((line) => printable(line, 500)).join('\n')}`);
}
function hostUser() {
    const uid = process.getuid?.();
    const gid = process.getgid?.();
    return uid === undefined ? undefined : `${uid}:${gid ?? uid}`;
}
function isLoopbackEngine(host) {
    try {
        return LOOPBACK_HOSTS.has(new URL(host.replace(/^tcp:/, 'http:')).hostname);
    }
    catch {
        return false;
    }
}
function describeConnectionError(error) {
    const chain = causeChain(error);
    if (chain.includes('ECONNREFUSED'))
        return 'connection refused';
    if (/ECONNRESET|UND_ERR_SOCKET|socket hang up/.test(chain))
        return 'connection reset';
    if (/ETIMEDOUT|TimeoutError|AbortError|aborted/.test(chain))
        return 'no answer in time';
    return printable(getErrorMessage(error), 200);
}

export { DEFAULT_HEALTH_TIMEOUT_MS, DEFAULT_PROGRESS_INTERVAL_MS, DEFAULT_PULL_TIMEOUT_MS, MODELS_DIR, MODEL_RUNNER_PORT, PullProgressTracker, defaultModelCacheDir, ensureLocalModel, formatBytes, modelRunnerTarget, parsePullLine };
