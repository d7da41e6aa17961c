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
import http from 'node:http';
import type { Readable } from 'node:stream';
import { ExternalServiceError, getErrorMessage } from '../errors.js';

export const RUN_LABEL = 'dev.ultra-create.run';
export const MANAGED_LABEL = 'dev.ultra-create.managed';
/** What an object is for (`mcp-gateway`, `sandbox`, …): for people reading `docker ps`, not for cleanup. */
export const COMPONENT_LABEL = 'dev.ultra-create.component';

export { newRunId } from './run-id.js';

export function runLabels(runId: string): Record<string, string> {
  return { [RUN_LABEL]: runId, [MANAGED_LABEL]: 'true' };
}

export type ResourceKind = 'container' | 'network' | 'volume';

export interface CreatedResource {
  kind: ResourceKind;
  id: string;
  name?: string;
}

export interface EngineVersion {
  version: string;
  apiVersion: string;
  os: string;
  arch: string;
}

export interface PullProgress {
  /** "Pulling fs layer", "Downloading", "Pull complete", "Status: Downloaded newer image for …", … */
  status: string;
  /** Layer id, when the line is about one layer. */
  id?: string;
  current?: number;
  total?: number;
}

export interface BindMount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

export interface ContainerSpec {
  /** Optional container name; the engine generates one otherwise. */
  name?: string;
  image: string;
  cmd?: string[];
  env?: Record<string, string>;
  binds?: BindMount[];
  /** Merged with the run's labels. */
  labels?: Record<string, string>;
  /**
   * Container ports (tcp) published on 127.0.0.1 only: a number (or an entry without `host`) gets an ephemeral host port (read it
   * back with `inspectContainer`); `{ container, host }` asks for that host port (starting fails when it is taken).
   */
  publishPorts?: (number | PublishedPort)[];
  /** `uid[:gid]` (or a user name of the image) to run as instead of the image's USER. */
  user?: string;
  limits?: { cpus?: number; memoryBytes?: number; pids?: number };
  /** Network name or id; the engine's default bridge otherwise. */
  network?: string;
  securityOpt?: string[];
  /** Replaces the image's ENTRYPOINT (`cmd` are then its arguments). */
  entrypoint?: string[];
  workingDir?: string;
  /** The root file system read-only: only volumes and tmpfs mounts are writable. */
  readOnlyRootfs?: boolean;
  /** tmpfs mounts, container path → options. */
  tmpfs?: Record<string, TmpfsOptions>;
  /** Named volumes mounted into the container (created beforehand with `createVolume`). */
  volumes?: VolumeMount[];
  /** Capabilities to drop (`['ALL']`). */
  capDrop?: string[];
  /** soft = hard for each. */
  ulimits?: { nofile?: number; nproc?: number };
  /** An init process as PID 1 (the engine's docker-init): reaps zombies and forwards signals. */
  init?: boolean;
  /** Swap limit = memory limit (no swap at all) when `limits.memoryBytes` is set. */
  noSwap?: boolean;
  /** OCI runtime (`runc`, `runsc`, …) among those `info()` lists; the engine's default otherwise. */
  runtime?: string;
}

export interface TmpfsOptions {
  sizeBytes?: number;
  /** e.g. 0o1777. Mind that a tmpfs over a folder that exists in the image keeps that folder's mode. */
  mode?: number;
  uid?: number;
  gid?: number;
  /** Further mount options (`nosuid`, `nodev`, `noexec`). */
  flags?: string[];
}

export interface VolumeMount {
  volume: string;
  containerPath: string;
  readOnly?: boolean;
  /** Do not copy what the image has at `containerPath` into a new volume. */
  noCopy?: boolean;
}

/** What `GET /info` says about the engine, as far as we use it. */
export interface EngineInfo {
  /** Names of the OCI runtimes the engine can use (`runc`, `io.containerd.runc.v2`, `runsc`, …). */
  runtimes: string[];
  defaultRuntime: string;
  serverVersion: string;
  cgroupVersion: string;
}

/** Settings the engine holds for a container (from its inspection): what actually applies, not what was asked. */
export interface AppliedHostConfig {
  user: string;
  networkMode: string;
  runtime: string;
  memoryBytes: number;
  memorySwapBytes: number;
  nanoCpus: number;
  pidsLimit: number;
  readOnlyRootfs: boolean;
  capDrop: string[];
  securityOpt: string[];
  init: boolean;
  ulimits: { name: string; soft: number; hard: number }[];
  tmpfs: Record<string, string>;
}

