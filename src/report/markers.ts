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
