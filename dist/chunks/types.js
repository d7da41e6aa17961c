/**
 * The shapes that travel between pipeline stages (DESIGN.md §3). Stages depend on these, never on each other's internals.
 */
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
/** Higher is more severe; used for thresholds and sorting. */
const SEVERITY_RANK = {
    critical: 5,
    high: 4,
    medium: 3,
    low: 2,
    info: 1,
};
function atLeast(severity, threshold) {
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}
/** The lower of two severities. */
function atMost(severity, cap) {
    return SEVERITY_RANK[severity] <= SEVERITY_RANK[cap] ? severity : cap;
}
const SCANNER_NAMES = ['ast-grep', 'ramparts', 'tests'];
/** Related locations kept per finding; a rule's further labels are dropped. */
const MAX_RELATED_LOCATIONS = 3;
/**
 * Claude's judgement of an escalated finding. `reasoning` and `comment` are markdown already passed through `sanitizeModelText`
 * (posted as they are); `fix` is code, shown only inside a code block, with markers, hidden characters and secrets removed.
 * `unverified`: not sent (no key, budget spent) or no usable answer; `reasoning` then says why, in our own words.
 */
/** Reasons of `unverified` verdicts start with one of these, so reporters can tell them apart. */
const UNVERIFIED = {
    noKey: 'no anthropic-api-key',
    budget: 'budget',
    error: 'error',
};
const FILTER_MODES = ['added', 'diff_context', 'file', 'nofilter'];
const NOTHING_EARLIER = { commented: new Map(), listed: new Set(), verdicts: new Map() };
/** The tool's own identity, as SARIF and the reports name it. */
const TOOL = {
    name: 'ultra-create',
    version: '1.0.0',
    informationUri: 'https://github.com/ultra-create/action',
};

export { FILTER_MODES as F, MAX_RELATED_LOCATIONS as M, NOTHING_EARLIER as N, SCANNER_NAMES as S, TOOL as T, UNVERIFIED as U, SEVERITIES as a, SEVERITY_RANK as b, atLeast as c, atMost as d };
