import { redactSecrets } from './redact.js';
import { backtickRunLength, findBacktickRun } from './markdown.js';

/**
 * Everything a model writes (local drafts, Claude's comments and fixes) passes through `sanitizeModelText` before it is posted as
 * GitHub-flavoured markdown. The model read untrusted pull-request text, so its output is treated as hostile:
 *
 * - HTML comments go entirely (also unterminated ones and the `<!-->`, `<!--->`, `--!>` forms an HTML parser still hides), so our
 *   hidden `<!-- ultra-create:… -->` markers cannot be forged; entity-encoded `<` is decoded first so that `&lt;!-- … --&gt;` goes too.
 *   Every other `<` outside code becomes `&lt;`: no raw HTML, no `<details>` to fold text away.
 * - Invisible, bidi and control characters are removed (the pipeline never inserts any except the zero-width space that breaks a
 *   literal `<!--` inside code, which is put back identically on every pass).
 * - @mentions, team mentions and issue references (`#1`, `owner/repo#1`, `GH-1`) become code spans: GitHub does not link or notify
 *   inside code, and a backslash does not stop it.
 * - Images are removed (they load from the reader's browser and can track); links, autolinks and bare URLs work only when they point
 *   into `${serverUrl}/${repository}`; any other URL is shown as inert code (`example[.]com/path`). Reference-style link definitions
 *   are removed and every other `[`, `]` is escaped, so no link or image syntax survives outside the ones kept.
 * - Secrets are redacted; blank-line runs collapse; the result is cut to `maxLength` at a line or word boundary with an ellipsis and
 *   never ends inside an open code fence.
 *
 * The function is pure and idempotent (`sanitize(sanitize(x)) === sanitize(x)`), so re-running a review never changes a body that
 * was already posted. Markdown is parsed line by line and conservatively: a construct this parser does not recognise is escaped, so
 * GitHub can only see code where this function saw code.
 */
export interface SanitizeOptions {
  /** `owner/repo`: links into this repository stay links. */
  repository?: string;
  /** `https://github.com` (or a GitHub Enterprise Server URL). */
  serverUrl?: string;
  /** Most UTF-16 units of the result, ellipsis and closing fence included. */
  maxLength: number;
}

export const TRUNCATION_MARK = '…';

