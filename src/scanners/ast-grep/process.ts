import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { wrapError } from '../../errors.js';

/**
 * Runs the ast-grep binary: output streamed line by line (a scan of a large change prints far more than one string should hold),
 * a hard deadline that kills the whole process group, cancellation through an AbortSignal, and a minimal environment (ast-grep
 * needs none of the runner's secrets).
 */
export interface RunAstGrepOptions {
  binary: string;
  args: readonly string[];
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
  onStdoutLine?: (line: string) => void;
  /** Every stderr line, ANSI stripped. */
  onStderrLine?: (line: string) => void;
  /**
   * Sends stderr to this file and reads it after the exit. `--inspect entity` writes a line per file in small pieces: through a
   * pipe that is tens of thousands of reads for a large change, and ast-grep stalls whenever node is slow to read.
   */
  stderrFile?: string;
  /**
   * On Linux, the address space the process may use (`ulimit -v`): past it an allocation fails and ast-grep stops (SIGABRT,
   * `memory allocation of … failed` on stderr) instead of taking the runner's memory. Elsewhere it is not applied.
   */
  memoryLimitBytes?: number;
}

export interface RunAstGrepResult {
  exitCode: number | null;
  /** The signal that ended the process, when it did not exit by itself. */
  exitSignal: NodeJS.Signals | null;
  /** The process could not be started (ENOENT, EACCES, …). */
  spawnError?: Error;
  timedOut: boolean;
  aborted: boolean;
  /** The last stderr lines (ANSI stripped, without `--inspect` tracing), bounded. */
  stderr: string;
  durationMs: number;
}

const STDERR_KEEP_BYTES = 64 * 1024;
const ENV_ALLOWLIST = ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'LC_ALL', 'SYSTEMROOT', 'USERPROFILE', 'APPDATA'];

// ESC [ … final byte, and OSC sequences.
// eslint-disable-next-line no-control-regex -- ESC and BEL are what ANSI sequences are made of: stripping them is the point
const ANSI_PATTERN = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

export function astGrepEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const name of ENV_ALLOWLIST) if (env[name] !== undefined) out[name] = env[name];
  // Without this a config error prints a Rust stack trace when the runner sets RUST_BACKTRACE.
  out.RUST_BACKTRACE = '0';
  out.NO_COLOR = '1';
  return out;
}

