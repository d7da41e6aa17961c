import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
// The light build is what the throttling plugin itself uses; its types are the main entry's.
// @ts-expect-error -- bottleneck ships types only for its main entry
import BottleneckLight from 'bottleneck/light.js';
import type BottleneckTypes from 'bottleneck';

const Bottleneck = BottleneckLight as typeof BottleneckTypes;
import type { Logger } from '../logger.js';

export const ReviewOctokit = Octokit.plugin(retry, throttling);
/** Retries of one request refused by a rate limit (then its error reaches the caller, who tells it from a permission problem). */
const MAX_RATE_LIMIT_RETRIES = 2;
export type ReviewOctokit = InstanceType<typeof ReviewOctokit>;

export interface ClientOptions {
  token: string;
  /** `GITHUB_API_URL`: GitHub Enterprise Server answers under `https://HOST/api/v3`. */
  baseUrl: string;
  logger: Logger;
  userAgent: string;
  /** Rate-limit waits longer than this are not waited for: the request fails instead. */
  maxRetryAfterSeconds?: number;
  /** All the rate-limit waits of one run together stay under this (default 300 s): a run never hangs on GitHub's limits. */
  rateLimitBudgetSeconds?: number;
  /**
   * Scales every wait (rate limits and the 5xx back-off): 1 in production; tests pass a small factor so that the waiting logic
   * runs as written, only faster. Only values in (0, 1] are taken.
   */
  waitScale?: number;
  /** Tests lower GitHub's recommended pacing of writes; production keeps Octokit's defaults. */
  throttle?: { writeMinTimeMs?: number; notificationMinTimeMs?: number };
}

/**
 * Octokit with retries for 5xx and network errors, and with GitHub's pacing of writes (one per second, content that notifies every
 * three seconds) so that one run never trips the secondary rate limits.
 */
export function createOctokit(options: ClientOptions): ReviewOctokit {
  const maxWait = options.maxRetryAfterSeconds ?? 120;
  const scale = options.waitScale !== undefined && options.waitScale > 0 && options.waitScale <= 1 ? options.waitScale : 1;
  let budgetLeft = options.rateLimitBudgetSeconds ?? 300;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const why =
        retryCount >= MAX_RATE_LIMIT_RETRIES
          ? `still limited after ${retryCount} retries`
          : retryAfter > maxWait
            ? `GitHub asks to wait ${retryAfter}s, over the ${maxWait}s this action waits`
            : retryAfter > budgetLeft
              ? `the run's ${options.rateLimitBudgetSeconds ?? 300}s of rate-limit waits are used up`
              : undefined;
      if (why === undefined) budgetLeft -= retryAfter;
      options.logger.warning(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: ${why === undefined ? `retrying in ${retryAfter}s` : `giving up (${why})`}.`,
      );
      // The request was refused, not performed: retrying it cannot duplicate a review.
      return why === undefined;
    };
  return new ReviewOctokit({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: options.userAgent,
    log: {
      debug: (message: string) => options.logger.debug(message),
      info: (message: string) => options.logger.debug(message),
      warn: (message: string) => options.logger.warning(message),
      error: (message: string) => options.logger.debug(message),
    },
    // 429 is a rate limit: the throttling plugin waits for it as GitHub asks, a blind back-off would only add requests.
    retry: { doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451], retryAfterBaseValue: 1000 * scale },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      retryAfterBaseValue: 1000 * scale,
      ...throttleGroups(options.throttle),
    },
  });
}

function throttleGroups(throttle: ClientOptions['throttle']): Record<string, unknown> {
  if (!throttle) return {};
  return {
    write: new Bottleneck.Group({ id: 'ultra-create-write', maxConcurrent: 1, minTime: throttle.writeMinTimeMs ?? 1000 }),
    notifications: new Bottleneck.Group({
      id: 'ultra-create-notifications',
      maxConcurrent: 1,
      minTime: throttle.notificationMinTimeMs ?? 3000,
    }),
  };
}
