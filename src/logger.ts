/**
 * One logger for the whole pipeline. The action logs through @actions/core (groups, masking, annotations); the CLI and the tests
 * through the other implementations. Nothing else writes to stdout/stderr directly.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /**
   * Runs `fn` inside a collapsible group; the group is closed even when `fn` throws. Groups do not nest (the Actions log cannot show
   * a group inside a group): inside one, `group` only runs `fn`.
   */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Registers a value that must never be printed. */
  mask(secret: string): void;
}

export type Level = 'debug' | 'info' | 'warning' | 'error';

/** Shared masking: every implementation replaces registered secrets before printing. */
export abstract class MaskingLogger implements Logger {
  private readonly secrets = new Set<string>();

  mask(secret: string): void {
    if (secret.length >= 4) this.secrets.add(secret);
  }

  protected redact(message: string): string {
    let out = message;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }

  debug(message: string): void {
    this.write('debug', this.redact(message));
  }
  info(message: string): void {
    this.write('info', this.redact(message));
  }
  warning(message: string): void {
    this.write('warning', this.redact(message));
  }
  error(message: string): void {
    this.write('error', this.redact(message));
  }

  private inGroup = false;

  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    if (this.inGroup) return fn();
    this.inGroup = true;
    this.startGroup(this.redact(name));
    try {
      return await fn();
    } finally {
      this.endGroup();
      this.inGroup = false;
    }
  }

  protected abstract write(level: Level, message: string): void;
  protected abstract startGroup(name: string): void;
  protected abstract endGroup(): void;
}

/** Human-facing logger for the CLI: progress to stderr so stdout stays a clean report. */
export class ConsoleLogger extends MaskingLogger {
  constructor(
    private readonly options: { verbose?: boolean; quiet?: boolean; stream?: NodeJS.WritableStream } = {},
  ) {
    super();
  }

  protected write(level: Level, message: string): void {
    if (level === 'debug' && !this.options.verbose) return;
    if (this.options.quiet && (level === 'info' || level === 'debug')) return;
    const prefix = level === 'warning' ? 'warning: ' : level === 'error' ? 'error: ' : '';
    (this.options.stream ?? process.stderr).write(`${prefix}${message}\n`);
  }
  protected startGroup(name: string): void {
    this.write('info', `» ${name}`);
  }
  protected endGroup(): void {
    // Nothing to close on a plain stream: the group's start line is all the CLI prints.
  }
}
