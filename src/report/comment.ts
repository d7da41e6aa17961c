import { sanitizeModelText } from '../text/sanitize.js';
import { UNVERIFIED, type Finding, type FindingVerdict } from '../types.js';
import { fingerprintMarker, isMarkedResolved, readFingerprintMarker, readFingerprintSource, resolvedMarker } from './markers.js';
import { severityBadge } from './markdown.js';
import type { RuleInfo } from '../types.js';
import { codeBlock, codeSpan, cweNumber, escapeMarkdown, fenceFor, safeHttpUrl } from '../text/markdown.js';
import { containsHiddenCharacters } from '../text/hidden.js';
import { describeRelated } from '../text/related.js';
import { truncate, truncateUtf8, utf8Length } from '../text/strings.js';

/** GitHub refuses comment bodies over 65,536 characters; measured in UTF-8 bytes, which is never less. */
export const COMMENT_LIMIT = 60_000;

export interface InlineCommentOptions {
  /** The comment covers exactly the finding's lines, so a suggestion would replace the right ones. */
  exact: boolean;
  /** The caller allows one-click suggestions (e.g. not on a PR whose head the token cannot write to). */
  suggestionAllowed: boolean;
  /** Links in model text into this repository stay links (the same context the model stages sanitized with). */
  links?: { repository?: string; serverUrl?: string };
}