export async function runAstGrep(options: RunAstGrepOptions): Promise<RunAstGrepResult> {
  const started = Date.now();
  const posix = process.platform !== 'win32';
  const result: RunAstGrepResult = {
    exitCode: null,
    exitSignal: null,
    timedOut: false,
    aborted: false,
    stderr: '',
    durationMs: 0,
  };
  if (options.signal?.aborted) {
    result.aborted = true;
    return result;
  }

  const stderrFd = options.stderrFile ? openSync(options.stderrFile, 'w') : undefined;
  const [command, args] = withMemoryLimit(options.binary, options.args, options.memoryLimitBytes);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: astGrepEnv(),
    stdio: ['ignore', 'pipe', stderrFd ?? 'pipe'],
    // Its own process group, so that a timeout kills everything it started.
    detached: posix,
    windowsHide: true,
  });

  const kill = (): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      if (posix) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  const timer = setTimeout(() => {
    result.timedOut = true;
    kill();
  }, Math.min(Math.max(1, options.timeoutMs), 2 ** 31 - 1));
  const onAbort = (): void => {
    result.aborted = true;
    kill();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  // The child has its own copy of the descriptor now.
  if (stderrFd !== undefined) closeSync(stderrFd);
  const stderrLines: string[] = [];
  let stderrBytes = 0;
  // Attached at once: a failing line handler must not become an unhandled rejection while the process still runs.
  let streamError: Error | undefined;
  const settle = (done: Promise<void>): Promise<void> =>
    done.catch((error: unknown) => {
      streamError ??= wrapError(error);
      kill();
    });
  const stdoutDone = child.stdout
    ? settle(consumeLines(child.stdout, (line) => options.onStdoutLine?.(line)))
    : Promise.resolve();
  const onStderr = (raw: string): void => {
    const line = stripAnsi(raw);
    options.onStderrLine?.(line);
    // --inspect tracing can be long; it is not part of an error message
    if (line.startsWith('sg: ')) return;
    stderrLines.push(line);
    stderrBytes += line.length + 1;
    while (stderrBytes > STDERR_KEEP_BYTES && stderrLines.length > 1) stderrBytes -= (stderrLines.shift() ?? '').length + 1;
  };
  const stderrDone = child.stderr ? settle(consumeLines(child.stderr, onStderr)) : Promise.resolve();

  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      result.spawnError = error;
      resolve();
    });
    child.once('close', (code, signal) => {
      result.exitCode = code;
      result.exitSignal = signal;
      resolve();
    });
  });

  try {
    await exited;
    // A spawn error leaves the pipes open; only wait for them when the process ran.
    if (!result.spawnError) await Promise.all([stdoutDone, stderrDone]);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    kill();
  }
  if (streamError !== undefined) throw streamError;
  if (options.stderrFile && !result.spawnError) {
    const text = await readFile(options.stderrFile, 'utf8').catch(() => '');
    for (const line of text.split(/\r?\n/)) if (line !== '') onStderr(line);
  }
  result.stderr = stderrLines.join('\n').trim();
  result.durationMs = Date.now() - started;
  // Through the shell, a binary that cannot be run is its exit status 126/127, not a spawn error: reported as one all the same.
  if (command !== options.binary && (result.exitCode === 126 || result.exitCode === 127) && /not found|Permission denied|cannot execute/i.test(result.stderr)) {
    const code = result.exitCode === 127 ? 'ENOENT' : 'EACCES';
    result.spawnError = Object.assign(new Error(`spawn ${options.binary} ${code}`), { code });
  }
  return result;
}

/**
 * The command that runs `binary` with its address space limited to `limitBytes`: through `/bin/sh`, whose `ulimit -v` sets it
 * and `exec` then replaces the shell (the process group, the pipes and the exit status are ast-grep's own). Only on Linux, where
 * `ulimit -v` is the address space and `/bin/sh` always exists.
 */
export function withMemoryLimit(binary: string, args: readonly string[], limitBytes: number | undefined, platform = process.platform): [string, string[]] {
  if (platform !== 'linux' || limitBytes === undefined || !(limitBytes > 0)) return [binary, [...args]];
  const kib = Math.max(1, Math.floor(limitBytes / 1024));
  return ['/bin/sh', ['-c', `ulimit -v ${kib} && exec "$0" "$@"`, binary, ...args]];
}

/** Whether a run stopped because an allocation failed at the memory limit (Rust's message, then SIGABRT). */
export function ranOutOfMemory(run: Pick<RunAstGrepResult, 'exitSignal' | 'exitCode' | 'stderr'>): boolean {
  return /memory allocation of \d+ bytes failed/.test(run.stderr) && (run.exitSignal !== null || run.exitCode !== 0);
}

/** Line by line, including a last line without a newline. */
async function consumeLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): Promise<void> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of lines) onLine(line);
}

/** `ast-grep --version` → `0.51.1`. */
export async function readAstGrepVersion(binary: string, timeoutMs = 15_000): Promise<string> {
  let output = '';
  const run = await runAstGrep({
    binary,
    args: ['--version'],
    cwd: process.cwd(),
    timeoutMs,
    onStdoutLine: (line) => {
      output += `${line}\n`;
    },
  });
  if (run.spawnError) throw new Error(`${binary} could not be started: ${run.spawnError.message}`);
  if (run.timedOut) throw new Error(`${binary} --version did not answer within ${Math.round(timeoutMs / 1000)} s`);
  const version = /(\d+\.\d+\.\d+\S*)/.exec(output)?.[1];
  if (run.exitCode !== 0 || !version || !/ast-grep|sg/.test(output)) {
    throw new Error(
      `${binary} --version did not print an ast-grep version (exit ${run.exitCode ?? run.exitSignal}): ${(output || run.stderr).trim().slice(0, 200)}`,
    );
  }
  return version;
}
