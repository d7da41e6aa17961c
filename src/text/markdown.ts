import { revealHidden } from './hidden.js';

/**
 * Markdown for text that is not ours. Messages, evidence, paths and scanner output come from the pull request or from tools that read
 * it: in markdown they must not be able to open tables, headings, links, images or HTML, notify people, or forge this action's hidden
 * markers (which the publisher trusts to find its own comments). The model is "plain text with `code spans`": backtick pairs stay
 * code, everything else is shown literally.
 */

export interface EscapeOptions {
  /** Keep line breaks (comment bodies). Otherwise the text is folded onto one line (lists, headlines, table cells). */
  multiline?: boolean;
  /** The text sits in a GFM table cell: a code span holding a pipe is shown as escaped text instead (see `escapeLine`). */
  table?: boolean;
  /** Turn `CWE-78` into a link to MITRE's definition. */
  linkCwe?: boolean;
}

/**
 * HTML is neutralised with entities rather than backslashes so that the raw body no longer contains `<!--` either: the publisher
 * reads markers from raw bodies, and `\<!-- ultra-create:fp=… -->` would still match.
 */
const PROSE_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\\': '\\\\',
  '`': '\\`',
  '*': '\\*',
  _: '\\_',
  '~': '\\~',
  '[': '\\[',
  ']': '\\]',
  '|': '\\|',
  $: '\\$',
  '#': '\\#',
};
const PROSE_SPECIALS = /[&<>\\`*_~[\]|$#]/g;
const ZERO_WIDTH_SPACE = '\u200B';

export function escapeMarkdown(text: string, options: EscapeOptions = {}): string {
  const revealed = revealHidden(text);
  if (!options.multiline) return escapeLine(revealed.replace(/\s*\n\s*/g, ' ').trim(), options);
  // Leading whitespace is dropped: four spaces would open an indented code block, which shows our entities literally.
  return revealed
    .split('\n')
    .map((line) => escapeLine(line.trimStart(), options))
    .join('\n');
}

/** A value that is code (path, rule id) as an inline code span whose fence no backtick in the value can close. */
export function codeSpan(text: string, options: { table?: boolean } = {}): string {
  const folded = revealHidden(text).replace(/\s*\n\s*/g, ' ');
  // A pipe inside a code span in a table cell is ambiguous (see `escapeLine`): such a value is shown as escaped text.
  if (options.table && folded.includes('|')) return escapeProse(folded, false, {});
  const content = defuseMarkers(folded);
  if (content.length === 0) return '` `';
  const fence = '`'.repeat(longestRun(content, '`') + 1);
  const pad =
    content.startsWith('`') || content.endsWith('`') || (content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '')
      ? ' '
      : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** A fenced code block (display only: hidden characters are revealed and marker look-alikes defused). */
export function codeBlock(text: string, language = ''): string {
  const body = defuseMarkers(revealHidden(text)).replace(/\n+$/, '');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${fence}${language.replace(/[^A-Za-z0-9_+-]/g, '')}\n${body}\n${fence}`;
}

/** A fence that nothing inside `content` can close. */
export function fenceFor(content: string): string {
  return '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
}

/**
 * Inside code, entities are shown literally, so an HTML comment opener is broken with a zero-width space instead: it looks the same
 * but no longer opens a comment, and no marker pattern matches it.
 */
export function defuseMarkers(text: string): string {
  return text.replace(/<!--/g, `<!-${ZERO_WIDTH_SPACE}-`);
}

/** An http(s) URL safe to put in a markdown link target, or undefined. */
export function safeHttpUrl(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  try {
    const url = new URL(uri);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return url.href.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/</g, '%3C').replace(/>/g, '%3E');
  } catch {
    return undefined;
  }
}

export function cweUrl(cweNumber: string): string {
  return `https://cwe.mitre.org/data/definitions/${cweNumber}.html`;
}

