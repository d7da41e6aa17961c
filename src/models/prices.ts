import type { Logger } from '../logger.js';

/**
 * The one Claude price table (DESIGN.md §5 "Claude": cost is computed from the usage tokens each response returns and a price table
 * kept in one place). Everything that turns tokens into dollars — the hard budget, the `claude-cost-usd` output, the summary, the
 * benchmark — goes through `costOf`.
 *
 * Prices are US dollars per million tokens (MTok), as Anthropic's pricing page lists them
 * (https://platform.claude.com/docs/en/about-claude/pricing, checked November 2026). Update this file, and only this file, when they
 * change.
 *
 * Money is counted in whole nano-dollars (1e-9 USD): every listed price has at most three decimals per MTok, so tokens × price is an
 * exact integer there, and the budget compares integers (no floating-point drift at the limit).
 */

/** USD per million tokens. */
export interface Rates {
  input: number;
  output: number;
  /** Prompt-cache writes with the default 5-minute lifetime. */
  cacheWrite5m: number;
  /** Prompt-cache writes with the 1-hour lifetime. */
  cacheWrite1h: number;
  /** Prompt-cache hits and refreshes. */
  cacheRead: number;
}

export interface ModelPrice extends Rates {
  /** Human name of the row, for logs. */
  name: string;
  /**
   * A request whose prompt (input + cache reads + cache writes) is longer than `thresholdTokens` pays these rates on every token of
   * that request, output included.
   */
  longPrompt?: Rates & { thresholdTokens: number };
}

/**
 * The token counts of one response (`usage` of the Messages API; field names as the API sends them). Only `input_tokens` and
 * `output_tokens` are required: the rest appear when prompt caching or data residency is in play.
 */
export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  /** Split of `cache_creation_input_tokens` by cache lifetime, when the API reports it. */
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
  /** `"us"` = US-only inference, billed at 1.1× on every token category. */
  inference_geo?: string | null;
}

/** Standard cache multipliers (5m write 1.25×, 1h write 2×, hit 0.1×) for rows where only input/output are listed. */
function standard(name: string, input: number, output: number, cacheRead = input / 10): ModelPrice {
  return { name, input, output, cacheWrite5m: input * 1.25, cacheWrite1h: input * 2, cacheRead };
}

const OPUS_45_TO_5 = (name: string) => standard(name, 5, 25, 0.5);
const OPUS_LEGACY = (name: string) => standard(name, 15, 75, 1.5);
const SONNET_3_TO_4 = (name: string) => standard(name, 3, 15, 0.3);
/** Sonnet 4 and 4.5: prompts over 200K tokens (1M-context requests) are billed at the long-context rates. */
const SONNET_LONG_CONTEXT: ModelPrice['longPrompt'] = {
  thresholdTokens: 200_000,
  input: 6,
  output: 22.5,
  cacheWrite5m: 7.5,
  cacheWrite1h: 12,
  cacheRead: 0.6,
};

/**
 * Rows keyed by `family-major.minor` (`opus-4.5`) or `family-major` (`sonnet-5`): how `canonicalModelKey` names a model id.
 * Mythos-class models (Fable, Mythos) share their prices version by version.
 */
