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
export type ReviewOctokit = InstanceType<typeof ReviewOctokit>;

export interface ClientOptions {
  token: string;
  /** `GITHUB_API_URL`: GitHub Enterprise Server answers under `https://HOST/api/v3`. */
  baseUrl: string;
  logger: Logger;
  userAgent: string;
  /** Rate-limit waits longer than this are not waited for: the request fails instead. */
  maxRetryAfterSeconds?: number;
  /** Tests lower GitHub's recommended pacing of writes; production keeps Octokit's defaults. */
  throttle?: { writeMinTimeMs?: number; notificationMinTimeMs?: number };
}

/**
 * Octokit with retries for 5xx and network errors, and with GitHub's pacing of writes (one per second, content that notifies every
 * three seconds) so that one run never trips the secondary rate limits.
 */
export function createOctokit(options: ClientOptions): ReviewOctokit {
  const maxWait = options.maxRetryAfterSeconds ?? 120;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const retrying = retryCount < 2 && retryAfter <= maxWait;
      options.logger.warning(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: ${retrying ? `retrying in ${retryAfter}s` : 'giving up'}.`,
      );
      // The request was refused, not performed: retrying it cannot duplicate a review.
      return retrying;
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
    retry: { doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451] },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
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
