/**
 * Runs a command as a whole process and measures it from the outside: wall time (spawn to close), and the memory of its process
 * tree, sampled from /proc every 10 ms while it runs — the sum of VmRSS over the tree (the figure the targets use: what the
 * machine must hold at once) and, per process name, the kernel's own peak (VmHWM) of the largest process of that name. Linux only;
 * elsewhere the memory figures are NaN.
 *
 * The sampling runs in the bench process on a timer: while a measured process runs the bench does nothing else but collect its
 * output, so the timer is not delayed by other work of ours.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpuClock } from './cpu.js';
import { childrenOf, commOf, statusKb } from './proc.js';

const INTERVAL_MS = 10;
export const PROC_AVAILABLE = existsSync('/proc/self/status');

export interface ProcessRun {
  wallMs: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /**
   * CPU time (user + system) of the process and every descendant it waited for (git, ast-grep), from this process's cutime + cstime:
   * hardly moved by other work on the machine, unlike wall time. NaN without /proc, or when another child of ours ended meanwhile.
   */
  cpuMs: number;
  /** Highest sum of VmRSS over the process and its descendants at one sample (kB); NaN without /proc. */
  treePeakKb: number;
  /** By process name: the highest VmHWM of a process of that name (kB). */
  byName: Record<string, number>;
  samples: number;
}

export async function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ProcessRun> {
  const cpuBefore = cpuClock().childrenMs;
  const started = performance.now();
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  let treePeakKb = PROC_AVAILABLE ? 0 : NaN;
  const byName: Record<string, number> = {};
  let samples = 0;
  let rootName: string | undefined;
  const sample = (): void => {
    if (!PROC_AVAILABLE || child.pid === undefined) return;
    samples++;
    let sum = 0;
    const root = child.pid;
    rootName ??= commOf(root);
    const stack = [root];
    while (stack.length > 0) {
      const pid = stack.pop()!;
      const name = commOf(pid);
      // Between fork and exec a child still has the parent's name and maps the parent's pages: not a process of its own yet.
      if (pid !== root && name === rootName) continue;
      const rss = statusKb(pid, 'VmRSS');
      if (rss === undefined) continue;
      sum += rss;
      byName[name] = Math.max(byName[name] ?? 0, statusKb(pid, 'VmHWM') ?? rss);
      stack.push(...childrenOf(pid));
    }
    treePeakKb = Math.max(treePeakKb, sum);
  };
  const timer = setInterval(sample, INTERVAL_MS);
  let timedOut = false;
  const killer = options.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, options.timeoutMs)
    : undefined;
  try {
    const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, sig) => resolve([code, sig]));
    });
    const wallMs = performance.now() - started;
    return {
      wallMs,
      cpuMs: cpuClock().childrenMs - cpuBefore,
      exitCode,
      signal,
      timedOut,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
      treePeakKb,
      byName,
      samples,
    };
  } finally {
    clearInterval(timer);
    if (killer) clearTimeout(killer);
  }
}