export function sanitizeModelText(text: string, options: SanitizeOptions): string {
  const context = linkContext(options);
  const clean = redactSecrets(sanitizeBody(text, context));
  return truncateMarkdown(clean, Math.max(0, Math.floor(options.maxLength)), context);
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Characters
// ---------------------------------------------------------------------------------------------------------------------------------

/**
 * Format and control characters (zero-width, bidi embeddings, overrides and isolates, BOM, soft hyphen, tag characters…) except tab
 * and line feed, the line and paragraph separators, Hangul fillers and the supplementary variation selectors (which can smuggle data).
 */
// eslint-disable-next-line no-misleading-character-class -- the fillers, the combining grapheme joiner and the variation selectors are each removed on their own, by design
const INVISIBLE = /[\p{Cf}\p{Cc}\u2028\u2029\u115F\u1160\u3164\uFFA0\u034F\u{E0100}-\u{E01EF}]/gu;

export function removeInvisibleCharacters(text: string): string {
  return text.replace(INVISIBLE, (ch) => (ch === '\n' || ch === '\t' ? ch : ''));
}

const ZERO_WIDTH_SPACE = '\u200B';

/** Inside code an HTML comment opener is shown literally; it is broken so that no raw body contains `<!--`. */
function defuseCommentOpeners(text: string): string {
  return text.replace(/<!--/g, `<!-${ZERO_WIDTH_SPACE}-`);
}

/**
 * Removes HTML comments the way GitHub hides them: `<!--` up to `-->` or `--!>` (across lines), the empty `<!-->` and `<!--->`, and an
 * unterminated `<!--` with everything after it. Removing a comment can join `<` and `!--` into a new opener (`<<!---->!-- … -->`):
 * that one goes too. One pass, linear in the length of the text.
 */
export function removeHtmlComments(text: string): string {
  const closers = new CommentClosers(text);
  let out = '';
  let i = 0;
  for (;;) {
    const open = text.indexOf('<!--', i);
    if (open < 0) return out + text.slice(i);
    out += text.slice(i, open);
    let end = closers.after(open + 4);
    for (;;) {
      if (end < 0) return out;
      const joined = joinedOpener(out, text, end);
      if (joined === 0) break;
      out = out.slice(0, -joined);
      end = closers.after(end + 4 - joined);
    }
    i = end;
  }
}

/** How many characters at the end of `out` start a `<!--` that `text` completes at `at` (0 if none). */
function joinedOpener(out: string, text: string, at: number): number {
  for (let k = 3; k >= 1; k--) if (out.endsWith('<!--'.slice(0, k)) && text.startsWith('<!--'.slice(k), at)) return k;
  return 0;
}

/** End of the comment whose content starts at a position; positions only grow, so every search runs once over the text. */
class CommentClosers {
  private arrow = -2;
  private bang = -2;
  constructor(private readonly text: string) {}

  after(from: number): number {
    if (this.text[from] === '>') return from + 1;
    if (this.text.startsWith('->', from)) return from + 2;
    // -1 means "none left": it stays -1; a cached position before `from` is searched again from `from`.
    if (this.arrow !== -1 && this.arrow < from) this.arrow = this.text.indexOf('-->', from);
    if (this.bang !== -1 && this.bang < from) this.bang = this.text.indexOf('--!>', from);
    const arrow = this.arrow >= 0 ? this.arrow : Infinity;
    const bang = this.bang >= 0 ? this.bang : Infinity;
    if (arrow === Infinity && bang === Infinity) return -1;
    return arrow <= bang ? arrow + 3 : bang + 4;
  }
}

/** Named references GitHub would decode into something that matters here: markup, mention and URL characters, invisibles. */
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  LT: '<',
  gt: '>',
  GT: '>',
  excl: '!',
  commat: '@',
  num: '#',
  colon: ':',
  sol: '/',
  period: '.',
  lsqb: '[',
  lbrack: '[',
  rsqb: ']',
  rbrack: ']',
  grave: '`',
  DiacriticalGrave: '`',
  dollar: '$',
  verbar: '|',
  vert: '|',
  VerticalLine: '|',
  quot: '"',
  QUOT: '"',
  apos: "'",
  NewLine: ' ',
  Tab: '\t',
  shy: '',
  zwj: '',
  zwnj: '',
  lrm: '',
  rlm: '',
  ZeroWidthSpace: '',
  NegativeVeryThinSpace: '',
  NegativeThinSpace: '',
  NegativeMediumSpace: '',
  NegativeThickSpace: '',
  NoBreak: '',
  af: '',
  ApplyFunction: '',
  it: '',
  InvisibleTimes: '',
  ic: '',
  InvisibleComma: '',
};

/**
 * Decodes the character references GitHub would decode in text, except `&` and `\` (decoding those would create new references or
 * escapes). Line breaks become spaces: a decoded line break is not a line break in markdown.
 */
function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,8})|#[xX]([0-9A-Fa-f]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));/g, (match, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return NAMED_ENTITIES[name] ?? match;
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
    if (code === 0x26 || code === 0x5c) return match;
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
    if (code === 0x0a || code === 0x0d) return ' ';
    return String.fromCodePoint(code);
  });
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------------------------------------------------

interface LinkContext {
  /** Origin of the server, lower case, e.g. `https://github.com`. */
  origin?: string;
  /** `/owner/repo` lower case. */
  repoPath?: string;
  /** Base for relative links: `https://github.com/owner/repo/`. */
  base?: string;
}

function linkContext(options: SanitizeOptions): LinkContext {
  const repo = options.repository?.trim();
  if (!repo || !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) return {};
  try {
    const server = new URL(options.serverUrl ?? 'https://github.com');
    if (server.protocol !== 'https:' && server.protocol !== 'http:') return {};
    const prefix = server.pathname.replace(/\/+$/, '');
    return { origin: server.origin.toLowerCase(), repoPath: `${prefix}/${repo}`.toLowerCase(), base: `${server.origin}${prefix}/${repo}/` };
  } catch {
    return {};
  }
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
/** Info strings GitHub renders as something other than code: diagrams and maps that load or link, math, one-click suggestions. */
const RENDERED_INFO = new Set(['suggestion', 'mermaid', 'geojson', 'topojson', 'stl', 'math']);
/** A GFM table delimiter row: only pipes, colons, dashes and spaces, with at least one pipe and one dash. */
const TABLE_DELIMITER_ROW = /^(?=[^\n]*\|)(?=[^\n]*-)[|: \t-]+$/m;
const LINK_DEFINITION = /^ {0,3}\[(?:\\.|[^\]\\])+\]:/;