/** `CWE-78`, `cwe 78`, `78` → `78`. */
export function cweNumber(cwe: string | undefined): string | undefined {
  return cwe ? /(?:CWE[-\s]?)?(\d{1,6})/i.exec(cwe)?.[1] : undefined;
}

function escapeLine(line: string, options: EscapeOptions): string {
  let out = '';
  let proseStart = 0;
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '`') {
      i++;
      continue;
    }
    const run = backtickRunLength(line, i);
    const close = findBacktickRun(line, i + run, run);
    if (close < 0) {
      i += run;
      continue;
    }
    const content = line.slice(i + run, close);
    if (options.table && content.includes('|')) {
      // GFM splits table cells before it parses code spans, and implementations disagree on whether `\\|` there is an escaped
      // pipe. Left to the prose escaping, every backslash is doubled and every pipe escaped: the same under every reading.
      i = close + run;
      continue;
    }
    out += escapeProse(line.slice(proseStart, i), proseStart === 0, options);
    out += '`'.repeat(run) + defuseMarkers(content) + '`'.repeat(run);
    i = close + run;
    proseStart = i;
  }
  return out + escapeProse(line.slice(proseStart), proseStart === 0, options);
}

/**
 * What GitHub's markdown turns into a link without brackets (GFM's extended autolinks: `scheme://…`, `www.…`, e-mail addresses,
 * `mailto:` / `xmpp:`): PR text quoting a URL would post a live link to the author's host. Such tokens become code spans.
 * Every alternative starts only where a run of its characters starts (the lookbehinds): the text is PR-controlled, and an e-mail
 * pattern tried at every position of a 200,000-character run without an `@` is quadratic (47 s measured).
 */
const AUTOLINK_LIKE =
  /(?:(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/|(?<![A-Za-z0-9_.-])www\.|(?<![A-Za-z0-9_.-])(?:mailto|xmpp):)[^\s<>`|]*|(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/gi;

function escapeProse(text: string, atLineStart: boolean, options: EscapeOptions): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(AUTOLINK_LIKE)) {
    out += escapePlainProse(text.slice(last, match.index), atLineStart && last === 0, options) + codeSpan(match[0]);
    last = match.index + match[0].length;
  }
  return out + escapePlainProse(text.slice(last), atLineStart && last === 0, options);
}

function escapePlainProse(text: string, atLineStart: boolean, options: EscapeOptions): string {
  if (text === '') return '';
  let out = text.replace(PROSE_SPECIALS, (ch) => PROSE_ESCAPES[ch] ?? ch);
  // GitHub links mentions and issue references in rendered text, escaped or not: a zero-width space breaks the pattern.
  out = out.replace(/@(?=[A-Za-z0-9])/g, `@${ZERO_WIDTH_SPACE}`).replace(/\\#(?=\d)/g, `\\#${ZERO_WIDTH_SPACE}`);
  // List items, setext underlines and thematic breaks only open at the start of a line.
  if (atLineStart) {
    out = out.replace(/^(\s*)(?:([-+=])|(\d+)([.)]))/, (_m, space: string, sign?: string, digits?: string, dot?: string) =>
      sign !== undefined ? `${space}\\${sign}` : `${space}${digits}\\${dot}`,
    );
  }
  if (options.linkCwe) out = out.replace(/\bCWE-(\d{1,6})\b/g, (_m, n: string) => `[CWE-${n}](${cweUrl(n)})`);
  return out;
}

/** Length of the run of backticks that starts at `start` (GitHub's code spans open and close with runs of equal length). */
export function backtickRunLength(text: string, start: number): number {
  let end = start;
  while (text[end] === '`') end++;
  return end - start;
}

/** Start of the next backtick run of exactly `length`, or -1. */
export function findBacktickRun(text: string, from: number, length: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    const run = backtickRunLength(text, i);
    if (run === length) return i;
    i += run;
  }
  return -1;
}

function longestRun(text: string, ch: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === ch ? current + 1 : 0;
    if (current > longest) longest = current;
  }
  return longest;
}
