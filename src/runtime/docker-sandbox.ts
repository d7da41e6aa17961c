/**
 * The Docker backend of the sandbox seam (`sandbox.ts`): the pull request's commands run in containers on the runner's engine,
 * locked down as DESIGN §6 lists, over one scratch volume per run.
 *
 * A run, in order:
 * 1. One labelled volume, mounted at `/sandbox` in every container of the run. The head tree goes in as a tar through the first
 *    container (created, not started) with `PUT …/archive`: with a read-only root file system a volume is the only place a PUT
 *    lands (elsewhere 500; into a tmpfs 200, but the files never appear). The volume's own top folder stays root-owned, so the tar
 *    holds `repo/` and `home/` owned by uid 1000, and a root-owned start marker beside them.
 * 2. Each phase in a fresh container over that volume: uid 1000, all capabilities dropped, no-new-privileges, read-only root, tmpfs
 *    `/tmp`, pids / memory (no swap) / CPU limits, nofile / nproc ulimits, docker-init as PID 1, no bind mount (so no docker
 *    socket), the setup phase on the network it asks for and the test phase on none. The environment is the request's allowlist
 *    plus HOME, CI, TMPDIR and cache locations: never anything of this process's own environment.
 * 3. One hard deadline over all phases: the container is killed and the phase is `timed-out`. A memory kill is read from
 *    `State.OOMKilled`, never guessed from exit code 137 (which our own kill gives too; and a child can be OOM-killed while the
 *    shell goes on to exit 0).
 * 4. Reports: a short step of ours lists, with `find -newer <start marker>`, the files written during the run (pruning
 *    node_modules, .git and virtualenvs, so nothing big is listed); those matching `collect` come back one by one with `GET …/archive`
 *    from the stopped container (the volume outlives it; tmpfs contents do not), as regular files within the bounds.
 * 5. The containers and the volume are removed whatever happened; they carry the run's labels, so the `post:` step's `cleanupRun`
 *    removes them after a crash too.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { gitattributesPatternToRegExp } from '../collect/file-filter.js';
import { ConfigurationError, getErrorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import { formatBinaryBytes } from '../text/strings.js';
import { ArchiveTooLargeError, COMPONENT_LABEL, type AppliedHostConfig, type ContainerSpec, type DockerEngine } from './docker-engine.js';
import {
  SANDBOX_GID,
  SANDBOX_HOME,
  SANDBOX_ROOT,
  SANDBOX_UID,
  SANDBOX_WORKDIR,
  type SandboxBackend,
  type SandboxEnd,
  type SandboxPhase,
  type SandboxPhaseResult,
  type SandboxResult,
  type SandboxRun,
} from './sandbox.js';
import { readTar, retar, treeTar } from './tar.js';

export interface DockerSandboxOptions {
  /** An OCI runtime the engine lists (`runsc` for gVisor); the engine's default otherwise. */
  runtime?: string;
  logger: Logger;
}

/** Root-owned, in the volume's top folder (which uid 1000 cannot write): `find -newer` compares against it. */
const START_MARKER = `${SANDBOX_ROOT}/.ultra-create-start`;
const DEFAULT_COLLECT_LIMITS = { files: 50, bytesPerFile: 10 * 1024 * 1024 };
/** Lines kept for `logTail`. */
const TAIL_LINES = 150;
/** A longer line is cut in the log (a test printing megabytes without a newline). */
const MAX_LINE_CHARS = 16 * 1024;
/** The log file on the runner: a test that prints without end must not fill the runner's disk before the deadline. */
const MAX_LOG_BYTES = 64 * 1024 * 1024;
/** The listing step and the copies out, on top of the deadline (which bounds the user's commands only). */
const COLLECT_BUDGET_MS = 30_000;
/** Files listed by the listing step at most. */
const LISTING_MAX = 5_000;
/** How long the log stream may lag behind the container's exit. */
const LOG_DRAIN_MS = 2_000;
const TMP_BYTES_MAX = 512 * 1024 * 1024;
/** Folders never listed for reports: dependencies, VCS data and virtualenvs are big and never reports. */
const PRUNED = ['node_modules', '.git', '.venv', 'venv', '__pycache__', '.tox', '.pnpm-store', '.yarn'];

/**
 * Runs the phase's command; when the image's own /tmp is not writable for uid 1000 (a tmpfs over a folder of the image keeps that
 * folder's mode: images ship 1777, but not all), TMPDIR moves to the home folder and the log says why.
 */