export const PRICE_TABLE: Readonly<Record<string, ModelPrice>> = {
  // Mythos class. Mythos Preview: the launch price of the limited research preview (the most expensive row, hence the fallback).
  'mythos-preview': standard('Claude Mythos Preview', 25, 125),
  'fable-5.2': standard('Claude Fable 5.2', 8, 40, 0.2),
  'mythos-5.2': standard('Claude Mythos 5.2', 8, 40, 0.2),
  'fable-5.1': standard('Claude Fable 5.1', 10, 50, 0.25),
  'mythos-5.1': standard('Claude Mythos 5.1', 10, 50, 0.25),
  'fable-5': standard('Claude Fable 5', 10, 50, 1),
  'mythos-5': standard('Claude Mythos 5', 10, 50, 1),
  // Opus.
  'opus-5.5': standard('Claude Opus 5.5', 4, 20, 0.2),
  'opus-5': OPUS_45_TO_5('Claude Opus 5'),
  'opus-4.8': OPUS_45_TO_5('Claude Opus 4.8'),
  'opus-4.7': OPUS_45_TO_5('Claude Opus 4.7'),
  'opus-4.6': OPUS_45_TO_5('Claude Opus 4.6'),
  'opus-4.5': OPUS_45_TO_5('Claude Opus 4.5'),
  'opus-4.1': OPUS_LEGACY('Claude Opus 4.1'),
  'opus-4': OPUS_LEGACY('Claude Opus 4'),
  'opus-3': OPUS_LEGACY('Claude Opus 3'),
  // Sonnet. Sonnet 5.5 cache hits were cut from $0.20 to $0.10 on 2026-10-07.
  'sonnet-5.5': standard('Claude Sonnet 5.5', 2, 10, 0.1),
  'sonnet-5': standard('Claude Sonnet 5', 2, 10, 0.2),
  'sonnet-4.6': SONNET_3_TO_4('Claude Sonnet 4.6'),
  'sonnet-4.5': { ...SONNET_3_TO_4('Claude Sonnet 4.5'), longPrompt: SONNET_LONG_CONTEXT },
  'sonnet-4': { ...SONNET_3_TO_4('Claude Sonnet 4'), longPrompt: SONNET_LONG_CONTEXT },
  'sonnet-3.7': SONNET_3_TO_4('Claude Sonnet 3.7'),
  'sonnet-3.5': SONNET_3_TO_4('Claude Sonnet 3.5'),
  // Haiku. Haiku 5.5 is priced by prompt length: over 100K tokens, 5× on every token of the request.
  'haiku-5.5': {
    ...standard('Claude Haiku 5.5', 0.1, 0.5, 0.01),
    longPrompt: { thresholdTokens: 100_000, input: 0.5, output: 2.5, cacheWrite5m: 0.625, cacheWrite1h: 1, cacheRead: 0.05 },
  },
  'haiku-4.5': standard('Claude Haiku 4.5', 1, 5, 0.1),
  'haiku-3.5': { name: 'Claude Haiku 3.5', input: 0.8, output: 4, cacheWrite5m: 1, cacheWrite1h: 1.6, cacheRead: 0.08 },
  'haiku-3': { name: 'Claude Haiku 3', input: 0.25, output: 1.25, cacheWrite5m: 0.3, cacheWrite1h: 0.5, cacheRead: 0.03 },
};

/**
 * For a model id the table does not know: every rate is the highest of that rate over all rows (long-prompt bands included), so an
 * unknown model can only be over-counted, never under-counted, against the hard budget.
 */
export const FALLBACK_PRICE: ModelPrice = (() => {
  const rows = Object.values(PRICE_TABLE).flatMap((row) => (row.longPrompt ? [row, row.longPrompt] : [row]));
  const max = (field: keyof Rates) => Math.max(...rows.map((row) => row[field]));
  return {
    name: 'unknown model (fallback: the highest price of every token category)',
    input: max('input'),
    output: max('output'),
    cacheWrite5m: max('cacheWrite5m'),
    cacheWrite1h: max('cacheWrite1h'),
    cacheRead: max('cacheRead'),
  };
})();

/** US-only inference (`inference_geo: "us"`) costs 1.1× on every token category. */
const US_GEO_NUMERATOR = 11;
const US_GEO_DENOMINATOR = 10;

/**
 * The table key of a model id, or undefined when it names no Claude model version the table could know. Accepts the API's ids
 * (`claude-opus-4-5`, `claude-opus-4-5-20251101`, `claude-sonnet-5-5[1m]`), Bedrock (`anthropic.claude-opus-4-5-20251101-v1:0`,
 * `us.anthropic.…`), Vertex (`claude-opus-4-5@20251101`) and the Claude 3 naming (`claude-3-5-sonnet-20241022`).
 */
