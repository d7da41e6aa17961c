/**
 * Scripts a template loads over plain `http://`: whoever is on the network path (a café's Wi-Fi, a proxy) can replace the script
 * and run their own code in every page that includes it. Found in the template's HTML, not in its template tags, by one linear
 * pass: `<script … src="http://…">` outside ordinary HTML comments (an IE conditional comment, `<!--[if lt IE 9]>`, is markup
 * that old browsers load, so it counts). Loopback hosts are development setups and are not reported.
 */
import type { TemplateSite } from './lexing.js';

const SCRIPT_SRC = /<script\b[^>]{0,2000}?\bsrc\s*=\s*["']?http:\/\/([^\s"'>/:]*)[^\s"'>]{0,2000}/gi;
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0)$/i;

export function scriptsOverHttp(text: string): TemplateSite[] {
  const comments = commentRanges(text);
  const sites: TemplateSite[] = [];
  let comment = 0;
  for (const match of text.matchAll(SCRIPT_SRC)) {
    const start = match.index;
    while (comment < comments.length && (comments[comment]?.[1] ?? 0) <= start) comment++;
    const range = comments[comment];
    if (range && range[0] <= start) continue;
    if (LOOPBACK.test(match[1] ?? '')) continue;
    sites.push({ kind: 'script-over-http', start, end: start + match[0].length });
  }
  return sites;
}

/** `<!-- … -->` ranges (start, end exclusive) in order, except IE conditional comments. */
function commentRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  let from = text.indexOf('<!--');
  while (from !== -1) {
    const close = text.indexOf('-->', from + 4);
    const end = close === -1 ? text.length : close + 3;
    if (!text.startsWith('[if', from + 4)) ranges.push([from, end]);
    from = text.indexOf('<!--', end);
  }
  return ranges;
}
