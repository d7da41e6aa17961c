/**
 * The sandbox seam: where a pull request's code runs (its tests, the stdio MCP servers it adds), never on the host. The scanners that
 * need it declare `sandbox: true` in the registry; the runtime hands them a backend. A Docker implementation is the sandboxed-tests
 * capability's; DESIGN.md §5 "Running untrusted tests in a container" and §6 list what a backend must enforce.
 */

export interface SandboxLimits {
  /** Hard deadline for the whole run (setup and command), after which everything is killed. */
  timeoutMs: number;
  memoryBytes: number;
  /** CPUs, fractional allowed. */
  cpus: number;
  pids: number;
  /** Network during this run: setup may need the registry, tests never. */
  network: 'none' | 'default';
}

export interface SandboxRun {
  /** The head tree's root: copied into the sandbox (never bind-mounted writable), at `workdir` inside. */
  treeRoot: string;
  /** Repository-relative paths to copy; undefined: the whole folder. */
  files?: readonly string[];
  /** A shell command, run as a non-root user with `workdir` as its working directory. */
  command: string;
  /** An allowlist: nothing of the runner's environment reaches the sandbox unless named here. */
  env: Readonly<Record<string, string>>;
  limits: SandboxLimits;
  /** Globs relative to `workdir` of files to bring back after the run (test reports). */
  collect?: readonly string[];
  signal?: AbortSignal;
}

export interface SandboxResult {
  exitCode: number | null;
  /** Why it ended other than by exiting on its own. */
  ended: 'exited' | 'timed-out' | 'out-of-memory' | 'cancelled';
  durationMs: number;
  /** The end of the combined output, secrets redacted. */
  logTail: string;
  /** Files brought back, by repository-relative path. */
  files: ReadonlyMap<string, Buffer>;
}

export interface SandboxBackend {
  /** For messages: `docker (runc)`, `docker (runsc)`. */
  readonly description: string;
  run(request: SandboxRun): Promise<SandboxResult>;
}
