/**
 * Child process of the bench that watches memory from the outside, so that its own event loop never waits for the bench's: every
 * 10 ms it reads the bench process's VmRSS and, for every descendant (ast-grep, git), VmHWM (the kernel's own peak for that
 * process) from /proc. Peaks are kept per phase; the bench names the phases. Linux only (without /proc it reports nothing).
 */
import { childrenOf, commOf, statusKb } from './proc.js';
import type { FromSampler, PhaseMemory, ToSampler } from './rss.js';

const INTERVAL_MS = 10;
const target = process.ppid;
const ownComm = commOf(target);
let excluded = new Set<number>([process.pid]);
const phases: PhaseMemory[] = [];
let current: PhaseMemory | undefined;

function sample(): void {
  if (!current) return;
  const rss = statusKb(target, 'VmRSS');
  if (rss !== undefined) current.mainPeakKb = Math.max(current.mainPeakKb, rss);
  const stack = childrenOf(target);
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (excluded.has(pid)) continue;
    stack.push(...childrenOf(pid));
    const hwm = statusKb(pid, 'VmHWM');
    if (hwm === undefined) continue;
    const comm = commOf(pid);
    // Between fork and exec a child still carries node's name and maps node's pages: not a process of its own yet.
    if (comm === ownComm) continue;
    const entry = (current.children[comm] ??= { peakKb: 0, processes: 0, pids: [] });
    entry.peakKb = Math.max(entry.peakKb, hwm);
    if (!entry.pids.includes(pid)) {
      entry.pids.push(pid);
      entry.processes++;
    }
  }
}

const timer = setInterval(sample, INTERVAL_MS);

process.on('message', (raw: unknown) => {
  const message = raw as ToSampler;
  if (message.type === 'phase') {
    sample();
    const startKb = statusKb(target, 'VmRSS') ?? 0;
    current = message.name === undefined ? undefined : { name: message.name, mainStartKb: startKb, mainPeakKb: startKb, children: {} };
    if (current) phases.push(current);
    if (message.exclude) excluded = new Set([process.pid, ...message.exclude]);
    process.send?.({ type: 'ack' } satisfies FromSampler);
  } else if (message.type === 'report') {
    sample();
    const report: FromSampler = {
      type: 'report',
      phases: phases.map((p) => ({
        ...p,
        children: Object.fromEntries(Object.entries(p.children).map(([comm, c]) => [comm, { ...c, pids: [] }])),
      })),
      targetHwmKb: statusKb(target, 'VmHWM'),
    };
    process.send?.(report);
  } else {
    // 'stop', the last kind of message the bench sends
    clearInterval(timer);
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
