import http from 'node:http';
import { g as getErrorMessage, E as ExternalServiceError } from './errors.js';
export { n as newRunId } from './run-id.js';

/**
 * The Docker Engine API, as far as this action needs it, behind a small interface (tests pass partial stubs).
 *
 * Why our own client instead of dockerode (DESIGN §2 suggests it): we use about fifteen endpoints of a stable HTTP API; dockerode
 * brings docker-modem, ssh2, tar-fs and a gRPC stack (BuildKit sessions) into the bundled action, native optional packages included,
 * which the bundle and `npm ci` on this project's registry do not want. node:http over the engine's unix socket is all it takes, and
 * errors stay ours: every failure is an ExternalServiceError carrying the engine's own message ("No such image: …").
 *
 * Every object created through an engine bound to a run carries `dev.ultra-create.run=<runId>` and `dev.ultra-create.managed=true`,
 * so that the `post:` step finds them by label even when the main step crashed before it could record them.
 *
 * No API version in request paths: an unversioned path is served at the engine's own version, which is what we want. Pinning one is
 * how clients break: Docker 29 refused every client older than API 1.44 until 29.3 lowered the floor to 1.40, and GitHub's runner
 * images are moving to 29. The fields used here exist from API 1.41 (Docker 20.10) on.
 */