function sanitizeBody(text: string, context: LinkContext): string {
  const normalized = removeInvisibleCharacters(text.replace(/\r\n?/g, '\n'));
  const source = redactSecrets(removeHtmlComments(normalized));
  const table = TABLE_DELIMITER_ROW.test(source);
  const out: string[] = [];
  let fence: { char: string; length: number } | undefined;
  for (const line of source.split('\n')) {
    if (fence) {
      if (closesFence(line, fence)) {
        out.push(fence.char.repeat(fence.length));
        fence = undefined;
      } else {
        out.push(defuseCommentOpeners(line));
      }
      continue;
    }
    const open = fenceOpener(line);
    if (open) {
      fence = { char: open.char, length: open.length };
      out.push(open.char.repeat(open.length) + infoString(open.info));
      continue;
    }
    if (LINK_DEFINITION.test(line)) continue;
    out.push(sanitizeProseLine(line, context, table));
  }
  if (fence) {
    while (out[out.length - 1]?.trim() === '') out.pop();
    out.push(fence.char.repeat(fence.length));
  }
  return collapseBlankLines(out);
}

function infoString(info: string): string {
  const word = /^[A-Za-z0-9_+#.-]*/.exec(info.trim())?.[0] ?? '';
  return RENDERED_INFO.has(word.toLowerCase()) ? '' : word;
}

/** The fence a line opens (`` ``` `` or `~~~`, at most three spaces in, no backtick in a backtick fence's info string). */
function fenceOpener(line: string): { char: string; length: number; info: string } | undefined {
  const open = FENCE_OPEN.exec(line);
  const run = open?.[2];
  const info = open?.[3] ?? '';
  if (!run || (run.startsWith('`') && info.includes('`'))) return undefined;
  return { char: run[0] ?? '`', length: run.length, info };
}

function closesFence(line: string, fence: { char: string; length: number }): boolean {
  const run = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line)?.[1];
  return run?.startsWith(fence.char) === true && run.length >= fence.length;
}

