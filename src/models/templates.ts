import type { RuleInfo } from '../types.js';
import type { Finding, FindingDraft } from '../types.js';
import { oneLine } from '../text/strings.js';

/**
 * Template text for a finding's review comment: what is used when no local model is configured, when it does not answer in time,
 * and for every draft the model gets wrong. Deterministic (a pure function of the finding and its rule), so that re-runs post the
 * same words and the fingerprint marker logic never sees churn.
 */

/** The same limits the model's drafts are held to (see local-drafts.ts). */
export const DRAFT_LIMITS = { title: 100, body: 800, fixHint: 300 } as const;

/** A single-line replacement this short is quoted in the hint; a longer one is referred to. */
const INLINE_REPLACEMENT_CHARS = 80;

export function templateDraft(finding: Finding, rule?: RuleInfo): FindingDraft {
  const message = finding.message.trim();
  const title = shorten(oneLine(rule?.shortDescription ?? '') || oneLine(firstLine(message)) || finding.ruleId, DRAFT_LIMITS.title);

  // The message says what was found here. The rule's note ("why it matters") is not repeated: every reporter shows it next to the
  // draft already.
  const body = shorten(message || title, DRAFT_LIMITS.body);

  const draft: FindingDraft = { title, body, author: 'template' };
  const fixHint = templateFixHint(finding);
  if (fixHint) draft.fixHint = fixHint;
  return draft;
}

function templateFixHint(finding: Finding): string | undefined {
  const fix = finding.fix;
  if (!fix) return undefined;
  const replacement = fix.replacementLines ?? fix.replacement;
  if (replacement.trim() === '') return 'Remove the matched code; the rule suggests deleting it.';
  const single = replacement.replace(/\r?\n$/, '');
  if (!single.includes('\n') && single.trim().length <= INLINE_REPLACEMENT_CHARS && !single.includes('`')) {
    return shorten(`Replace the matched code with \`${single.trim()}\`.`, DRAFT_LIMITS.fixHint);
  }
  return 'Apply the replacement the rule suggests (shown with this comment).';
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? '';
}


/** Cut at a word boundary when one is near, with an ellipsis; never longer than `max` characters (code points). */
function shorten(text: string, max: number): string {
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points on purpose: `max` counts code points, and no surrogate pair is cut in two
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
