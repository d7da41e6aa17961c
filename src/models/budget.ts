import type { Logger } from '../logger.js';
import { costNanosOf, nanosToUsd, usdToNanos, warnIfUnpriced, worstCaseNanos, type TokenUsage } from './prices.js';
import { formatUsdLimit } from '../text/strings.js';

/**
 * The hard Claude budget of a run (`claude-max-calls`, `claude-max-usd`).
 *
 * A call may start only when it fits entirely: calls < maxCalls, and the money already spent (plus what calls in flight may still
 * cost) plus the worst case of this call — its prompt estimated at one token per 3.5 characters, and its `max_tokens` of output — is
 * at most maxUsd. After the response, the reservation is replaced by the real cost from the usage the API returns. So the budget
 * stops a call before it could cross the limit, not after; a call that would land exactly on the limit is allowed.
 *
 * Amounts are integers in nano-dollars (see prices.ts), so "exactly at the limit" is an exact comparison.
 *
 * The one estimate is the prompt's token count: a prompt that packs more than one token per 3.5 characters can cost a little more
 * than reserved. Output — the expensive side — is bounded exactly by `max_tokens`.
 */

/** Characters per token assumed when estimating a prompt's size before sending it. */
export const CHARS_PER_TOKEN = 3.5;

export function estimateInputTokens(promptChars: number): number {
  return Math.ceil(Math.max(0, promptChars) / CHARS_PER_TOKEN);
}

export interface ClaudeBudgetOptions {
  maxCalls: number;
  maxUsd: number;
  /** The model the calls use (its prices decide the worst case and the real cost). */
  model: string;
  /** The largest `max_tokens` a call may ask for: the output part of the worst case unless a call names a smaller one. */
  maxOutputTokens: number;
  /** Told when the model is not in the price table (the fallback price is used). */
  logger?: Logger;
}

/** Why `canStart` said no. */
export type BudgetRefusal = 'calls' | 'usd';

export class ClaudeBudget {
  readonly maxCalls: number;
  readonly maxUsd: number;
  readonly model: string;
  readonly maxOutputTokens: number;
  private readonly maxNanos: number;
  private spentNanos = 0;
  private startedCalls = 0;
  /** Worst cases of calls started and not yet settled, oldest first. */
  private readonly pending: number[] = [];
  private lastRefusal: BudgetRefusal | undefined;

  constructor(options: ClaudeBudgetOptions) {
    if (!Number.isInteger(options.maxCalls) || options.maxCalls < 0) throw new RangeError('maxCalls must be an integer ≥ 0');
    if (!Number.isFinite(options.maxUsd) || options.maxUsd < 0) throw new RangeError('maxUsd must be a number ≥ 0');
    if (!Number.isInteger(options.maxOutputTokens) || options.maxOutputTokens < 1) {
      throw new RangeError('maxOutputTokens must be an integer ≥ 1');
    }
    this.maxCalls = options.maxCalls;
    this.maxUsd = options.maxUsd;
    this.maxNanos = usdToNanos(options.maxUsd);
    this.model = options.model;
    this.maxOutputTokens = options.maxOutputTokens;
    if (options.logger) warnIfUnpriced(options.model, options.logger);
  }

  /**
   * Worst-case cost (USD) of a call whose prompt (system + messages) has `promptChars` characters and whose `max_tokens` is
   * `outputTokens` (default and most: `maxOutputTokens`).
   */
  worstCaseUsd(promptChars: number, outputTokens?: number): number {
    return nanosToUsd(this.worstCaseNanos(promptChars, outputTokens));
  }

  private worstCaseNanos(promptChars: number, outputTokens = this.maxOutputTokens): number {
    if (!Number.isInteger(outputTokens) || outputTokens < 1 || outputTokens > this.maxOutputTokens) {
      throw new RangeError(`a call's max_tokens must be an integer from 1 to ${this.maxOutputTokens}, not ${outputTokens}`);
    }
    return worstCaseNanos(this.model, estimateInputTokens(promptChars), outputTokens);
  }

  /**
   * Reserves one call when it fits (see the class comment) and returns true; returns false, reserving nothing, otherwise
   * (`refusal` says which limit). Every true must be followed by exactly one `record` or `fail`.
   */
  canStart(promptChars: number, outputTokens?: number): boolean {
    if (this.startedCalls >= this.maxCalls) {
      this.lastRefusal = 'calls';
      return false;
    }
    const worst = this.worstCaseNanos(promptChars, outputTokens);
    if (this.spentNanos + this.pendingNanos() + worst > this.maxNanos) {
      this.lastRefusal = 'usd';
      return false;
    }
    this.startedCalls += 1;
    this.pending.push(worst);
    this.lastRefusal = undefined;
    return true;
  }

  /** Settles the oldest reserved call with the real usage its response reported; returns that call's cost in USD. */
  record(usage: TokenUsage): number {
    this.pending.shift();
    const cost = costNanosOf(this.model, usage);
    this.spentNanos += cost;
    return nanosToUsd(cost);
  }

  /** Settles the oldest reserved call that got no usable response (nothing billed); the call still counts against maxCalls. */
  fail(): void {
    this.pending.shift();
  }

  private pendingNanos(): number {
    return this.pending.reduce((sum, n) => sum + n, 0);
  }

  /** Which limit the last refused `canStart` hit. */
  get refusal(): BudgetRefusal | undefined {
    return this.lastRefusal;
  }

  /** US dollars spent (settled calls). */
  get spent(): number {
    return nanosToUsd(this.spentNanos);
  }

  /** Calls started (including failed ones). */
  get calls(): number {
    return this.startedCalls;
  }

  get remaining(): { calls: number; usd: number } {
    return {
      calls: Math.max(0, this.maxCalls - this.startedCalls),
      usd: nanosToUsd(Math.max(0, this.maxNanos - this.spentNanos - this.pendingNanos())),
    };
  }

  /** One line for the log and the summary. */
  describe(): string {
    return `${this.startedCalls} of ${this.maxCalls} calls, $${this.spent.toFixed(4)} of $${formatUsdLimit(this.maxUsd)}`;
  }
}
