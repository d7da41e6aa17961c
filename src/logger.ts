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
  /**
   * How far a long step is (files scanned so far). Optional: only a terminal shows it (a live line); everywhere else the stage's
   * own lines (its outcome, counts and duration) are the progress.
   */
  progress?(update: Progress): void;
}

/** `done` of `total` `unit` (`12 of 40 files`). */
export interface Progress {
  done: number;
  total: number;
  unit: string;
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

export interface ConsoleLoggerOptions {
  verbose?: boolean;
  quiet?: boolean;
  stream?: NodeJS.WritableStream;
  /**
   * A terminal: a live line under the log (the stage, a bar over the files scanned, the time in the stage), redrawn in place.
   * Elsewhere (a pipe, a CI log) only plain lines are written.
   */
  live?: boolean;
  /** Clock in milliseconds (default `Date.now`). */
  now?: () => number;
}

const BAR_WIDTH = 24;
/** At most this often the live line is redrawn for progress alone (a scan of thousands of files must not flood the terminal). */
const REDRAW_MS = 80;

/**
 * Human-facing logger for the CLI: progress to stderr so stdout stays a clean report. Every line is plain text (stage, counts,
 * durations); on a terminal a live line follows the log. `--verbose` adds debug lines wherever stderr goes; `--quiet` keeps only
 * warnings and errors.
 */
export class ConsoleLogger extends MaskingLogger {
  private readonly stream: NodeJS.WritableStream;
  private readonly now: () => number;
  private stage: { name: string; started: number } | undefined;
  private latest: Progress | undefined;
  private liveShown = false;
  private lastDraw = 0;
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly options: ConsoleLoggerOptions = {}) {
    super();
    this.stream = options.stream ?? process.stderr;
    this.now = options.now ?? Date.now;
  }

  private get live(): boolean {
    return this.options.live === true && this.options.quiet !== true;
  }

  protected write(level: Level, message: string): void {
    if (level === 'debug' && !this.options.verbose) return;
    if (this.options.quiet && (level === 'info' || level === 'debug')) return;
    const prefix = level === 'warning' ? 'warning: ' : level === 'error' ? 'error: ' : level === 'debug' ? 'debug: ' : '';
    this.clearLive();
    this.stream.write(`${prefix}${message}\n`);
    this.drawLive();
  }

  protected startGroup(name: string): void {
    this.stage = { name, started: this.now() };
    this.latest = undefined;
    // On a terminal the live line names the stage; a log gets a line of its own.
    if (this.live) {
      this.drawLive();
      // The time in the stage keeps counting while nothing else is printed (a slow scan, a model download).
      this.ticker = setInterval(() => {
        this.clearLive();
        this.drawLive();
      }, 1000);
      this.ticker.unref();
    } else this.write('info', `» ${name}`);
  }

  protected endGroup(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    this.clearLive();
    this.stage = undefined;
    this.latest = undefined;
  }

  progress(update: Progress): void {
    this.latest = update;
    if (!this.live) return;
    const time = this.now();
    if (update.done < update.total && time - this.lastDraw < REDRAW_MS) return;
    this.clearLive();
    this.drawLive();
  }

  private drawLive(): void {
    if (!this.live || !this.stage) return;
    this.lastDraw = this.now();
    this.stream.write(liveLine(this.stage.name, this.now() - this.stage.started, this.latest));
    this.liveShown = true;
  }

  private clearLive(): void {
    if (!this.liveShown) return;
    // Carriage return, then erase the line: the next text starts where the live line was.
    this.stream.write('\r\u001b[2K');
    this.liveShown = false;
  }
}

/** `Scan  [██████░░░░░░]  12/40 files  1.2 s` (no line break: it is redrawn in place). */
export function liveLine(stage: string, elapsedMs: number, progress: Progress | undefined): string {
  const seconds = `${(elapsedMs / 1000).toFixed(1)} s`;
  if (!progress || progress.total <= 0) return `… ${stage}  ${seconds}`;
  const done = Math.min(progress.done, progress.total);
  const filled = Math.round((done / progress.total) * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  return `… ${stage}  [${bar}]  ${done}/${progress.total} ${progress.unit}  ${seconds}`;
}
