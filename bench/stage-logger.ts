/**
 * RecordingLogger (src/logger.ts) that also notes when each log group (each pipeline `stage()`) started and ended, so that the API
 * time measured on the client can be attributed to a stage. Stage durations themselves are read from the pipeline's own log lines
 * (`Scan: 2450 ms`).
 */
import { RecordingLogger } from '../src/logger.js';

export interface StageWindow {
  name: string;
  start: number;
  end: number;
}

const STAGE_LINE = /^(Configuration|Collect the change|Scan|Publish): (\d+) ms$/;

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

  /** What `stage()` logged, in order. */
  stages(): { name: string; ms: number }[] {
    const stages: { name: string; ms: number }[] = [];
    for (const line of this.lines) {
      const match = line.level === 'info' ? STAGE_LINE.exec(line.message) : null;
      if (match) stages.push({ name: match[1]!, ms: Number(match[2]) });
    }
    return stages;
  }
}
