/**
 * CPU time of this process and of the child processes it has reaped (ast-grep, git), read from the kernel. Unlike wall time it hardly
 * changes when other work shares the CPUs, so it tells where the work is even on a busy machine.
 */
import { readFileSync } from 'node:fs';

export interface CpuClock {
  /** This process, all its threads (process.cpuUsage). */
  selfMs: number;
  /** Children that have exited and been waited for (cutime + cstime of /proc/self/stat); NaN without /proc. */
  childrenMs: number;
}

/** USER_HZ: the unit of the times in /proc/<pid>/stat; fixed at 100 in Linux's user-space ABI (what `getconf CLK_TCK` prints). */
const TICKS_PER_SECOND = 100;

export function cpuClock(): CpuClock {
  const usage = process.cpuUsage();
  let childrenMs = NaN;
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after "pid (comm)": state is field 3, cutime field 16, cstime field 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    childrenMs = ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
  } catch {
    // not Linux
  }
  return { selfMs: (usage.user + usage.system) / 1000, childrenMs };
}

export interface Measured<T> {
  value: T;
  wallMs: number;
  selfCpuMs: number;
  childCpuMs: number;
}

/** Runs `fn` and reports its wall time and the CPU time it cost here and in the children it started (and reaped). */
export async function measure<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  const before = cpuClock();
  const started = performance.now();
  const value = await fn();
  const wallMs = performance.now() - started;
  const after = cpuClock();
  return { value, wallMs, selfCpuMs: after.selfMs - before.selfMs, childCpuMs: after.childrenMs - before.childrenMs };
}