export interface PublishedPort {
  container: number;
  /** Omitted: an ephemeral port. */
  host?: number;
}

export interface ContainerState {
  id: string;
  name: string;
  /** created, running, paused, restarting, removing, exited, dead. */
  status: string;
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  /** The engine's error for the container, e.g. why it could not start. */
  error: string;
  labels: Record<string, string>;
  /** `"8811/tcp"` → the host address it is published on. */
  ports: Record<string, { hostIp: string; hostPort: number }>;
  /** ISO times; `0001-01-01T00:00:00Z` when it has not happened. (Optional: test stubs of older shape.) */
  startedAt?: string;
  finishedAt?: string;
  hostConfig?: AppliedHostConfig;
}

export interface ContainerSummary {
  id: string;
  names: string[];
  state: string;
  labels: Record<string, string>;
}

export interface NetworkSummary {
  id: string;
  name: string;
  labels: Record<string, string>;
}

export interface VolumeSummary {
  name: string;
  labels: Record<string, string>;
}

export interface ListFilter {
  /** `key=value` or `key`, all of which must match. */
  labels?: string[];
  /** Containers only: attached to this network (name or id). */
  network?: string;
}

export interface LogOptions {
  /** Keep the stream open until the container stops (or `signal` aborts). */
  follow: boolean;
  /** Only the last N lines. */
  tail?: number;
  signal?: AbortSignal;
  /** One call per complete line, demultiplexed; a last line without a newline is delivered when the stream ends. */
  onLine(stream: 'stdout' | 'stderr', line: string): void;
}