const PHASE_WRAPPER =
  'if [ ! -w /tmp ]; then echo "ultra-create sandbox: /tmp is not writable for uid $(id -u) (the image\'s /tmp mode); TMPDIR=$HOME/.tmp" >&2; ' +
  'export TMPDIR="$HOME/.tmp"; mkdir -p "$TMPDIR"; fi; exec /bin/sh -c "$1"';

export async function createDockerSandbox(engine: DockerEngine, options: DockerSandboxOptions): Promise<SandboxBackend> {
  const info = await engine.info();
  if (options.runtime && !info.runtimes.includes(options.runtime)) {
    throw new ConfigurationError(
      `sandbox-runtime: the Docker engine (${info.serverVersion}) has no runtime "${options.runtime}"; it has ${info.runtimes.join(', ') || 'none listed'}. ` +
        'Install and register it with the engine (for gVisor: runsc install, then restart dockerd), or leave sandbox-runtime empty.',
    );
  }
  const runtime = options.runtime ?? info.defaultRuntime;
  return new DockerSandbox(engine, options.runtime, runtime, options.logger);
}

/** The combined log: every line redacted, written in full to the log file, the last lines kept. */
export class RunLog {
  private readonly tail: string[] = [];
  private written = 0;
  private readonly file: WriteStream;
  private failure: Error | undefined;

  constructor(
    path: string,
    private readonly redact: (text: string) => string,
    private readonly maxBytes = MAX_LOG_BYTES,
  ) {
    this.file = createWriteStream(path, { flags: 'w', mode: 0o600 });
    this.file.on('error', (error) => (this.failure = error));
  }

