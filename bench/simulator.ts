/** The simulator process (bench/sim-process.ts), seen from the bench. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isType, nextMessage } from './ipc.js';
import type { FailedMessage, ReadyMessage, StateMessage, ToSimulator } from './sim-protocol.js';

export interface SimulatorProcess {
  pid: number;
  ready: ReadyMessage;
  /** What the action sent, and what the simulated GitHub now holds. */
  state(): Promise<StateMessage>;
  close(): Promise<void>;
}

export async function startSimulatorProcess(seed: number): Promise<SimulatorProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./sim-process.ts', import.meta.url)), [String(seed)], {
    stdio: 'inherit',
  });
  const first = await nextMessage(
    child,
    (m: unknown): m is ReadyMessage | FailedMessage => isType<ReadyMessage>('ready')(m) || isType<FailedMessage>('failed')(m),
  );
  if (first.type === 'failed') throw new Error(`The simulator process failed: ${first.error}`);
  const send = (message: ToSimulator): void => {
    child.send(message);
  };
  return {
    pid: child.pid ?? -1,
    ready: first,
    async state() {
      const answer = nextMessage(child, isType<StateMessage>('state'));
      send({ type: 'state' });
      return answer;
    },
    async close() {
      if (!child.connected) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      send({ type: 'close' });
      await exited;
    },
  };
}

