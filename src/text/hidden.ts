/**
 * Characters that render as nothing, reorder the text around them (Trojan Source bidi controls), smuggle text (Unicode tag
 * characters) or drive a terminal (C0/C1 controls, ESC). Tab and line feed are kept; CR is handled by the callers' CRLF handling.
 */
const HIDDEN_CHARACTER =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class -- finding control characters and invisible fillers is the point; each code point in the class stands alone
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB\u{E0000}-\u{E007F}]/u;
// eslint-disable-next-line no-misleading-character-class -- the same class as above: each code point on its own, by design
const HIDDEN_CHARACTERS = new RegExp(HIDDEN_CHARACTER.source, 'gu');

export function containsHiddenCharacters(text: string): boolean {
  return HIDDEN_CHARACTER.test(text.replace(/\r\n/g, '\n'));
}

/**
 * The first hidden character of a line: its 1-based UTF-16 column (SARIF's default column unit) and its code point as `U+XXXX`;
 * undefined when the line has none.
 */
export function firstHiddenCharacter(line: string): { column: number; code: string } | undefined {
  let column = 0;
  for (const ch of line) {
    if (HIDDEN_CHARACTER.test(ch)) return { column: column + 1, code: `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` };
    column += ch.length;
  }
  return undefined;
}

/**
 * Makes hidden characters visible as `[U+202E]` instead of deleting them: a reviewer must see that the code holds something the
 * editor does not show, and deleting would make the shown code differ silently from the real one. CRLF becomes LF.
 */
export function revealHidden(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(HIDDEN_CHARACTERS, (ch) => `[U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`);
}