/** Any of this action's markers, in whatever spelling a forged one might use. */
const MARKER_LIKE = /<!--\s*ultra-create:/i;
const ALL_FINGERPRINT_MARKERS = /[ \t]*<!-- ultra-create:fp=[0-9a-f]{16,64}(?: src=[a-z][a-z-]{0,31})? -->[ \t]*\n?/g;
const SUGGESTION_FENCE = /^( {0,3}`{3,})suggestion\b[^\n]*$/gm;

/** Half the body at most, so that the explanation always has room next to a long replacement. */
const MAX_CODE_BYTES = 30_000;
const MAX_REASONING_CHARS = 5_000;

const VERDICT_LABEL: Readonly<Record<FindingVerdict['verdict'], string>> = {
  confirmed: '✅ verified by Claude',
  uncertain: '❔ Claude is uncertain',
  unverified: '⚠️ not verified',
  false_positive: '🚫 likely a false positive (Claude)',
};

/** Our own words for why a finding was not verified (`unverified` reasons start with one of `UNVERIFIED`'s keys). */
function unverifiedLabel(verdict: FindingVerdict): string {
  const reason = verdict.reasoning ?? '';
  if (reason.startsWith(UNVERIFIED.budget)) return `${VERDICT_LABEL.unverified} (Claude budget spent)`;
  if (reason.startsWith(UNVERIFIED.noKey)) return `${VERDICT_LABEL.unverified} (Claude verification is off)`;
  return `${VERDICT_LABEL.unverified} (Claude gave no usable answer)`;
}

export function verdictLabel(verdict: FindingVerdict): string {
  return verdict.verdict === 'unverified' ? unverifiedLabel(verdict) : VERDICT_LABEL[verdict.verdict];
}

/**
 * Template and tool text is plain and escaped. Model text is markdown the model stages already sanitized (see `FindingDraft`); it is
 * sanitized again here, which changes nothing for sanitized text (the sanitizer is idempotent) and keeps this renderer safe whatever
 * it is given.
 */
function draftText(text: string, author: 'model' | 'template' | 'claude', links: InlineCommentOptions['links']): string {
  return author === 'template' ? escapeMarkdown(text, { multiline: true }) : sanitizeModelText(text, { ...links, maxLength: COMMENT_LIMIT });
}

/**
 * The body of one inline review comment: severity badge and rule, the text (Claude's comment, else the draft, else the tool's
 * message), why it matters with the CWE linked, a ```suggestion``` block when the comment covers exactly the finding's lines, and
 * the fingerprint marker on the last line. Everything from the PR or a model is escaped. When the body would exceed the limit the
 * prose is shortened; a suggestion is never cut (a cut suggestion would commit broken code): one over 30 KB is replaced by a note.
 * The marker always stays.
 */
export function renderInlineComment(
  finding: Finding,
  rule?: RuleInfo,
  options: InlineCommentOptions = { exact: false, suggestionAllowed: false },
): string {
  const marker = fingerprintMarker(finding.fingerprint, finding.source);
  const header = [
    severityBadge(finding.severity),
    codeSpan(truncate(finding.ruleId, 200)),
    finding.verdict ? verdictLabel(finding.verdict) : undefined,
  ]
    .filter((part): part is string => part !== undefined)
    .join(' · ');

  const prose: string[] = [];
  const draft = finding.draft;
  const title = draft?.title.trim();
  if (draft && title) prose.push(`**${draftText(truncate(title.replace(/\s+/g, ' '), 300), draft.author, options.links).replace(/\s+/g, ' ')}**`);
  const claudeComment = finding.verdict?.comment?.trim();
  if (claudeComment) prose.push(draftText(claudeComment, 'claude', options.links));
  else if (draft?.body.trim() && draft.body.trim() !== title) prose.push(draftText(draft.body.trim(), draft.author, options.links));
  else if (!draft) prose.push(escapeMarkdown(finding.message, { multiline: true }));
  const related = describeRelated(finding);
  if (related) prose.push(escapeMarkdown(related));
  if (finding.verdict?.verdict === 'uncertain') {
    prose.push('_Claude could neither confirm nor rule out this finding: please check it._');
  }
  if (draft?.fixHint?.trim() && !claudeComment) prose.push(`**How to fix:** ${draftText(draft.fixHint.trim(), draft.author, options.links)}`);
  const why = whyItMatters(finding, rule);
  if (why) prose.push(why);

  let code = [outputSection(finding), fixSection(finding, options)].filter((part) => part.length > 0).join('\n\n');
  if (utf8Length(code) > MAX_CODE_BYTES) code = '_The suggested change is too long to show here._';
  const reasoning = reasoningSection(finding.verdict, options.links);
  const helpUri = safeHttpUrl(finding.helpUri ?? rule?.helpUri);
  const link = helpUri ? `[Rule documentation](${helpUri})` : '';

  const fixedBytes = [header, code, reasoning, link, marker].reduce((sum, part) => sum + utf8Length(part) + 2, 0);
  let proseText = prose.filter((p) => p.length > 0).join('\n\n');
  const proseBudget = COMMENT_LIMIT - fixedBytes - 2;
  if (utf8Length(proseText) > proseBudget) {
    // Cutting rendered prose is safe: it holds no HTML, and a cut code span or escape only shows a stray character.
    proseText = `${truncateUtf8(proseText, proseBudget - 32, '…')}\n\n_(shortened)_`;
  }
  return [header, proseText, code, reasoning, link, marker].filter((part) => part.length > 0).join('\n\n');
}

function whyItMatters(finding: Finding, rule: RuleInfo | undefined): string | undefined {
  const note = (finding.note ?? rule?.fullDescription)?.trim();
  const cwe = cweNumber(rule?.cwe);
  const mentionsCwe = cwe !== undefined && note !== undefined && new RegExp(`\\bCWE-${cwe}\\b`).test(note);
  const text = [note, cwe && !mentionsCwe ? `(CWE-${cwe})` : undefined].filter(Boolean).join(' ');
  if (!text) return undefined;
  return `**Why it matters:** ${escapeMarkdown(text, { multiline: true, linkCwe: true })}`;
}

/**
 * A suggestion replaces the commented lines with the block's content verbatim, so it is only offered when the comment covers exactly
 * the finding's lines and the replacement is known line by line. It is withheld when the replacement holds something a reviewer could
 * not see or that looks like our markers (it cannot be altered without changing what gets committed); the fix is then shown as text.
 */
function fixSection(finding: Finding, options: InlineCommentOptions): string {
  const fix = finding.fix;
  const language = languageOf(finding.path);
  const lines = fix?.replacementLines;
  if (fix && lines !== undefined && options.exact && options.suggestionAllowed) {
    if (!MARKER_LIKE.test(lines) && !containsHiddenCharacters(lines)) return suggestionBlock(lines);
    return details('Suggested change (shown as text: it contains hidden characters or marker-like text)', codeBlock(lines, language));
  }
  if (fix && fix.replacement.length > 0) return details('Possible fix', codeBlock(fix.replacement, language));
  const claudeFix = finding.verdict?.fix?.trim();
  if (claudeFix) return details('Possible fix (Claude)', codeBlock(claudeFix, language));
  return '';
}

/**
 * `replacementLines` is the text of the replaced lines; one trailing line break is a terminator, not an extra empty line. An empty
 * block deletes the lines, as GitHub defines it.
 */
function suggestionBlock(replacementLines: string): string {
  const content = replacementLines.replace(/\r?\n$/, '');
  const fence = fenceFor(content);
  return content.length === 0 ? `${fence}suggestion\n${fence}` : `${fence}suggestion\n${content}\n${fence}`;
}

/** Claude's reasoning (sanitized markdown, folded); an `unverified` verdict's reason is ours and already in the header. */
function reasoningSection(verdict: FindingVerdict | undefined, links: InlineCommentOptions['links']): string {
  const reasoning = verdict?.reasoning?.trim();
  if (!reasoning || verdict?.verdict === 'unverified') return '';
  return details("Claude's reasoning", sanitizeModelText(reasoning, { ...links, maxLength: MAX_REASONING_CHARS }));
}

/** The tool's own output (a failing test's log excerpt): PR text, so only ever inside a fence. */
function outputSection(finding: Finding): string {
  const output = finding.output?.trim();
  if (!output) return '';
  return details('Output', codeBlock(truncate(output, 8_000), 'text'));
}

/** `summary` is our own text; `content` is already escaped markdown. */
function details(summary: string, content: string): string {
  return `<details>\n<summary>${summary}</summary>\n\n${content}\n\n</details>`;
}

function languageOf(path: string): string {
  const extension = /\.([A-Za-z0-9]{1,10})$/.exec(path)?.[1];
  return extension ? extension.toLowerCase() : '';
}

/**
 * The edit made to a comment whose finding is gone: a "resolved" line, the original folded away (its suggestion turned into a plain
 * code block, since applying it now would edit code that changed), the same fingerprint marker and the resolved marker. Resolving a
 * resolved body returns it unchanged. A finding that comes back later gets a new comment from `renderInlineComment`.
 */
export function renderResolvedComment(previousBody: string, headSha: string): string {
  if (isMarkedResolved(previousBody)) return previousBody;
  const fingerprint = readFingerprintMarker(previousBody);
  const source = readFingerprintSource(previousBody);
  const shortSha = headSha.replace(/[^0-9a-f]/gi, '').slice(0, 7);
  const line = `✅ Resolved${shortSha ? ` in ${shortSha}` : ''}: this finding is no longer reported.`;
  const markers = [fingerprint ? fingerprintMarker(fingerprint, source) : undefined, resolvedMarker()].filter(Boolean).join('\n');

  const original = previousBody.replace(ALL_FINGERPRINT_MARKERS, '').replace(SUGGESTION_FENCE, '$1').trim();
  const folded = original ? details('Original comment', original) : '';
  const body = [line, folded, markers].filter((part) => part.length > 0).join('\n\n');
  // An original close to GitHub's limit cannot be kept whole; cutting it could leave a fence open, so it is dropped instead.
  return utf8Length(body) <= COMMENT_LIMIT + 5_000
    ? body
    : [line, '_The original comment was too long to keep._', markers].join('\n\n');
}
