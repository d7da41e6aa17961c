/**
 * What every template tokenizer shares: the sites it reports, how it says it had to stop, string literals inside tags, and a time
 * budget checked while scanning (a template is PR content: its cost is bounded even though every tokenizer is linear).
 */

/** The template constructs the rules judge. */
export type SiteKind =
  /** EJS `<%- x %>`. */
  | 'ejs-raw'
  /** EJS `<%= x %>` in the code or a template literal of an inline `<script>`. */
  | 'ejs-script'
  /** Handlebars/Mustache `{{{x}}}` and `{{& x}}`. */
  | 'mustache-raw'
  /** Pug `!= x`, `!{x}` and `attr!=x`. */
  | 'pug-raw'
  /** Jinja/Nunjucks/Django `x|safe` (and Django's `|safeseq`). */
  | 'safe-filter'
  /** Tornado `{% raw x %}`. */
  | 'tornado-raw'
  /** `{% autoescape false %}` / `{% autoescape off %}`. */
  | 'autoescape-off'
  /** `<script src="http://…">` in the template's HTML (insecure-resources.ts). */
  | 'script-over-http';

/** One construct found in a template: where it is (offsets into the text, end exclusive) and the value it outputs, when it has one. */
export interface TemplateSite {
  kind: SiteKind;
  start: number;
  end: number;
  /** The expression whose value is output unescaped (for `|safe`: everything before the `safe` filter, earlier filters included). */
  value?: string;
}

/** A tokenizer's answer: the sites up to where it stopped, and why it stopped early when it did (the rest was not scanned). */
export interface TokenizeResult {
  sites: TemplateSite[];
  stopped?: { offset: number; reason: string };
}

/** Thrown when a file's time budget is spent; the scanner lists the file as not scanned. */
export class TemplateTimeLimit extends Error {
  constructor(readonly limitMs: number) {
    super(`took longer than ${limitMs} ms`);
  }
}

/** Checked by tokenizers as they advance; cheap enough to call on every loop turn (it looks at the clock every 1024 calls). */
export interface Budget {
  tick(): void;
}

export function timeBudget(limitMs: number, now: () => number = Date.now): Budget {
  const deadline = now() + limitMs;
  let calls = 0;
  return {
    tick() {
      if (++calls % 1024 === 0 && now() > deadline) throw new TemplateTimeLimit(limitMs);
    },
  };
}

export const UNLIMITED: Budget = {
  tick() {
    // no limit
  },
};

/**
 * The index just after the string literal that opens at `start` (`'`, `"` or a backtick), honouring backslash escapes; -1 when it is
 * not closed before `limit`.
 */
export function skipString(text: string, start: number, limit = text.length): number {
  const quote = text.charAt(start);
  for (let i = start + 1; i < limit; i++) {
    const c = text.charAt(i);
    if (c === '\\') i++;
    else if (c === quote) return i + 1;
  }
  return -1;
}

export function isQuote(c: string): boolean {
  return c === '"' || c === "'" || c === '`';
}

/** Offsets of the first character of each line, for turning offsets into 1-based lines and columns. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line and column (UTF-16 units, as SARIF and JavaScript strings count) of an offset. */
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.starts[low] ?? 0) + 1 };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.starts[line - 1] ?? 0;
    const next = this.starts[line];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1).replace(/\r$/, '');
  }
}