const RUN_LABEL = 'dev.ultra-create.run';
const MANAGED_LABEL = 'dev.ultra-create.managed';
/** What an object is for (`mcp-gateway`, `sandbox`, …): for people reading `docker ps`, not for cleanup. */
const COMPONENT_LABEL = 'dev.ultra-create.component';
function runLabels(runId) {
    return { [RUN_LABEL]: runId, [MANAGED_LABEL]: 'true' };
}
/** `getArchive` stopped reading at its bound. */
class ArchiveTooLargeError extends ExternalServiceError {
}
/** No engine answered: for `mcp-gateway: auto` this means "skip", not "fail". */
class DockerUnavailableError extends ExternalServiceError {
}
function resolveDockerEndpoint(env) {
    const value = env.DOCKER_HOST?.trim();
    if (!value)
        return { host: 'unix:///var/run/docker.sock', socketPath: '/var/run/docker.sock' };
    if (value.startsWith('unix://')) {
        const socketPath = value.slice('unix://'.length);
        if (!socketPath.startsWith('/'))
            throw new DockerUnavailableError(`DOCKER_HOST=${value} is not an absolute unix socket path.`, 'docker');
        return { host: value, socketPath };
    }
    if (value.startsWith('tcp://')) {
        if (env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '0') {
            throw new DockerUnavailableError(`DOCKER_HOST=${value} with DOCKER_TLS_VERIFY: TLS connections to the engine are not supported.`, 'docker');
        }
        const url = new URL(value.replace(/^tcp:/, 'http:'));
        return { host: value, hostname: url.hostname, port: Number(url.port || 2375) };
    }
    throw new DockerUnavailableError(`DOCKER_HOST=${value}: only unix:// and tcp:// engines are supported.`, 'docker');
}
/** `name[:tag][@digest]` → what `POST /images/create` wants: the tag query must never be empty (that pulls every tag). */
function splitImageReference(image) {
    const at = image.indexOf('@');
    if (at >= 0)
        return { fromImage: image.slice(0, at), tag: image.slice(at + 1) };
    const colon = image.lastIndexOf(':');
    if (colon > image.lastIndexOf('/'))
        return { fromImage: image.slice(0, colon), tag: image.slice(colon + 1) };
    return { fromImage: image, tag: 'latest' };
}
function createDockerEngine(options = {}) {
    return new HttpDockerEngine(resolveDockerEndpoint(options.env ?? process.env), options);
}
/** Like `createDockerEngine`, but a DOCKER_HOST this client cannot use is a reason (for `mcp-gateway: auto`), not a throw. */
function tryCreateDockerEngine(options = {}) {
    try {
        return { engine: createDockerEngine(options) };
    }
    catch (error) {
        return { problem: getErrorMessage(error) };
    }
}
const IMAGE_REFERENCE_PATH = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
function checkPathPart(value, pattern, what) {
    if (!pattern.test(value))
        throw new ExternalServiceError(`Invalid ${what} for the Docker engine: ${JSON.stringify(value)}.`, 'docker');
    return value;
}
class HttpDockerEngine {
    endpoint;
    options;
    host;
    socketPath;
    agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    timeoutMs;
    constructor(endpoint, options) {
        this.endpoint = endpoint;
        this.options = options;
        this.host = endpoint.host;
        this.socketPath = 'socketPath' in endpoint ? endpoint.socketPath : undefined;
        this.timeoutMs = options.requestTimeoutMs ?? 30_000;
    }
    async ping() {
        const reply = await this.call('GET', '/version', { timeoutMs: Math.min(this.timeoutMs, 5_000) });
        const v = parseJson(reply.body);
        return { version: v.Version ?? '?', apiVersion: v.ApiVersion ?? '?', os: v.Os ?? '?', arch: v.Arch ?? '?' };
    }
    async imageExists(image) {
        const reply = await this.request('GET', `/images/${checkPathPart(image, IMAGE_REFERENCE_PATH, 'image reference')}/json`);
        if (reply.status === 404)
            return false;
        this.check(reply, `inspect image ${image}`);
        return true;
    }
    async pullImage(image, onProgress, signal) {
        const { fromImage, tag } = splitImageReference(image);
        let failure;
        const status = await this.stream('POST', `/images/create?${new URLSearchParams({ fromImage, tag }).toString()}`, (chunk, state) => {
            state.buffer += chunk.toString('utf8');
            let newline;
            while ((newline = state.buffer.indexOf('\n')) >= 0) {
                const line = state.buffer.slice(0, newline).trim();
                state.buffer = state.buffer.slice(newline + 1);
                if (!line)
                    continue;
                let event;
                try {
                    event = JSON.parse(line);
                }
                catch {
                    continue;
                }
                if (event.error)
                    failure = event.error;
                else if (event.status) {
                    onProgress?.({ status: event.status, id: event.id, current: event.progressDetail?.current, total: event.progressDetail?.total });
                }
            }
        }, { buffer: '' }, signal);
        if (status.status >= 300) {
            throw this.errorOf(status, `pull ${image}`);
        }
        // The engine answers 200 and then reports the failure inside the stream.
        if (failure)
            throw new ExternalServiceError(`Docker could not pull ${image}: ${failure}`, 'docker');
    }
    async createContainer(spec) {
        const labels = this.labelsFor(spec.labels);
        const exposed = {};
        const bindings = {};
        for (const entry of spec.publishPorts ?? []) {
            const { container, host } = typeof entry === 'number' ? { container: entry, host: undefined } : entry;
            exposed[`${container}/tcp`] = {};
            // 127.0.0.1 only: nothing we start may be reachable from the runner's network. Empty HostPort = ephemeral.
            bindings[`${container}/tcp`] = [{ HostIp: '127.0.0.1', HostPort: host === undefined ? '' : String(host) }];
        }
        const memory = spec.limits?.memoryBytes;
        const body = {
            Image: spec.image,
            Cmd: spec.cmd,
            Entrypoint: spec.entrypoint,
            WorkingDir: spec.workingDir,
            User: spec.user,
            Env: Object.entries(spec.env ?? {}).map(([key, value]) => `${key}=${value}`),
            Labels: labels,
            ExposedPorts: exposed,
            HostConfig: {
                Binds: (spec.binds ?? []).map((b) => `${b.hostPath}:${b.containerPath}:${b.readOnly ? 'ro' : 'rw'}`),
                Mounts: spec.volumes?.map((v) => ({
                    Type: 'volume',
                    Source: v.volume,
                    Target: v.containerPath,
                    ReadOnly: v.readOnly ?? false,
                    VolumeOptions: v.noCopy ? { NoCopy: true } : undefined,
                })),
                Tmpfs: spec.tmpfs ? Object.fromEntries(Object.entries(spec.tmpfs).map(([path, options]) => [path, tmpfsOptions(options)])) : undefined,
                ReadonlyRootfs: spec.readOnlyRootfs,
                PortBindings: bindings,
                NanoCpus: spec.limits?.cpus ? Math.round(spec.limits.cpus * 1e9) : undefined,
                Memory: memory,
                MemorySwap: spec.noSwap && memory ? memory : undefined,
                PidsLimit: spec.limits?.pids,
                Ulimits: spec.ulimits ? ulimitList(spec.ulimits) : undefined,
                NetworkMode: spec.network,
                SecurityOpt: spec.securityOpt,
                CapDrop: spec.capDrop,
                Init: spec.init,
                Runtime: spec.runtime,
                AutoRemove: false,
            },
        };
        const query = spec.name ? `?${new URLSearchParams({ name: spec.name }).toString()}` : '';
        const reply = this.check(await this.request('POST', `/containers/create${query}`, { body }), `create a container from ${spec.image}`);
        const id = parseJson(reply.body).Id;
        if (!id)
            throw new ExternalServiceError('The Docker engine created a container but returned no id.', 'docker');
        this.options.onCreated?.({ kind: 'container', id, name: spec.name });
        return id;
    }
    async startContainer(id) {
        const reply = await this.request('POST', `/containers/${checkPathPart(id, ID, 'container id')}/start`);
        if (reply.status === 304)
            return;
        this.check(reply, `start container ${short(id)}`);
    }
    async inspectContainer(id) {
        const reply = this.check(await this.request('GET', `/containers/${checkPathPart(id, ID, 'container id')}/json`), `inspect container ${short(id)}`);
        const c = parseJson(reply.body);
        const ports = {};
        for (const [key, bindings] of Object.entries(c.NetworkSettings?.Ports ?? {})) {
            const binding = bindings?.find((b) => b.HostIp === '127.0.0.1') ?? bindings?.[0];
            if (binding?.HostPort)
                ports[key] = { hostIp: binding.HostIp, hostPort: Number(binding.HostPort) };
        }
        return {
            id: c.Id,
            name: (c.Name ?? '').replace(/^\//, ''),
            status: c.State?.Status ?? 'unknown',
            running: c.State?.Running ?? false,
            exitCode: c.State?.ExitCode ?? 0,
            oomKilled: c.State?.OOMKilled ?? false,
            error: c.State?.Error ?? '',
            labels: c.Config?.Labels ?? {},
            ports,
            startedAt: c.State?.StartedAt ?? '',
            finishedAt: c.State?.FinishedAt ?? '',
            hostConfig: appliedHostConfig(c.HostConfig ?? {}, c.Config?.User ?? ''),
        };
    }
    async containerLogs(id, options) {
        const query = new URLSearchParams({ stdout: '1', stderr: '1', follow: options.follow ? '1' : '0' });
        if (options.tail !== undefined)
            query.set('tail', String(options.tail));
        const demux = new LogDemuxer((stream, line) => options.onLine(stream, line));
        const reply = await this.stream('GET', `/containers/${checkPathPart(id, ID, 'container id')}/logs?${query.toString()}`, (chunk) => demux.push(chunk), undefined, options.signal, true).catch((error) => {
            if (options.signal?.aborted)
                return { status: 200, body: Buffer.alloc(0) };
            throw error;
        });
        demux.end();
        if (reply.status >= 300)
            throw this.errorOf(reply, `read the log of container ${short(id)}`);
    }
    async waitContainer(id, signal) {
        const reply = await this.request('POST', `/containers/${checkPathPart(id, ID, 'container id')}/wait?condition=not-running`, {
            timeoutMs: 0,
            signal,
            background: true,
        });
        this.check(reply, `wait for container ${short(id)}`);
        return { exitCode: parseJson(reply.body).StatusCode ?? -1 };
    }
    async killContainer(id, signal = 'SIGKILL') {
        const reply = await this.request('POST', `/containers/${checkPathPart(id, ID, 'container id')}/kill?${new URLSearchParams({ signal }).toString()}`);
        // 409: not running; 404: gone. Both mean the goal is reached.
        if (reply.status === 409 || reply.status === 404)
            return;
        this.check(reply, `kill container ${short(id)}`);
    }
    async removeContainer(id) {
        const reply = await this.request('DELETE', `/containers/${checkPathPart(id, ID, 'container id')}?force=1&v=1`);
        if (reply.status === 404)
            return false;
        this.check(reply, `remove container ${short(id)}`);
        return true;
    }
    async listContainers(filter) {
        const filters = {};
        if (filter.labels?.length)
            filters.label = filter.labels;
        if (filter.network)
            filters.network = [filter.network];
        const reply = this.check(await this.request('GET', `/containers/json?${new URLSearchParams({ all: '1', filters: JSON.stringify(filters) }).toString()}`), 'list containers');
        const items = parseJson(reply.body);
        return items.map((c) => ({
            id: c.Id,
            names: (c.Names ?? []).map((n) => n.replace(/^\//, '')),
            state: c.State ?? 'unknown',
            labels: c.Labels ?? {},
        }));
    }
    async createNetwork(name, labels) {
        const body = { Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: this.labelsFor(labels) };
        const reply = this.check(await this.request('POST', '/networks/create', { body }), `create network ${name}`);
        const id = parseJson(reply.body).Id;
        if (!id)
            throw new ExternalServiceError('The Docker engine created a network but returned no id.', 'docker');
        this.options.onCreated?.({ kind: 'network', id, name });
        return id;
    }
    async listNetworks(filter) {
        const filters = filter.labels?.length ? { label: filter.labels } : {};
        const reply = this.check(await this.request('GET', `/networks?${new URLSearchParams({ filters: JSON.stringify(filters) }).toString()}`), 'list networks');
        const items = parseJson(reply.body);
        return items.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {} }));
    }
    async removeNetwork(id) {
        const reply = await this.request('DELETE', `/networks/${checkPathPart(id, ID, 'network id')}`);
        if (reply.status === 404)
            return false;
        this.check(reply, `remove network ${short(id)}`);
        return true;
    }
    async createVolume(name, labels) {
        const body = { Name: name, Labels: this.labelsFor(labels) };
        const reply = this.check(await this.request('POST', '/volumes/create', { body }), `create volume ${name}`);
        const created = parseJson(reply.body).Name ?? name;
        this.options.onCreated?.({ kind: 'volume', id: created, name: created });
        return created;
    }
    async listVolumes(filter) {
        const filters = filter.labels?.length ? { label: filter.labels } : {};
        const reply = this.check(await this.request('GET', `/volumes?${new URLSearchParams({ filters: JSON.stringify(filters) }).toString()}`), 'list volumes');
        const items = parseJson(reply.body).Volumes ?? [];
        return items.map((v) => ({ name: v.Name, labels: v.Labels ?? {} }));
    }
    async removeVolume(name) {
        const reply = await this.request('DELETE', `/volumes/${checkPathPart(name, ID, 'volume name')}?force=1`);
        if (reply.status === 404)
            return false;
        this.check(reply, `remove volume ${name}`);
        return true;
    }
    async info() {
        const reply = this.check(await this.request('GET', '/info'), 'describe itself (GET /info)');
        const i = parseJson(reply.body);
        return {
            runtimes: Object.keys(i.Runtimes ?? {}).sort(),
            defaultRuntime: i.DefaultRuntime ?? 'runc',
            serverVersion: i.ServerVersion ?? '?',
            cgroupVersion: i.CgroupVersion ?? '?',
        };
    }
    async putArchive(id, path, tar) {
        const query = new URLSearchParams({ path, noOverwriteDirNonDir: '1' }).toString();
        const reply = await this.request('PUT', `/containers/${checkPathPart(id, ID, 'container id')}/archive?${query}`, {
            raw: tar,
            contentType: 'application/x-tar',
            // A large tree may take longer than one request's usual bound to stream.
            timeoutMs: Math.max(this.timeoutMs, 300_000),
        });
        this.check(reply, `copy files to ${path} in container ${short(id)}`);
    }
    async getArchive(id, path, options = {}) {
        const query = new URLSearchParams({ path }).toString();
        const chunks = [];
        let size = 0;
        const limit = options.maxBytes ?? Infinity;
        const controller = new AbortController();
        const bound = { exceeded: false };
        const reply = await this.stream('GET', `/containers/${checkPathPart(id, ID, 'container id')}/archive?${query}`, (chunk) => {
            size += chunk.length;
            if (size > limit) {
                bound.exceeded = true;
                controller.abort(new ArchiveTooLargeError(`${path} in container ${short(id)} is larger than ${limit} bytes as a tar`, 'docker'));
                return;
            }
            chunks.push(chunk);
        }, undefined, controller.signal, true).catch((error) => {
            throw bound.exceeded ? controller.signal.reason : error;
        });
        if (bound.exceeded)
            throw controller.signal.reason;
        if (reply.status === 404)
            return null;
        this.check(reply, `copy ${path} out of container ${short(id)}`);
        return Buffer.concat(chunks);
    }
    labelsFor(extra) {
        if (!this.options.runId) {
            throw new Error('This Docker engine client is not bound to a run: it may list and remove, not create (objects must carry the run label).');
        }
        return { ...extra, ...runLabels(this.options.runId) };
    }
    check(reply, what) {
        if (reply.status >= 200 && reply.status < 300)
            return reply;
        throw this.errorOf(reply, what);
    }
    errorOf(reply, what) {
        let message = reply.body.toString('utf8').trim();
        try {
            const parsed = JSON.parse(message);
            if (typeof parsed.message === 'string')
                message = parsed.message;
        }
        catch {
            // not JSON: keep the text
        }
        return new ExternalServiceError(`Docker could not ${what}: ${message || `HTTP ${reply.status}`}`, 'docker', reply.status);
    }
    /** A non-streaming request with its body collected. */
    call(method, path, options = {}) {
        return this.request(method, path, options).then((reply) => this.check(reply, `answer ${method} ${path.split('?')[0]}`));
    }
    request(method, path, options = {}) {
        const chunks = [];
        return this.stream(method, path, (chunk) => chunks.push(chunk), undefined, options.signal, options.background, options).then((reply) => ({
            status: reply.status,
            body: reply.status >= 300 ? reply.body : Buffer.concat(chunks),
        }));
    }
    /**
     * One HTTP exchange with the engine; `onChunk` sees the response body as it arrives. Long-lived requests (`background`: wait,
     * followed logs) get a connection of their own and no timeout; their callers end them through `signal`.
     */
    stream(method, path, onChunk, state, signal, background = false, options = {}) {
        const raw = options.raw;
        const payload = Buffer.isBuffer(raw) ? raw : options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
        const contentType = options.contentType ?? 'application/json';
        const streamed = raw !== undefined && !Buffer.isBuffer(raw) ? raw : undefined;
        const timeoutMs = options.timeoutMs ?? (background || path.startsWith('/images/create') ? 0 : this.timeoutMs);
        return new Promise((resolve, reject) => {
            if (signal?.aborted) {
                reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
                return;
            }
            const target = 'socketPath' in this.endpoint ? { socketPath: this.endpoint.socketPath } : { host: this.endpoint.hostname, port: this.endpoint.port };
            const req = http.request({
                ...target,
                method,
                path,
                agent: background ? false : this.agent,
                headers: {
                    Host: 'docker',
                    ...(payload ? { 'Content-Type': contentType, 'Content-Length': String(payload.length) } : {}),
                    // A stream of unknown length goes chunked.
                    ...(streamed ? { 'Content-Type': contentType, 'Transfer-Encoding': 'chunked' } : {}),
                },
                signal,
            });
            let timer;
            if (timeoutMs > 0) {
                timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
                timer.unref();
            }
            req.on('error', (error) => {
                clearTimeout(timer);
                if (signal?.aborted) {
                    reject(signal.reason instanceof Error ? signal.reason : error);
                }
                else if (['ENOENT', 'ECONNREFUSED', 'EACCES', 'EHOSTUNREACH', 'ENOTFOUND'].includes(error.code ?? '')) {
                    reject(new DockerUnavailableError(`No Docker engine answers at ${this.host}: ${error.code} (${getErrorMessage(error)}).`, 'docker', undefined, { cause: error }));
                }
                else {
                    reject(new ExternalServiceError(`The Docker engine at ${this.host} failed on ${method} ${path.split('?')[0]}: ${getErrorMessage(error)}`, 'docker', undefined, { cause: error }));
                }
            });
            req.on('response', (res) => {
                const status = res.statusCode ?? 0;
                const errorBody = [];
                res.on('data', (chunk) => {
                    if (status >= 300)
                        errorBody.push(chunk);
                    else
                        onChunk(chunk, state);
                });
                res.on('error', (error) => {
                    clearTimeout(timer);
                    if (signal?.aborted)
                        resolve({ status, body: Buffer.concat(errorBody) });
                    else
                        reject(new ExternalServiceError(`The Docker engine's answer to ${method} ${path.split('?')[0]} broke off: ${getErrorMessage(error)}`, 'docker'));
                });
                res.on('end', () => {
                    clearTimeout(timer);
                    resolve({ status, body: Buffer.concat(errorBody) });
                });
            });
            if (streamed) {
                streamed.on('error', (error) => req.destroy(error));
                streamed.pipe(req);
            }
            else {
                req.end(payload);
            }
        });
    }
}
function ulimitList(ulimits) {
    const list = [];
    if (ulimits.nofile !== undefined)
        list.push({ Name: 'nofile', Soft: ulimits.nofile, Hard: ulimits.nofile });
    if (ulimits.nproc !== undefined)
        list.push({ Name: 'nproc', Soft: ulimits.nproc, Hard: ulimits.nproc });
    return list;
}
function tmpfsOptions(options) {
    const parts = ['rw', ...(options.flags ?? [])];
    if (options.sizeBytes !== undefined)
        parts.push(`size=${options.sizeBytes}`);
    if (options.mode !== undefined)
        parts.push(`mode=${options.mode.toString(8)}`);
    if (options.uid !== undefined)
        parts.push(`uid=${options.uid}`);
    if (options.gid !== undefined)
        parts.push(`gid=${options.gid}`);
    return parts.join(',');
}
function appliedHostConfig(h, user) {
    return {
        user,
        networkMode: h.NetworkMode ?? '',
        runtime: h.Runtime ?? '',
        memoryBytes: h.Memory ?? 0,
        memorySwapBytes: h.MemorySwap ?? 0,
        nanoCpus: h.NanoCpus ?? 0,
        pidsLimit: h.PidsLimit ?? 0,
        readOnlyRootfs: h.ReadonlyRootfs ?? false,
        capDrop: h.CapDrop ?? [],
        securityOpt: h.SecurityOpt ?? [],
        init: h.Init ?? false,
        ulimits: (h.Ulimits ?? []).map((u) => ({ name: u.Name, soft: u.Soft, hard: u.Hard })),
        tmpfs: h.Tmpfs ?? {},
    };
}
function short(id) {
    return /^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id;
}
function parseJson(body) {
    const text = body.toString('utf8');
    try {
        return JSON.parse(text);
    }
    catch {
        throw new ExternalServiceError(`The Docker engine answered something that is not JSON: ${text.slice(0, 200)}`, 'docker');
    }
}
/**
 * The engine multiplexes a container's stdout and stderr (no TTY) into frames: one byte stream type (1 stdout, 2 stderr), three
 * zero bytes, a big-endian uint32 length, then the payload. Frames and lines both cross chunk boundaries.
 */
