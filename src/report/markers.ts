import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { truncate } from '../text/strings.js';
import { type RememberedVerdict } from '../types.js';

/**
 * Hidden markers tie posted comments to findings across runs. They are HTML comments, which GitHub does not render; a model's output
 * has all HTML comments stripped before posting (see the sanitizer), so only this action can write them. They are trusted only in
 * comments whose author is the token's own identity.
 */
// The source (scanner) rides along so that a comment is only resolved when the scan that found it ran this time.
const FINGERPRINT_MARKER = /<!-- ultra-create:fp=([0-9a-f]{16,64})(?: src=([a-z][a-z-]{0,31}))? -->/;
const RESOLVED_MARKER = '<!-- ultra-create:resolved -->';
const REVIEW_MARKER = /<!-- ultra-create:review run=([A-Za-z0-9._-]{1,80}) -->/;

export function fingerprintMarker(fingerprint: string, source?: string): string {
  return source ? `<!-- ultra-create:fp=${fingerprint} src=${source} -->` : `<!-- ultra-create:fp=${fingerprint} -->`;
}

export function readFingerprintMarker(body: string | null | undefined): string | undefined {
  return body ? FINGERPRINT_MARKER.exec(body)?.[1] : undefined;
}

/** The scanner that found the commented finding; comments written before sources were recorded came from ast-grep. */
export function readFingerprintSource(body: string | null | undefined): string | undefined {
  if (!body) return undefined;
  const match = FINGERPRINT_MARKER.exec(body);
  return match ? (match[2] ?? 'ast-grep') : undefined;
}

export function resolvedMarker(): string {
  return RESOLVED_MARKER;
}

export function isMarkedResolved(body: string | null | undefined): boolean {
  return !!body && body.includes(RESOLVED_MARKER);
}

/** Marks a review body with the run that posted it, so a failed POST can be checked before any retry. */
export function reviewMarker(runKey: string): string {
  return `<!-- ultra-create:review run=${runKey.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 80)} -->`;
}

export function readReviewMarker(body: string | null | undefined): string | undefined {
  return body ? REVIEW_MARKER.exec(body)?.[1] : undefined;
}

const LISTED_MARKER = /<!-- ultra-create:listed=([0-9a-f,]*) -->/;
/** Most fingerprints one review body records as listed (33 bytes each). */
export const LISTED_MARKER_CAP = 1000;

/**
 * Records the findings a review body lists instead of commenting on (over `max-comments`, or outside the diff), so that later runs
 * neither list them again nor comment on them: a re-run only speaks of what is new.
 */
export function listedMarker(fingerprints: readonly string[]): string {
  return `<!-- ultra-create:listed=${fingerprints.slice(0, LISTED_MARKER_CAP).join(',')} -->`;
}

export function readListedMarker(body: string | null | undefined): string[] {
  const list = body ? LISTED_MARKER.exec(body)?.[1] : undefined;
  return list ? list.split(',').filter((fp) => /^[0-9a-f]{16,64}$/.test(fp)) : [];
}

// ── Claude's verdicts, remembered across pushes ────────────────────────────────────────────────────────────────────────────────


const VERDICTS_MARKER = /<!-- ultra-create:verdicts=v1\.([A-Za-z0-9_-]*) -->/;
const VERDICT_KEY = /^[0-9a-f]{16,64}\.[0-9a-f]{16}$/;
/** What one stored verdict keeps of Claude's text (the fix, code up to 8,000 characters, is not kept). */
export const REMEMBERED_LIMITS = { reasoning: 400, comment: 1000 } as const;
/** Most characters of the whole marker: well under the 65,535 of a check run's `output.text`. */
export const VERDICTS_MARKER_MAX_CHARS = 48_000;
/** Most bytes a marker may inflate to when read (a marker is small; anything larger is not ours). */
const MAX_INFLATED_BYTES = 4 * 1024 * 1024;

const clipTo = (text: string | undefined, max: number) => (text === undefined ? undefined : truncate(text, max));

const encodeEntries = (entries: readonly unknown[]): string =>
  `<!-- ultra-create:verdicts=v1.${deflateRawSync(Buffer.from(JSON.stringify(entries))).toString('base64url')} -->`;

/**
 * Records Claude's verdicts in a check run's `output.text`, so that the next push does not pay for the same judgement of the same
 * code (dismissed findings have no comment to remember them by). The JSON is deflated and base64url-encoded: nothing in it can
 * close the HTML comment. Verdicts are kept in the order given, as many as fit in `VERDICTS_MARKER_MAX_CHARS`.
 */
export function verdictsMarker(verdicts: readonly RememberedVerdict[]): string {
  const entries = verdicts
    .filter((v) => VERDICT_KEY.test(v.key))
    .map((v) => ({
      k: v.key,
      v: v.verdict,
      ...(v.reasoning && { r: clipTo(v.reasoning, REMEMBERED_LIMITS.reasoning) }),
      ...(v.comment && { c: clipTo(v.comment, REMEMBERED_LIMITS.comment) }),
    }));
  let marker = encodeEntries(entries);
  if (marker.length <= VERDICTS_MARKER_MAX_CHARS) return marker;
  // The most leading entries that fit (compression is not linear: search).
  let fits = 0;
  let over = entries.length;
  while (over - fits > 1) {
    const mid = Math.floor((fits + over) / 2);
    if (encodeEntries(entries.slice(0, mid)).length <= VERDICTS_MARKER_MAX_CHARS) fits = mid;
    else over = mid;
  }
  marker = encodeEntries(entries.slice(0, fits));
  return marker;
}

/** The verdicts a marker recorded; anything malformed is left out (an unreadable marker remembers nothing). */
export function readVerdictsMarker(text: string | null | undefined): RememberedVerdict[] {
  const encoded = text ? VERDICTS_MARKER.exec(text)?.[1] : undefined;
  if (!encoded) return [];
  let entries: unknown;
  try {
    const json = inflateRawSync(Buffer.from(encoded, 'base64url'), { maxOutputLength: MAX_INFLATED_BYTES });
    entries = JSON.parse(json.toString('utf8'));
  } catch {
    return [];
  }
  if (!Array.isArray(entries)) return [];
  const verdicts: RememberedVerdict[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { k, v, r, c } = entry as Record<string, unknown>;
    if (typeof k !== 'string' || !VERDICT_KEY.test(k)) continue;
    if (v !== 'confirmed' && v !== 'false_positive' && v !== 'uncertain') continue;
    verdicts.push({
      key: k,
      verdict: v,
      ...(typeof r === 'string' && r && { reasoning: clipTo(r, REMEMBERED_LIMITS.reasoning) }),
      ...(typeof c === 'string' && c && { comment: clipTo(c, REMEMBERED_LIMITS.comment) }),
    });
  }
  return verdicts;
}