  line(text: string): void {
    const cut = text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)} … [line cut at ${MAX_LINE_CHARS} characters]` : text;
    // The tail is redacted when it is read: a flood of output costs one redaction per kept line, not one per line printed.
    this.tail.push(cut);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    if (this.written >= this.maxBytes) return;
    const clean = `${this.redact(cut)}\n`;
    this.written += Buffer.byteLength(clean);
    this.file.write(this.written < this.maxBytes ? clean : `${clean}… [log cut at ${this.maxBytes} bytes: the rest is not kept; the last lines are in the report]\n`);
  }

  tailText(): string {
    return this.tail.map((line) => this.redact(line)).join('\n');
  }

  close(): Promise<Error | undefined> {
    return new Promise((resolve) => this.file.end(() => resolve(this.failure)));
  }
}

interface PhaseOutcome {
  exitCode: number | null;
  ended: SandboxEnd;
  hostConfig?: AppliedHostConfig;
}

class DockerSandbox implements SandboxBackend {
  readonly description: string;

  constructor(
    private readonly engine: DockerEngine,
    /** The runtime to ask for explicitly (undefined: the engine's default). */
    private readonly requestedRuntime: string | undefined,
    runtimeName: string,
    private readonly logger: Logger,
  ) {
    this.description = `docker (${runtimeName})`;
  }

  async run(request: SandboxRun): Promise<SandboxResult> {
    const started = Date.now();
    const deadline = started + request.limits.timeoutMs;
    const engine = this.engine;
    const token = randomBytes(6).toString('hex');
    const labels = { [COMPONENT_LABEL]: 'sandbox' };
    const containers: string[] = [];
    let volume: string | undefined;
    await mkdir(dirname(request.logFile), { recursive: true });
    const log = new RunLog(request.logFile, (text) => request.redact(text));
    const phases: SandboxPhaseResult[] = [];
    const applied: string[] = [];
    const collected = new Map<string, Buffer>();
    const collectWarnings: string[] = [];
    let firstOutputMs: number | undefined;

    try {
      if (!(await engine.imageExists(request.image))) {
        log.line(`── pulling ${request.image}`);
        await engine.pullImage(request.image, undefined, request.signal);
      }
      volume = await engine.createVolume(`ultra-create-sandbox-${token}`, labels);
      const mtime = Math.floor(started / 1000) - 1;
      let stopped = false;
      let testContainer: string | undefined;
      for (const [index, phase] of request.phases.entries()) {
        if (stopped) {
          phases.push({ name: phase.name, exitCode: null, ended: 'not-run', durationMs: 0 });
          continue;
        }
        const phaseStarted = Date.now();
        const id = await engine.createContainer(this.spec(request, phase, volume, `ultra-create-sandbox-${token}-${index}-${phase.name}`, labels));
        containers.push(id);
        if (index === 0) {
          const skipped: string[] = [];
          const layout = {
            top: 'repo',
            uid: SANDBOX_UID,
            gid: SANDBOX_GID,
            mtime,
            extraDirectories: ['home'],
            extraFiles: [{ name: START_MARKER.slice(SANDBOX_ROOT.length + 1), content: Buffer.alloc(0), mode: 0o444, uid: 0, gid: 0 }],
            onSkip: (path: string, reason: string) => skipped.push(`${path} (${reason})`),
          };
          const tree = request.tree;
          await engine.putArchive(
            id,
            SANDBOX_ROOT,
            tree.kind === 'tar' ? retar(tree.open(), layout) : treeTar({ ...layout, treeRoot: tree.root, ...(tree.files && { files: tree.files }) }),
          );
          if (skipped.length) this.logger.info(`Sandbox: ${skipped.length} path(s) of the tree not copied: ${skipped.slice(0, 20).join(', ')}${skipped.length > 20 ? ', …' : ''}.`);
        }
        log.line(`── ${phase.name} (network ${phase.network}): ${phase.command}`);
        const outcome = await this.runContainer(id, deadline, request.signal, (line) => {
          if (phase.name === 'test' && firstOutputMs === undefined) firstOutputMs = Date.now() - phaseStarted;
          log.line(line);
        });
        const durationMs = Date.now() - phaseStarted;
        log.line(`── ${phase.name}: ${describeEnd(outcome)} after ${(durationMs / 1000).toFixed(1)} s`);
        phases.push({ name: phase.name, exitCode: outcome.exitCode, ended: outcome.ended, durationMs });
        if (outcome.hostConfig) {
          if (applied.length === 0) applied.push(...describeApplied(outcome.hostConfig, this.description));
          applied.push(`network: ${phase.name} ${outcome.hostConfig.networkMode || 'default'}`);
        }
        if (phase.name === 'test') testContainer = id;
        if (outcome.ended !== 'exited' || outcome.exitCode !== 0) stopped = true;
      }

      const wanted = request.collect ?? [];
      if (wanted.length && testContainer && !request.signal?.aborted) {
        const listing = await engine.createContainer(
          this.spec(request, { name: 'test', network: 'none', command: listingCommand() }, volume, `ultra-create-sandbox-${token}-collect`, labels, true),
        );
        containers.push(listing);
        await this.collect(listing, wanted, request.collectLimits ?? DEFAULT_COLLECT_LIMITS, collected, collectWarnings);
      }
    } finally {
      // Whatever happened: the containers (forced), then the volume they used.
      for (const id of containers) await engine.removeContainer(id).catch((error: unknown) => this.logger.warning(`Sandbox: could not remove container ${id.slice(0, 12)}: ${getErrorMessage(error)} (the post step retries by label).`));
      if (volume) await engine.removeVolume(volume).catch((error: unknown) => this.logger.warning(`Sandbox: could not remove volume ${volume}: ${getErrorMessage(error)} (the post step retries by label).`));
      const failure = await log.close();
      if (failure) this.logger.warning(`Sandbox: the log file ${request.logFile} could not be written: ${failure.message}`);
    }

    return {
      phases,
      durationMs: Date.now() - started,
      firstOutputMs,
      logTail: log.tailText(),
      logFile: request.logFile,
      files: collected,
      collectWarnings,
      applied,
    };
  }

  private spec(request: SandboxRun, phase: SandboxPhase, volume: string, name: string, labels: Record<string, string>, raw = false): ContainerSpec {
    const { limits } = request;
    const env: Record<string, string> = {
      // Caches under HOME (on the scratch volume), where a package manager would otherwise try the read-only root.
      npm_config_cache: `${SANDBOX_HOME}/.npm`,
      npm_config_update_notifier: 'false',
      YARN_CACHE_FOLDER: `${SANDBOX_HOME}/.cache/yarn`,
      PIP_CACHE_DIR: `${SANDBOX_HOME}/.cache/pip`,
      XDG_CACHE_HOME: `${SANDBOX_HOME}/.cache`,
      XDG_CONFIG_HOME: `${SANDBOX_HOME}/.config`,
      XDG_DATA_HOME: `${SANDBOX_HOME}/.local/share`,
      ...request.env,
      HOME: SANDBOX_HOME,
      CI: 'true',
      TMPDIR: '/tmp',
    };
    return {
      name,
      image: request.image,
      entrypoint: raw ? ['/bin/sh', '-c', phase.command] : ['/bin/sh', '-c', PHASE_WRAPPER, `sandbox-${phase.name}`, phase.command],
      cmd: [],
      env,
      labels,
      user: `${SANDBOX_UID}:${SANDBOX_GID}`,
      workingDir: SANDBOX_WORKDIR,
      volumes: [{ volume, containerPath: SANDBOX_ROOT, noCopy: true }],
      readOnlyRootfs: true,
      tmpfs: { '/tmp': { sizeBytes: Math.min(TMP_BYTES_MAX, limits.memoryBytes), mode: 0o1777, flags: ['nosuid', 'nodev'] } },
      capDrop: ['ALL'],
      securityOpt: ['no-new-privileges'],
      limits: { cpus: limits.cpus, memoryBytes: limits.memoryBytes, pids: limits.pids },
      noSwap: true,
      ulimits: { nofile: limits.openFiles, nproc: limits.processes },
      init: true,
      network: phase.network === 'none' ? 'none' : undefined,
      runtime: this.requestedRuntime,
    };
  }

  /** Starts the container, streams its log, and waits for its end: on its own, at the deadline, or on cancellation. */
  private async runContainer(id: string, deadline: number, signal: AbortSignal | undefined, onLine: (line: string) => void): Promise<PhaseOutcome> {
    const engine = this.engine;
    if (Date.now() >= deadline) return { exitCode: null, ended: 'timed-out' };
    if (signal?.aborted) return { exitCode: null, ended: 'cancelled' };
    const logAbort = new AbortController();
    const waitAbort = new AbortController();
    await engine.startContainer(id);
    const logs = engine.containerLogs(id, { follow: true, signal: logAbort.signal, onLine: (_stream, line) => onLine(line) }).catch((error: unknown) => {
      onLine(`(the log stream broke off: ${getErrorMessage(error)})`);
    });
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const why = await Promise.race([
      engine.waitContainer(id, waitAbort.signal).then(() => 'exited' as const),
      new Promise<'timed-out'>((resolve) => {
        timer = setTimeout(() => resolve('timed-out'), Math.max(0, deadline - Date.now()));
      }),
      new Promise<'cancelled'>((resolve) => {
        onAbort = () => resolve('cancelled');
        // Starting takes a while: the signal may have fired meanwhile.
        if (signal?.aborted) resolve('cancelled');
        else signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]).finally(() => {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    });
    if (why !== 'exited') {
      waitAbort.abort();
      await engine.killContainer(id, 'SIGKILL');
      // The kill is synchronous on the engine's side; the wait makes sure the state below is the final one.
      await engine.waitContainer(id).catch(() => undefined);
    }
    let drainTimer: NodeJS.Timeout | undefined;
    await Promise.race([logs, new Promise<void>((resolve) => (drainTimer = setTimeout(resolve, LOG_DRAIN_MS)))]);
    clearTimeout(drainTimer);
    logAbort.abort();
    const state = await engine.inspectContainer(id);
    if (state.oomKilled) return { exitCode: state.exitCode, ended: 'out-of-memory', hostConfig: state.hostConfig };
    if (why !== 'exited') return { exitCode: null, ended: why, hostConfig: state.hostConfig };
    return { exitCode: state.exitCode, ended: 'exited', hostConfig: state.hostConfig };
  }

  /** Runs the listing step, then copies out each listed file that matches a glob, within the bounds. */
  private async collect(
    listing: string,
    globs: readonly string[],
    limits: { files: number; bytesPerFile: number },
    collected: Map<string, Buffer>,
    warnings: string[],
  ): Promise<void> {
    const engine = this.engine;
    const lines: string[] = [];
    const outcome = await this.runContainer(listing, Date.now() + COLLECT_BUDGET_MS, undefined, (line) => {
      if (lines.length < LISTING_MAX + 1) lines.push(line);
    });
    if (outcome.ended !== 'exited' || outcome.exitCode !== 0) {
      warnings.push(`the reports could not be listed (${describeEnd(outcome)}): ${lines.slice(-3).join(' / ') || 'no output'}`);
      return;
    }
    if (lines.length > LISTING_MAX) warnings.push(`more than ${LISTING_MAX} files were written during the run: only the first ${LISTING_MAX} were looked at`);
    const patterns = globs.map((glob) => gitattributesPatternToRegExp(glob));
    const matches = [
      ...new Set(
        lines
          .slice(0, LISTING_MAX)
          .map((line) => line.replace(/^\.\//, ''))
          .filter((path) => path && patterns.some((pattern) => pattern.test(path))),
      ),
    ].sort();
    const kept = matches.slice(0, limits.files);
    const dropped = matches.slice(limits.files);
    if (dropped.length) {
      warnings.push(`${dropped.length} report(s) over the limit of ${limits.files} files not brought back: ${dropped.slice(0, 20).join(', ')}${dropped.length > 20 ? ', …' : ''}`);
    }
    const budgetEnd = Date.now() + COLLECT_BUDGET_MS;
    for (const path of kept) {
      if (Date.now() > budgetEnd) {
        warnings.push(`${path}: not brought back (the copy-out budget of ${COLLECT_BUDGET_MS / 1000} s ran out)`);
        continue;
      }
      try {
        // A tar of one file: its header, the contents padded to 512 bytes, two end blocks (and maybe a PAX header for a long name).
        const archive = await engine.getArchive(listing, `${SANDBOX_WORKDIR}/${path}`, { maxBytes: limits.bytesPerFile + 8 * 1024 + 2 * path.length });
        if (!archive) {
          warnings.push(`${path}: gone before it could be brought back`);
          continue;
        }
        const { entries, skipped } = readTar(archive, { maxEntries: 4, maxFileBytes: limits.bytesPerFile });
        const file = entries.find((entry) => entry.type === 'file');
        if (file) collected.set(path, file.data);
        else warnings.push(`${path}: not brought back (${skipped[0]?.reason ?? 'not a regular file'})`);
      } catch (error) {
        warnings.push(
          error instanceof ArchiveTooLargeError ? `${path}: over the limit of ${limits.bytesPerFile} bytes, not brought back` : `${path}: ${getErrorMessage(error)}`,
        );
      }
    }
  }
}

/** Regular files under the repository written after the start marker, big dependency folders pruned; `./path` per line. */
function listingCommand(): string {
  const prune = PRUNED.map((name) => `-name '${name}'`).join(' -o ');
  return `cd ${SANDBOX_WORKDIR} && find . \\( ${prune} \\) -prune -o -type f -newer ${START_MARKER} -print | head -n ${LISTING_MAX + 1}`;
}

function describeEnd(outcome: PhaseOutcome): string {
  switch (outcome.ended) {
    case 'exited':
      return `exit code ${outcome.exitCode}`;
    case 'out-of-memory':
      return `out of memory (killed by the memory limit; exit code ${outcome.exitCode})`;
    default:
      return outcome.ended;
  }
}

/** The settings the engine holds for a phase's container, one line each (what the check run and the summary list). */
function describeApplied(h: AppliedHostConfig, description: string): string[] {
  const ulimits = h.ulimits.map((u) => `${u.name}=${u.soft === u.hard ? u.soft : `${u.soft}/${u.hard}`}`).join(', ');
  return [
    `user ${h.user || 'image default'}`,
    `runtime ${h.runtime || description}`,
    `memory ${h.memoryBytes ? formatBinaryBytes(h.memoryBytes) : 'unlimited'}${h.memoryBytes && h.memorySwapBytes === h.memoryBytes ? ', no swap' : ''}`,
    `cpus ${h.nanoCpus ? h.nanoCpus / 1e9 : 'unlimited'}`,
    `pids ${h.pidsLimit || 'unlimited'}`,
    `ulimits ${ulimits || 'image defaults'}`,
    `root file system ${h.readOnlyRootfs ? 'read-only' : 'WRITABLE'}; tmpfs ${Object.keys(h.tmpfs).join(', ') || 'none'}`,
    `capabilities dropped: ${h.capDrop.join(', ') || 'none'}; ${h.securityOpt.includes('no-new-privileges') ? 'no-new-privileges' : 'new privileges allowed'}`,
    `init as PID 1: ${h.init ? 'yes' : 'no'}`,
    'mounts: the scratch volume only (no bind mount, no docker socket)',
  ];
}