export interface DockerEngine {
  /** Where the engine is, for messages and for the post step (`unix:///var/run/docker.sock`). */
  readonly host: string;
  /** Host path of the engine's socket when it is a unix socket (what a container that needs the engine gets mounted). */
  readonly socketPath: string | undefined;
  ping(): Promise<EngineVersion>;
  imageExists(image: string): Promise<boolean>;
  pullImage(image: string, onProgress?: (progress: PullProgress) => void, signal?: AbortSignal): Promise<void>;
  createContainer(spec: ContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  inspectContainer(id: string): Promise<ContainerState>;
  /** Resolves when the stream ends (container stopped, `signal` aborted, or all lines read without `follow`). */
  containerLogs(id: string, options: LogOptions): Promise<void>;
  /** Resolves with the exit code once the container is not running (no timeout of its own; abort with `signal`). */
  waitContainer(id: string, signal?: AbortSignal): Promise<{ exitCode: number }>;
  /** No error when the container is not running. */
  killContainer(id: string, signal?: string): Promise<void>;
  /** Forced (a running container is killed), anonymous volumes too; `false` when it was already gone. */
  removeContainer(id: string): Promise<boolean>;
  listContainers(filter: ListFilter): Promise<ContainerSummary[]>;
  createNetwork(name: string, labels?: Record<string, string>): Promise<string>;
  listNetworks(filter: ListFilter): Promise<NetworkSummary[]>;
  /** `false` when it was already gone. */
  removeNetwork(id: string): Promise<boolean>;
  createVolume(name: string, labels?: Record<string, string>): Promise<string>;
  listVolumes(filter: ListFilter): Promise<VolumeSummary[]>;
  /** `false` when it was already gone. */
  removeVolume(name: string): Promise<boolean>;
  /** The engine's runtimes and versions (`GET /info`). */
  info(): Promise<EngineInfo>;
  /**
   * Extracts a tar stream at `path` in the container (`PUT /containers/{id}/archive`), created or stopped containers too. With a
   * read-only root file system this works only into a volume mounted there (elsewhere: 500; into a tmpfs: 200, files never appear).
   */
  putArchive(id: string, path: string, tar: Buffer | Readable): Promise<void>;
  /**
   * `path` of the container as a tar (`GET /containers/{id}/archive`; a stopped container's volumes are readable, its tmpfs are
   * gone). Null when the path does not exist; throws `ArchiveTooLargeError` past `maxBytes` of tar.
   */
  getArchive(id: string, path: string, options?: { maxBytes?: number }): Promise<Buffer | null>;
}

/** `getArchive` stopped reading at its bound. */
export class ArchiveTooLargeError extends ExternalServiceError {}

/** No engine answered: for `mcp-gateway: auto` this means "skip", not "fail". */
export class DockerUnavailableError extends ExternalServiceError {}

/** Where the engine listens, from DOCKER_HOST (unix:// or tcp://) or the default socket. */
export type EngineEndpoint = { host: string; socketPath: string } | { host: string; hostname: string; port: number };

export function resolveDockerEndpoint(env: NodeJS.ProcessEnv): EngineEndpoint {
  const value = env.DOCKER_HOST?.trim();
  if (!value) return { host: 'unix:///var/run/docker.sock', socketPath: '/var/run/docker.sock' };
  if (value.startsWith('unix://')) {
    const socketPath = value.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new DockerUnavailableError(`DOCKER_HOST=${value} is not an absolute unix socket path.`, 'docker');
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
export function splitImageReference(image: string): { fromImage: string; tag: string } {
  const at = image.indexOf('@');
  if (at >= 0) return { fromImage: image.slice(0, at), tag: image.slice(at + 1) };
  const colon = image.lastIndexOf(':');
  if (colon > image.lastIndexOf('/')) return { fromImage: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { fromImage: image, tag: 'latest' };
}

export interface EngineOptions {
  env?: NodeJS.ProcessEnv;
  /** Every object this engine creates carries this run's labels; creating is refused without it. */
  runId?: string;
  /** Called as soon as an object exists (before it is started), so the main step can save it to the post step's state. */
  onCreated?(resource: CreatedResource): void;
  /** Per request, streams excepted. */
  requestTimeoutMs?: number;
}

export function createDockerEngine(options: EngineOptions = {}): DockerEngine {
  return new HttpDockerEngine(resolveDockerEndpoint(options.env ?? process.env), options);
}

/** Like `createDockerEngine`, but a DOCKER_HOST this client cannot use is a reason (for `mcp-gateway: auto`), not a throw. */
export function tryCreateDockerEngine(options: EngineOptions = {}): { engine: DockerEngine; problem?: undefined } | { engine?: undefined; problem: string } {
  try {
    return { engine: createDockerEngine(options) };
  } catch (error) {
    return { problem: getErrorMessage(error) };
  }
}

interface Reply {
  status: number;
  body: Buffer;
}

const IMAGE_REFERENCE_PATH = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function checkPathPart(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value)) throw new ExternalServiceError(`Invalid ${what} for the Docker engine: ${JSON.stringify(value)}.`, 'docker');
  return value;
}

class HttpDockerEngine implements DockerEngine {
  readonly host: string;
  readonly socketPath: string | undefined;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  private readonly timeoutMs: number;

  constructor(
    private readonly endpoint: EngineEndpoint,
    private readonly options: EngineOptions,
  ) {
    this.host = endpoint.host;
    this.socketPath = 'socketPath' in endpoint ? endpoint.socketPath : undefined;
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  async ping(): Promise<EngineVersion> {
    const reply = await this.call('GET', '/version', { timeoutMs: Math.min(this.timeoutMs, 5_000) });
    const v = parseJson(reply.body) as { Version?: string; ApiVersion?: string; Os?: string; Arch?: string };
    return { version: v.Version ?? '?', apiVersion: v.ApiVersion ?? '?', os: v.Os ?? '?', arch: v.Arch ?? '?' };
  }

  async imageExists(image: string): Promise<boolean> {
    const reply = await this.request('GET', `/images/${checkPathPart(image, IMAGE_REFERENCE_PATH, 'image reference')}/json`);
    if (reply.status === 404) return false;
    this.check(reply, `inspect image ${image}`);
    return true;
  }

  async pullImage(image: string, onProgress?: (progress: PullProgress) => void, signal?: AbortSignal): Promise<void> {
    const { fromImage, tag } = splitImageReference(image);
    let failure: string | undefined;
    const status = await this.stream(
      'POST',
      `/images/create?${new URLSearchParams({ fromImage, tag }).toString()}`,
      (chunk, state) => {
        state.buffer += chunk.toString('utf8');
        let newline: number;
        while ((newline = state.buffer.indexOf('\n')) >= 0) {
          const line = state.buffer.slice(0, newline).trim();
          state.buffer = state.buffer.slice(newline + 1);
          if (!line) continue;
          let event: { status?: string; id?: string; error?: string; progressDetail?: { current?: number; total?: number } };
          try {
            event = JSON.parse(line) as typeof event;
          } catch {
            continue;
          }
          if (event.error) failure = event.error;
          else if (event.status) {
            onProgress?.({ status: event.status, id: event.id, current: event.progressDetail?.current, total: event.progressDetail?.total });
          }
        }
      },
      { buffer: '' },
      signal,
    );
    if (status.status >= 300) {
      throw this.errorOf(status, `pull ${image}`);
    }
    // The engine answers 200 and then reports the failure inside the stream.
    if (failure) throw new ExternalServiceError(`Docker could not pull ${image}: ${failure}`, 'docker');
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    const labels = this.labelsFor(spec.labels);
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
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
    const id = (parseJson(reply.body) as { Id?: string }).Id;
    if (!id) throw new ExternalServiceError('The Docker engine created a container but returned no id.', 'docker');
    this.options.onCreated?.({ kind: 'container', id, name: spec.name });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const reply = await this.request('POST', `/containers/${checkPathPart(id, ID, 'container id')}/start`);
    if (reply.status === 304) return;
    this.check(reply, `start container ${short(id)}`);
  }

  async inspectContainer(id: string): Promise<ContainerState> {
    const reply = this.check(await this.request('GET', `/containers/${checkPathPart(id, ID, 'container id')}/json`), `inspect container ${short(id)}`);
    const c = parseJson(reply.body) as {
      Id: string;
      Name?: string;
      State?: { Status?: string; Running?: boolean; ExitCode?: number; OOMKilled?: boolean; Error?: string; StartedAt?: string; FinishedAt?: string };
      Config?: { Labels?: Record<string, string> | null; User?: string };
      NetworkSettings?: { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> | null };
      HostConfig?: RawHostConfig;
    };
    const ports: ContainerState['ports'] = {};
    for (const [key, bindings] of Object.entries(c.NetworkSettings?.Ports ?? {})) {
      const binding = bindings?.find((b) => b.HostIp === '127.0.0.1') ?? bindings?.[0];
      if (binding?.HostPort) ports[key] = { hostIp: binding.HostIp, hostPort: Number(binding.HostPort) };
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

  async containerLogs(id: string, options: LogOptions): Promise<void> {
    const query = new URLSearchParams({ stdout: '1', stderr: '1', follow: options.follow ? '1' : '0' });
    if (options.tail !== undefined) query.set('tail', String(options.tail));
    const demux = new LogDemuxer((stream, line) => options.onLine(stream, line));
    const reply = await this.stream(
      'GET',
      `/containers/${checkPathPart(id, ID, 'container id')}/logs?${query.toString()}`,
      (chunk) => demux.push(chunk),
      undefined,
      options.signal,
      true,
    ).catch((error: unknown) => {
      if (options.signal?.aborted) return { status: 200, body: Buffer.alloc(0) };
      throw error;
    });
    demux.end();
    if (reply.status >= 300) throw this.errorOf(reply, `read the log of container ${short(id)}`);
  }

  async waitContainer(id: string, signal?: AbortSignal): Promise<{ exitCode: number }> {
    const reply = await this.request('POST', `/containers/${checkPathPart(id, ID, 'container id')}/wait?condition=not-running`, {
      timeoutMs: 0,
      signal,
      background: true,
    });
    this.check(reply, `wait for container ${short(id)}`);
    return { exitCode: (parseJson(reply.body) as { StatusCode?: number }).StatusCode ?? -1 };
  }

  async killContainer(id: string, signal = 'SIGKILL'): Promise<void> {
    const reply = await this.request('POST', `/containers/${checkPathPart(id, ID, 'container id')}/kill?${new URLSearchParams({ signal }).toString()}`);
    // 409: not running; 404: gone. Both mean the goal is reached.
    if (reply.status === 409 || reply.status === 404) return;
    this.check(reply, `kill container ${short(id)}`);
  }

  async removeContainer(id: string): Promise<boolean> {
    const reply = await this.request('DELETE', `/containers/${checkPathPart(id, ID, 'container id')}?force=1&v=1`);
    if (reply.status === 404) return false;
    this.check(reply, `remove container ${short(id)}`);
    return true;
  }

  async listContainers(filter: ListFilter): Promise<ContainerSummary[]> {
    const filters: Record<string, string[]> = {};
    if (filter.labels?.length) filters.label = filter.labels;
    if (filter.network) filters.network = [filter.network];
    const reply = this.check(
      await this.request('GET', `/containers/json?${new URLSearchParams({ all: '1', filters: JSON.stringify(filters) }).toString()}`),
      'list containers',
    );
    const items = parseJson(reply.body) as { Id: string; Names?: string[]; State?: string; Labels?: Record<string, string> | null }[];
    return items.map((c) => ({
      id: c.Id,
      names: (c.Names ?? []).map((n) => n.replace(/^\//, '')),
      state: c.State ?? 'unknown',
      labels: c.Labels ?? {},
    }));
  }

  async createNetwork(name: string, labels?: Record<string, string>): Promise<string> {
    const body = { Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: this.labelsFor(labels) };
    const reply = this.check(await this.request('POST', '/networks/create', { body }), `create network ${name}`);
    const id = (parseJson(reply.body) as { Id?: string }).Id;
    if (!id) throw new ExternalServiceError('The Docker engine created a network but returned no id.', 'docker');
    this.options.onCreated?.({ kind: 'network', id, name });
    return id;
  }

  async listNetworks(filter: ListFilter): Promise<NetworkSummary[]> {
    const filters = filter.labels?.length ? { label: filter.labels } : {};
    const reply = this.check(await this.request('GET', `/networks?${new URLSearchParams({ filters: JSON.stringify(filters) }).toString()}`), 'list networks');
    const items = parseJson(reply.body) as { Id: string; Name: string; Labels?: Record<string, string> | null }[];
    return items.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {} }));
  }

  async removeNetwork(id: string): Promise<boolean> {
    const reply = await this.request('DELETE', `/networks/${checkPathPart(id, ID, 'network id')}`);
    if (reply.status === 404) return false;
    this.check(reply, `remove network ${short(id)}`);
    return true;
  }

  async createVolume(name: string, labels?: Record<string, string>): Promise<string> {
    const body = { Name: name, Labels: this.labelsFor(labels) };
    const reply = this.check(await this.request('POST', '/volumes/create', { body }), `create volume ${name}`);
    const created = (parseJson(reply.body) as { Name?: string }).Name ?? name;
    this.options.onCreated?.({ kind: 'volume', id: created, name: created });
    return created;
  }

  async listVolumes(filter: ListFilter): Promise<VolumeSummary[]> {
    const filters = filter.labels?.length ? { label: filter.labels } : {};
    const reply = this.check(await this.request('GET', `/volumes?${new URLSearchParams({ filters: JSON.stringify(filters) }).toString()}`), 'list volumes');
    const items = (parseJson(reply.body) as { Volumes?: { Name: string; Labels?: Record<string, string> | null }[] | null }).Volumes ?? [];
    return items.map((v) => ({ name: v.Name, labels: v.Labels ?? {} }));
  }

  async removeVolume(name: string): Promise<boolean> {
    const reply = await this.request('DELETE', `/volumes/${checkPathPart(name, ID, 'volume name')}?force=1`);
    if (reply.status === 404) return false;
    this.check(reply, `remove volume ${name}`);
    return true;
  }

  async info(): Promise<EngineInfo> {
    const reply = this.check(await this.request('GET', '/info'), 'describe itself (GET /info)');
    const i = parseJson(reply.body) as { Runtimes?: Record<string, unknown> | null; DefaultRuntime?: string; ServerVersion?: string; CgroupVersion?: string };
    return {
      runtimes: Object.keys(i.Runtimes ?? {}).sort(),
      defaultRuntime: i.DefaultRuntime ?? 'runc',
      serverVersion: i.ServerVersion ?? '?',
      cgroupVersion: i.CgroupVersion ?? '?',
    };
  }

  async putArchive(id: string, path: string, tar: Buffer | Readable): Promise<void> {
    const query = new URLSearchParams({ path, noOverwriteDirNonDir: '1' }).toString();
    const reply = await this.request('PUT', `/containers/${checkPathPart(id, ID, 'container id')}/archive?${query}`, {
      raw: tar,
      contentType: 'application/x-tar',
      // A large tree may take longer than one request's usual bound to stream.
      timeoutMs: Math.max(this.timeoutMs, 300_000),
    });
    this.check(reply, `copy files to ${path} in container ${short(id)}`);
  }

  async getArchive(id: string, path: string, options: { maxBytes?: number } = {}): Promise<Buffer | null> {
    const query = new URLSearchParams({ path }).toString();
    const chunks: Buffer[] = [];
    let size = 0;
    const limit = options.maxBytes ?? Infinity;
    const controller = new AbortController();
    const bound = { exceeded: false };
    const reply = await this.stream(
      'GET',
      `/containers/${checkPathPart(id, ID, 'container id')}/archive?${query}`,
      (chunk) => {
        size += chunk.length;
        if (size > limit) {
          bound.exceeded = true;
          controller.abort(new ArchiveTooLargeError(`${path} in container ${short(id)} is larger than ${limit} bytes as a tar`, 'docker'));
          return;
        }
        chunks.push(chunk);
      },
      undefined,
      controller.signal,
      true,
    ).catch((error: unknown) => {
      throw bound.exceeded ? controller.signal.reason : error;
    });
    if (bound.exceeded) throw controller.signal.reason;
    if (reply.status === 404) return null;
    this.check(reply, `copy ${path} out of container ${short(id)}`);
    return Buffer.concat(chunks);
  }

  private labelsFor(extra: Record<string, string> | undefined): Record<string, string> {
    if (!this.options.runId) {
      throw new Error('This Docker engine client is not bound to a run: it may list and remove, not create (objects must carry the run label).');
    }
    return { ...extra, ...runLabels(this.options.runId) };
  }

  private check(reply: Reply, what: string): Reply {
    if (reply.status >= 200 && reply.status < 300) return reply;
    throw this.errorOf(reply, what);
  }

  private errorOf(reply: Reply, what: string): ExternalServiceError {
    let message = reply.body.toString('utf8').trim();
    try {
      const parsed = JSON.parse(message) as { message?: unknown };
      if (typeof parsed.message === 'string') message = parsed.message;
    } catch {
      // not JSON: keep the text
    }
    return new ExternalServiceError(`Docker could not ${what}: ${message || `HTTP ${reply.status}`}`, 'docker', reply.status);
  }

  /** A non-streaming request with its body collected. */
  private call(method: string, path: string, options: { body?: unknown; timeoutMs?: number } = {}): Promise<Reply> {
    return this.request(method, path, options).then((reply) => this.check(reply, `answer ${method} ${path.split('?')[0]}`));
  }

  private request(
    method: string,
    path: string,
    options: RequestOptions & { signal?: AbortSignal; background?: boolean } = {},
  ): Promise<Reply> {
    const chunks: Buffer[] = [];
    return this.stream(method, path, (chunk) => chunks.push(chunk), undefined, options.signal, options.background, options).then((reply) => ({
      status: reply.status,
      body: reply.status >= 300 ? reply.body : Buffer.concat(chunks),
    }));
  }

  /**
   * One HTTP exchange with the engine; `onChunk` sees the response body as it arrives. Long-lived requests (`background`: wait,
   * followed logs) get a connection of their own and no timeout; their callers end them through `signal`.
   */
  private stream<S>(
    method: string,
    path: string,
    onChunk: (chunk: Buffer, state: S) => void,
    state: S,
    signal?: AbortSignal,
    background = false,
    options: RequestOptions = {},
  ): Promise<Reply> {
    const raw = options.raw;
    const payload = Buffer.isBuffer(raw) ? raw : options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const contentType = options.contentType ?? 'application/json';
    const streamed = raw !== undefined && !Buffer.isBuffer(raw) ? raw : undefined;
    const timeoutMs = options.timeoutMs ?? (background || path.startsWith('/images/create') ? 0 : this.timeoutMs);
    return new Promise<Reply>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        return;
      }
      const target =
        'socketPath' in this.endpoint ? { socketPath: this.endpoint.socketPath } : { host: this.endpoint.hostname, port: this.endpoint.port };
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
      let timer: NodeJS.Timeout | undefined;
      if (timeoutMs > 0) {
        timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        timer.unref();
      }
      req.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (signal?.aborted) {
          reject(signal.reason instanceof Error ? signal.reason : error);
        } else if (['ENOENT', 'ECONNREFUSED', 'EACCES', 'EHOSTUNREACH', 'ENOTFOUND'].includes(error.code ?? '')) {
          reject(new DockerUnavailableError(`No Docker engine answers at ${this.host}: ${error.code} (${getErrorMessage(error)}).`, 'docker', undefined, { cause: error }));
        } else {
          reject(new ExternalServiceError(`The Docker engine at ${this.host} failed on ${method} ${path.split('?')[0]}: ${getErrorMessage(error)}`, 'docker', undefined, { cause: error }));
        }
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const errorBody: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          if (status >= 300) errorBody.push(chunk);
          else onChunk(chunk, state);
        });
        res.on('error', (error) => {
          clearTimeout(timer);
          if (signal?.aborted) resolve({ status, body: Buffer.concat(errorBody) });
          else reject(new ExternalServiceError(`The Docker engine's answer to ${method} ${path.split('?')[0]} broke off: ${getErrorMessage(error)}`, 'docker'));
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status, body: Buffer.concat(errorBody) });
        });
      });
      if (streamed) {
        streamed.on('error', (error) => req.destroy(error));
        streamed.pipe(req);
      } else {
        req.end(payload);
      }
    });
  }
}

interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (`contentType`), a stream chunked. */
  raw?: Buffer | Readable;
  contentType?: string;
  timeoutMs?: number;
}

function ulimitList(ulimits: { nofile?: number; nproc?: number }): { Name: string; Soft: number; Hard: number }[] {
  const list: { Name: string; Soft: number; Hard: number }[] = [];
  if (ulimits.nofile !== undefined) list.push({ Name: 'nofile', Soft: ulimits.nofile, Hard: ulimits.nofile });
  if (ulimits.nproc !== undefined) list.push({ Name: 'nproc', Soft: ulimits.nproc, Hard: ulimits.nproc });
  return list;
}

function tmpfsOptions(options: TmpfsOptions): string {
  const parts = ['rw', ...(options.flags ?? [])];
  if (options.sizeBytes !== undefined) parts.push(`size=${options.sizeBytes}`);
  if (options.mode !== undefined) parts.push(`mode=${options.mode.toString(8)}`);
  if (options.uid !== undefined) parts.push(`uid=${options.uid}`);
  if (options.gid !== undefined) parts.push(`gid=${options.gid}`);
  return parts.join(',');
}

interface RawHostConfig {
  NetworkMode?: string;
  Runtime?: string;
  Memory?: number;
  MemorySwap?: number;
  NanoCpus?: number;
  PidsLimit?: number | null;
  ReadonlyRootfs?: boolean;
  CapDrop?: string[] | null;
  SecurityOpt?: string[] | null;
  Init?: boolean | null;
  Ulimits?: { Name: string; Soft: number; Hard: number }[] | null;
  Tmpfs?: Record<string, string> | null;
}

