/**
 * RecordingLogger (__tests__/support) that also notes when each log group (each pipeline stage of src/main.ts) started and ended: the
 * stage durations, and the windows the API time measured on the client is attributed to.
 */
import { RecordingLogger } from '../__tests__/support/recording-logger.js';

export interface StageWindow {
  name: string;
  start: number;
  end: number;
}

export class StageLogger extends RecordingLogger {
  readonly windows: StageWindow[] = [];

  override async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await super.group(name, fn);
    } finally {
      this.windows.push({ name, start, end: performance.now() });
    }
  }

  /** Every stage, in order, with its duration. */
  stages(): { name: string; ms: number }[] {
    return this.windows.map((w) => ({ name: w.name, ms: w.end - w.start }));
  }
}