export function canonicalModelKey(model: string): string | undefined {
  const id = model.trim().toLowerCase();
  if (/(^|[^a-z])claude-mythos-preview(?![a-z0-9])/.test(id)) return 'mythos-preview';
  // claude-<family>-<major>[-<minor>]: the minor is one digit (a date or a `-v1` suffix is not a minor).
  const modern = /(?:^|[^a-z])claude-(opus|sonnet|haiku|fable|mythos)-(\d+)(?:-(\d)(?!\d))?(?![.\d])/.exec(id);
  if (modern) return versionKey(modern[1], modern[2], modern[3]);
  const legacy = /(?:^|[^a-z])claude-(\d)(?:-(\d))?-(opus|sonnet|haiku)(?![a-z])/.exec(id);
  if (legacy) return versionKey(legacy[3], legacy[1], legacy[2]);
  return undefined;
}

function versionKey(family: string | undefined, major: string | undefined, minor: string | undefined): string | undefined {
  if (!family || !major) return undefined;
  return minor === undefined || minor === '0' ? `${family}-${major}` : `${family}-${major}.${minor}`;
}

export interface ResolvedPrice {
  price: ModelPrice;
  /** False: the model id is not in the table and `price` is `FALLBACK_PRICE`. */
  known: boolean;
}

export function priceOf(model: string): ResolvedPrice {
  const key = canonicalModelKey(model);
  const row = key === undefined ? undefined : PRICE_TABLE[key];
  return row ? { price: row, known: true } : { price: FALLBACK_PRICE, known: false };
}

/**
 * Logs (once per logger and model id) that a model is priced with the fallback. Returns whether the model is in the table.
 */
const warned = new WeakMap<Logger, Set<string>>();
export function warnIfUnpriced(model: string, logger: Logger): boolean {
  if (priceOf(model).known) return true;
  const seen = warned.get(logger) ?? new Set<string>();
  warned.set(logger, seen);
  if (!seen.has(model)) {
    seen.add(model);
    logger.warning(
      `Claude model "${model}" is not in the price table; costs and the budget use the highest known prices ` +
        `($${FALLBACK_PRICE.input} / $${FALLBACK_PRICE.output} per million input / output tokens).`,
    );
  }
  return false;
}

const count = (value: number | null | undefined): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : 0;

/** Nano-dollars for `tokens` at `perMTok` USD per million: tokens × perMTok × 1000, an integer for the table's prices. */
function nanos(tokens: number, perMTok: number): number {
  return Math.round(tokens * perMTok * 1000);
}

/** Exact cost of one response's usage, in nano-dollars (1e-9 USD). */
export function costNanosOf(model: string, usage: TokenUsage): number {
  const { price } = priceOf(model);
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const cacheRead = count(usage.cache_read_input_tokens);
  const cacheWriteTotal = count(usage.cache_creation_input_tokens);
  const split = usage.cache_creation ?? undefined;
  const write1h = Math.min(count(split?.ephemeral_1h_input_tokens), cacheWriteTotal);
  // Without a split, cache writes are 5-minute ones (the default lifetime).
  const write5m = cacheWriteTotal - write1h;

  const promptTokens = input + cacheRead + cacheWriteTotal;
  const rates: Rates =
    price.longPrompt && promptTokens > price.longPrompt.thresholdTokens ? price.longPrompt : price;
  let total =
    nanos(input, rates.input) +
    nanos(output, rates.output) +
    nanos(cacheRead, rates.cacheRead) +
    nanos(write5m, rates.cacheWrite5m) +
    nanos(write1h, rates.cacheWrite1h);
  if (usage.inference_geo === 'us') total = Math.ceil((total * US_GEO_NUMERATOR) / US_GEO_DENOMINATOR);
  return total;
}

/** Cost of one response's usage in US dollars. */
export function costOf(model: string, usage: TokenUsage): number {
  return nanosToUsd(costNanosOf(model, usage));
}

/**
 * The most a request can cost: `inputTokens` of prompt (uncached) and `maxOutputTokens` of output, at the model's rates (the
 * long-prompt band when the prompt is over its threshold). Nano-dollars.
 */
export function worstCaseNanos(model: string, inputTokens: number, maxOutputTokens: number): number {
  return costNanosOf(model, { input_tokens: inputTokens, output_tokens: maxOutputTokens });
}

export const NANOS_PER_USD = 1_000_000_000;

export function usdToNanos(usd: number): number {
  return Math.round(usd * NANOS_PER_USD);
}

export function nanosToUsd(nanos: number): number {
  return nanos / NANOS_PER_USD;
}