/** Runs of blank lines outside code become one; blank lines at the start and end go. Lines inside fences are kept as they are. */
function collapseBlankLines(lines: readonly string[]): string {
  const out: string[] = [];
  let fence: { char: string; length: number } | undefined;
  for (const raw of lines) {
    if (fence) {
      out.push(raw);
      if (closesFence(raw, fence)) fence = undefined;
      continue;
    }
    fence = fenceOpener(raw);
    const line = fence || raw.trim() !== '' ? raw : '';
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n').trimEnd();
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Inline
// ---------------------------------------------------------------------------------------------------------------------------------

/**
 * One line outside code. Code spans are found first (a backtick run closed by a run of the same length on the same line; an
 * escaped backtick opens nothing) and kept; the text between them is rewritten so that every backtick left in it is escaped. The
 * output therefore has code spans exactly where this function put them, whatever GitHub does with multi-line spans.
 */
function sanitizeProseLine(line: string, context: LinkContext, table: boolean): string {
  let out = '';
  let textStart = 0;
  let i = 0;
  // A run length found unclosed once has no closer further on either: remembered, so a line of many runs stays linear.
  const unclosed = new Set<number>();
  while (i < line.length) {
    const ch = line[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch !== '`') {
      i++;
      continue;
    }
    const run = backtickRunLength(line, i);
    const close = unclosed.has(run) ? -1 : findBacktickRun(line, i + run, run);
    if (close < 0) {
      unclosed.add(run);
      i += run;
      continue;
    }
    const content = line.slice(i + run, close);
    // In a table GitHub splits cells at pipes before it finds code spans: such a span is treated as text.
    if (table && content.includes('|')) {
      i = close + run;
      continue;
    }
    out += sanitizeText(line.slice(textStart, i), context);
    out += '`'.repeat(run) + defuseCommentOpeners(content) + '`'.repeat(run);
    i = close + run;
    textStart = i;
  }
  return out + sanitizeText(line.slice(textStart), context);
}

/** Characters whose backslash escape GitHub ignores for mentions, references and autolinks: the backslash goes. */
const USELESS_ESCAPE = /\\([\s\S])/g;
const UNESCAPE = new Set(['@', ':', '/', '.', '#']);

/**
 * What directly follows a neutralised mention, reference or email goes into the same code span (`@a@b`, `#1#2`): left outside, it
 * would start the text after a code span, where GitHub links it and the next pass would neutralise it.
 */
const ATTACHED = `(?:[A-Za-z0-9_@#/-]|\\.(?=[A-Za-z0-9_@#]))*`;

const URL_CHARS = "[^\\s<>`|\\[\\]]";
const LINK_DEST = `<[^<>\\n]*>|(?:[^\\s()<>\\[\\]\`]|\\([^\\s()<>\\[\\]\`]*\\))*`;
const LINK_TITLE = `(?:\\s+(?:"[^"]*"|'[^']*'|\\([^()]*\\)))?`;
const INLINE = new RegExp(
  [
    /* 1 escape pair */ `(\\\\[\\s\\S])`,
    /* 2 image, 3 link label, 4 link destination */ `(!?)\\[((?:\\\\.|[^\\[\\]\\\\])*)\\]\\(\\s*(${LINK_DEST})${LINK_TITLE}\\s*\\)`,
    /* 5 autolink */ `<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9.-]+)>`,
    /* 6 bare URL */ `((?:[A-Za-z][A-Za-z0-9+.-]{1,31}:\\/\\/|www\\.)${URL_CHARS}*)`,
    /* 7 email */ `((?<![A-Za-z0-9._+-])[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+${ATTACHED})`,
    /* 8 mention */ `((?<![A-Za-z0-9_])@[A-Za-z0-9]${ATTACHED})`,
    /* 9 reference */ `((?<![A-Za-z0-9_/&#.-])(?:[A-Za-z0-9][A-Za-z0-9_.-]*\\/[A-Za-z0-9_.-]+)?#\\d+${ATTACHED}|(?<![A-Za-z0-9_])GH-\\d+${ATTACHED})`,
    /* 10 special */ `([<\\[\\]\`$])`,
  ].join('|'),
  'gi',
);

const TEXT_ESCAPES: Readonly<Record<string, string>> = { '<': '&lt;', '[': '\\[', ']': '\\]', '`': '\\`', $: '\\$' };

/** Text between code spans: decoded, comments removed, then every link, mention and markup character rewritten. */
function sanitizeText(raw: string, context: LinkContext, inLabel = false): string {
  if (raw === '') return '';
  let text = removeInvisibleCharacters(decodeEntities(raw));
  text = text.replace(USELESS_ESCAPE, (m, ch: string) => (UNESCAPE.has(ch) ? ch : m));
  text = redactSecrets(removeHtmlComments(text));
  return text.replace(
    INLINE,
    (match, escape?: string, bang?: string, label?: string, dest?: string, auto?: string, bare?: string, email?: string, mention?: string, ref?: string, special?: string) => {
      if (escape !== undefined) return escape === '\\<' ? '\\&lt;' : escape;
      if (dest !== undefined) {
        const labelText = label ?? '';
        if (bang) return labelText.trim() === '' ? '' : sanitizeText(labelText, context, true);
        const target = dest.startsWith('<') ? dest.slice(1, -1) : dest;
        const href = inLabel ? undefined : repositoryHref(target, context);
        const shown = labelText.trim() === '' ? '' : sanitizeText(labelText, context, true);
        // A code span in the label would be found before the link on the next pass: such a label goes before an autolink.
        if (href) return shown === '' ? `<${href}>` : shown.includes('`') ? `${shown} <${href}>` : `[${shown}](${href})`;
        const inertTarget = target.trim() === '' ? '' : inert(target, context);
        return shown === '' ? inertTarget : inertTarget === '' ? shown : `${shown} (${inertTarget})`;
      }
      if (auto !== undefined) {
        const href = inLabel ? undefined : repositoryHref(auto, context);
        return href ? `<${href}>` : inert(auto);
      }
      if (bare !== undefined) {
        const { url, rest } = trimUrl(bare);
        // `www.example.com` is linked by GitHub as http://www.example.com, never relative to the repository.
        const href = inLabel || /^www\./i.test(url) ? undefined : repositoryHref(url, context);
        return (href ? `<${href}>` : inert(url)) + sanitizeText(rest, context, inLabel);
      }
      if (email !== undefined) return code(email);
      if (mention !== undefined || ref !== undefined) return code(mention ?? ref ?? '');
      if (special !== undefined) return TEXT_ESCAPES[special] ?? special;
      return match;
    },
  );
}

/** GFM's extended autolinks leave trailing punctuation and unbalanced closing parentheses out of the URL. */
function trimUrl(candidate: string): { url: string; rest: string } {
  let url = candidate;
  for (;;) {
    const last = url[url.length - 1];
    if (last !== undefined && '?!.,:*_~\'";'.includes(last)) {
      url = url.slice(0, -1);
      continue;
    }
    if (last === ')' && count(url, ')') > count(url, '(')) {
      url = url.slice(0, -1);
      continue;
    }
    break;
  }
  return { url, rest: candidate.slice(url.length) };
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

/** The absolute URL to link to when `target` points into the repository (relative targets resolve against it), else undefined. */
function repositoryHref(target: string, context: LinkContext): string | undefined {
  if (!context.origin || !context.repoPath || !context.base) return undefined;
  let url: URL;
  try {
    url = new URL(target.trim(), context.base);
  } catch {
    return undefined;
  }
  if (url.origin.toLowerCase() !== context.origin || url.username !== '' || url.password !== '') return undefined;
  const path = url.pathname.toLowerCase();
  if (path !== context.repoPath && !path.startsWith(`${context.repoPath}/`)) return undefined;
  return url.href.replace(/[()<>`|[\]\s]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** A URL shown, not linked: without its scheme, dots of the host broken (`example[.]com/path`), in a code span. */
function inert(target: string, context: LinkContext = {}): string {
  let shown = target.trim();
  try {
    const url = new URL(shown, context.base);
    if (url.host) shown = `${url.host.replace(/\./g, '[.]')}${url.pathname === '/' && !url.search && !url.hash ? '' : url.pathname}${url.search}${url.hash}`;
    else shown = shown.replace(/\./g, '[.]');
  } catch {
    shown = shown.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '').replace(/(?<!\[)\.(?!\])/g, '[.]');
  }
  return code(shown.replace(/\|/g, '%7C'));
}

/** `text` as one inline code span that nothing inside can close. */
function code(text: string): string {
  const content = defuseCommentOpeners(text.replace(/\s+/g, ' '));
  if (content.trim() === '') return '';
  let longest = 0;
  for (const m of content.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = content.startsWith('`') || content.endsWith('`') || (content.startsWith(' ') && content.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Length
// ---------------------------------------------------------------------------------------------------------------------------------

/**
 * Cuts sanitized markdown to `max` UTF-16 units: at the last line break, else the last space, before the limit; an ellipsis marks the
 * cut and an open fence is closed. A cut is accepted only if the result is itself sanitized (a cut inside a code span or a link would
 * leave syntax the next pass rewrites), so the function stays idempotent.
 */
function truncateMarkdown(text: string, max: number, context: LinkContext): string {
  if (text.length <= max) return text;
  let longestFence = 3;
  for (const m of text.matchAll(/^(`{3,}|~{3,})/gm)) longestFence = Math.max(longestFence, m[0].length);
  // Room for " …", or for "\n```\n…" after a cut inside a code block.
  const limit = max - (longestFence + 3);
  for (const cut of cutPoints(text, limit)) {
    const result = finishCut(text.slice(0, cut));
    if (result.length <= max && redactSecrets(sanitizeBody(result, context)) === result) return result;
  }
  return max >= TRUNCATION_MARK.length ? TRUNCATION_MARK : '';
}

/**
 * Candidate cut positions, best first: the last line breaks, then spaces, before `limit` (a line break unless that throws away
 * more than half the room); as a last resort a cut inside a word. Never inside a surrogate pair.
 */
function cutPoints(text: string, limit: number): number[] {
  if (limit <= 0) return [];
  const from = Math.min(limit, text.length - 1);
  const lineBreaks: number[] = [];
  for (let i = from; i > 0 && lineBreaks.length < 12; i--) if (text[i] === '\n') lineBreaks.push(i);
  const spaces: number[] = [];
  for (let i = from; i > 0 && spaces.length < 24; i--) if (text[i] === ' ' || text[i] === '\t') spaces.push(i);
  const firstBreak = lineBreaks[0];
  const points =
    firstBreak !== undefined && firstBreak >= limit * 0.5 ? [...lineBreaks, ...spaces] : [...spaces.filter((p) => p >= limit * 0.5), ...lineBreaks, ...spaces];
  for (let i = from; i > 0 && i > from - 16; i--) points.push(i);
  return points.filter((p) => !isHighSurrogate(text.charCodeAt(p - 1)));
}

/** The kept prefix with trailing blanks removed, an ellipsis, and the closing fence of a block left open. */
function finishCut(prefix: string): string {
  const kept = prefix.replace(/[ \t\n]+$/, '');
  let fence: { char: string; length: number } | undefined;
  for (const line of kept.split('\n')) {
    if (fence) {
      if (closesFence(line, fence)) fence = undefined;
    } else {
      fence = fenceOpener(line);
    }
  }
  if (fence) return `${kept}\n${fence.char.repeat(fence.length)}\n${TRUNCATION_MARK}`;
  if (kept === '') return TRUNCATION_MARK;
  return kept.endsWith('\n') ? kept + TRUNCATION_MARK : `${kept} ${TRUNCATION_MARK}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
