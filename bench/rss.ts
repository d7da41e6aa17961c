/**
 * Peak memory of the bench process and of the processes it starts (ast-grep, git), per phase, measured by a sampler process
 * (bench/rss-sampler.ts) that reads /proc every 10 ms. The bench's own lifetime peak also comes from the kernel
 * (`process.resourceUsage().maxRSS`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isType, nextMessage } from './ipc.js';

export interface PhaseMemory {
  name: string;
  /** VmRSS of the bench process when the phase started. */
  mainStartKb: number;
  /** Highest VmRSS of the bench process seen during the phase (sampled). */
  mainPeakKb: number;
  /** By process name (`ast-grep`, `git`): the highest VmHWM of any one process, and how many were seen. */
  children: Record<string, { peakKb: number; processes: number; pids: number[] }>;
}

export type ToSampler = { type: 'phase'; name?: string; exclude?: number[] } | { type: 'report' } | { type: 'stop' };
export type FromSampler = { type: 'ack' } | { type: 'report'; phases: PhaseMemory[]; targetHwmKb?: number };

export class MemorySampler {
  private constructor(
    private readonly child: ChildProcess | undefined,
    /** Why nothing is sampled (no /proc). */
    readonly unavailable?: string,
  ) {}

  static start(): MemorySampler {
    if (!existsSync('/proc/self/status')) return new MemorySampler(undefined, 'no /proc on this system');
    const child = fork(fileURLToPath(new URL('./rss-sampler.ts', import.meta.url)), [], { stdio: 'inherit' });
    return new MemorySampler(child);
  }

  /** Starts a phase (undefined: none); processes in `exclude` (e.g. the simulator) are never counted. */
  async phase(name: string | undefined, exclude?: number[]): Promise<void> {
    if (!this.child) return;
    const ack = nextMessage(this.child, isType<{ type: 'ack' }>('ack'));
    this.child.send({ type: 'phase', name, exclude } satisfies ToSampler);
    await ack;
  }

  async report(): Promise<{ phases: PhaseMemory[]; targetHwmKb?: number }> {
    if (!this.child) return { phases: [] };
    const report = nextMessage(this.child, isType<Extract<FromSampler, { type: 'report' }>>('report'));
    this.child.send({ type: 'report' } satisfies ToSampler);
    const { phases, targetHwmKb } = await report;
    return { phases, targetHwmKb };
  }

  stop(): void {
    if (this.child?.connected) this.child.send({ type: 'stop' } satisfies ToSampler);
  }
}