function appliedHostConfig(h: RawHostConfig, user: string): AppliedHostConfig {
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

function short(id: string): string {
  return /^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id;
}

function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new ExternalServiceError(`The Docker engine answered something that is not JSON: ${text.slice(0, 200)}`, 'docker');
  }
}

/**
 * The engine multiplexes a container's stdout and stderr (no TTY) into frames: one byte stream type (1 stdout, 2 stderr), three
 * zero bytes, a big-endian uint32 length, then the payload. Frames and lines both cross chunk boundaries.
 */
/** Characters of a line without its line break held before it is delivered as a line of its own. */
const MAX_PARTIAL_LINE = 64 * 1024;

export class LogDemuxer {
  private pending: Buffer = Buffer.alloc(0);
  private readonly partial = { stdout: '', stderr: '' };

  constructor(private readonly onLine: (stream: 'stdout' | 'stderr', line: string) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const type = this.pending[0];
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const payload = this.pending.subarray(8, 8 + size).toString('utf8');
      this.pending = this.pending.subarray(8 + size);
      this.text(type === 2 ? 'stderr' : 'stdout', payload);
    }
  }

  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.onLine(stream, this.partial[stream]);
      this.partial[stream] = '';
    }
  }

  private text(stream: 'stdout' | 'stderr', payload: string): void {
    const lines = (this.partial[stream] + payload).split('\n');
    let rest = lines.pop() ?? '';
    for (const line of lines) this.onLine(stream, line.replace(/\r$/, ''));
    // A container that writes without a line break (`cat /dev/zero`) must not grow this buffer without end: a long run is a line.
    while (rest.length > MAX_PARTIAL_LINE) {
      this.onLine(stream, rest.slice(0, MAX_PARTIAL_LINE));
      rest = rest.slice(MAX_PARTIAL_LINE);
    }
    this.partial[stream] = rest;
  }
}
