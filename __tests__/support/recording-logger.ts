import { MaskingLogger, type Level } from '../../src/logger.js';


/** Captures everything that would be printed; for tests. */
export class RecordingLogger extends MaskingLogger {
  readonly lines: { level: Level | 'group'; message: string }[] = [];

  protected write(level: Level, message: string): void {
    this.lines.push({ level, message });
  }
  protected startGroup(name: string): void {
    this.lines.push({ level: 'group', message: name });
  }
  protected endGroup(): void {
    // The group's start is recorded; its end carries nothing to check.
  }

  text(): string {
    return this.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
  }
}
