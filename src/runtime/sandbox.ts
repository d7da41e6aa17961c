/**
 * The sandbox seam: where a pull request's code runs (its tests, the stdio MCP servers it adds), never on the host. The scanners that
 * need it declare `sandbox: true` in the registry; the runtime hands them a backend (`docker-sandbox.ts` today; a Kubernetes Job
 * backend is designed in docs/sandbox-kubernetes.md). DESIGN.md §5 "Running untrusted tests in a container" and §6 list what a
 * backend must enforce.
 */

/** Inside the sandbox: the head tree is copied to `SANDBOX_WORKDIR`, the user's home is `SANDBOX_HOME` (both on the run's scratch volume). */
export const SANDBOX_ROOT = '/sandbox';
export const SANDBOX_WORKDIR = '/sandbox/repo';
export const SANDBOX_HOME = '/sandbox/home';
/** The non-root user the commands run as (numeric: the image need not know it). */
export const SANDBOX_UID = 1000;
export const SANDBOX_GID = 1000;

export interface SandboxLimits {
  /** Hard deadline for the whole run (every phase together), after which everything is killed. */
  timeoutMs: number;
  /** Memory of each phase's container; swap is never added (swap limit = memory limit). */
  memoryBytes: number;
  /** CPUs, fractional allowed. */
  cpus: number;
  /** Processes and threads in the container (a fork bomb stops here). */
  pids: number;
  /** `nofile` ulimit (soft = hard). */
  openFiles: number;
  /** `nproc` ulimit (soft = hard). */
  processes: number;
}

/** One step of a run: each phase runs in a fresh container over the same scratch volume, in order. */
export interface SandboxPhase {
  /** `setup` installs dependencies; `test` runs the tests. */
  name: 'setup' | 'test';
  /** A shell command (`sh -c`), run as the non-root user in `SANDBOX_WORKDIR`. */
  command: string;
  /** The test phase never has network; the setup phase has what the configuration says. */
  network: 'none' | 'default';
}

/**
 * The files a run starts from: a folder (the repository-relative `files` of it, regular files only, symlinks never followed), or a
 * tar stream whose entries are relative to the repository root (`git archive` of the head commit); the backend re-owns the entries.
 */
export type SandboxTree =
  | { kind: 'folder'; root: string; files?: readonly string[] }
  | { kind: 'tar'; open(): NodeJS.ReadableStream };

export interface SandboxRun {
  /** The image every phase runs in (pulled when it is not present). */
  image: string;
  /** What is copied into the sandbox (never bind-mounted), at `SANDBOX_WORKDIR` inside, owned by the sandbox user. */
  tree: SandboxTree;
  /** Run in order; when one does not exit 0 the later ones do not run (`not-run`). */
  phases: readonly SandboxPhase[];
  /**
   * An allowlist: nothing of the runner's environment reaches the sandbox unless it is here. The backend adds `HOME`, `CI=true`,
   * `TMPDIR` and the cache locations under HOME; it never adds anything of its own process's environment.
   */
  env: Readonly<Record<string, string>>;
  limits: SandboxLimits;
  /** Globs relative to `SANDBOX_WORKDIR` of files to bring back after the last phase (test reports); only files written during the run. */
  collect?: readonly string[];
  /** Bounds on what is brought back. */
  collectLimits?: { files: number; bytesPerFile: number };
  /** Host path where the whole combined log is written (after `redact`). */
  logFile: string;
  /** Applied to every log line before it is kept anywhere. */
  redact(text: string): string;
  signal?: AbortSignal;
}

/** How a phase ended: on its own, killed at the deadline, killed for memory, cancelled, or never started. */
export type SandboxEnd = 'exited' | 'timed-out' | 'out-of-memory' | 'cancelled' | 'not-run';

export interface SandboxPhaseResult {
  name: SandboxPhase['name'];
  /** Null when it did not exit on its own (killed, not run). */
  exitCode: number | null;
  ended: SandboxEnd;
  durationMs: number;
}

export interface SandboxResult {
  phases: SandboxPhaseResult[];
  /** From the first container's creation to the end of the last phase. */
  durationMs: number;
  /** From the test container's creation to its first line of output, when it wrote one. */
  firstOutputMs?: number;
  /** The last lines of the combined output (every phase), redacted. */
  logTail: string;
  /** Same as the request's: the whole log. */
  logFile: string;
  /** Files brought back, by repository-relative path. */
  files: ReadonlyMap<string, Buffer>;
  /** What could not be brought back (not a regular file, over a bound), each naming the file. */
  collectWarnings: string[];
  /** The settings that applied, one per line, for the check run and the summary (`user 1000:1000`, `network: test none`, …). */
  applied: readonly string[];
}

export interface SandboxBackend {
  /** For messages: `docker (runc)`, `docker (runsc)`. */
  readonly description: string;
  run(request: SandboxRun): Promise<SandboxResult>;
}