/** Characters of a line without its line break held before it is delivered as a line of its own. */
const MAX_PARTIAL_LINE = 64 * 1024;
class LogDemuxer {
    onLine;
    pending = Buffer.alloc(0);
    partial = { stdout: '', stderr: '' };
    constructor(onLine) {
        this.onLine = onLine;
    }
    push(chunk) {
        this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
        while (this.pending.length >= 8) {
            const type = this.pending[0];
            const size = this.pending.readUInt32BE(4);
            if (this.pending.length < 8 + size)
                break;
            const payload = this.pending.subarray(8, 8 + size).toString('utf8');
            this.pending = this.pending.subarray(8 + size);
            this.text(type === 2 ? 'stderr' : 'stdout', payload);
        }
    }
    end() {
        for (const stream of ['stdout', 'stderr']) {
            if (this.partial[stream])
                this.onLine(stream, this.partial[stream]);
            this.partial[stream] = '';
        }
    }
    text(stream, payload) {
        const lines = (this.partial[stream] + payload).split('\n');
        let rest = lines.pop() ?? '';
        for (const line of lines)
            this.onLine(stream, line.replace(/\r$/, ''));
        // A container that writes without a line break (`cat /dev/zero`) must not grow this buffer without end: a long run is a line.
        while (rest.length > MAX_PARTIAL_LINE) {
            this.onLine(stream, rest.slice(0, MAX_PARTIAL_LINE));
            rest = rest.slice(MAX_PARTIAL_LINE);
        }
        this.partial[stream] = rest;
    }
}

export { ArchiveTooLargeError, COMPONENT_LABEL, DockerUnavailableError, LogDemuxer, MANAGED_LABEL, RUN_LABEL, createDockerEngine, resolveDockerEndpoint, runLabels, splitImageReference, tryCreateDockerEngine };
