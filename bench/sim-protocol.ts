/**
 * Messages between the bench and its simulator process. The fixture and the GitHub simulator live in a process of their own so that
 * the action's memory and CPU figures are its own: the simulator loads GitHub's whole OpenAPI description and validates every
 * request, which is GitHub's cost, not the action's.
 */
import type { PullFile } from '../__tests__/support/git-fixture.js';
import type { Category } from './synthetic-pr.js';

export const OWNER = 'octo-org';
export const REPO = 'shop';
export const PULL_NUMBER = 4242;
export const TOKEN = 'ghs_benchInstallationToken0123456789abcdef';

export interface ReadyMessage {
  type: 'ready';
  url: string;
  fixture: { dir: string; owner: string; repo: string; baseRef: string; headRef: string; baseSha: string; headSha: string };
  files: PullFile[];
  counts: Record<Category, number>;
  triggersInAddedCode: number;
  triggersInUnchangedCode: number;
  timings: { planMs: number; fixtureMs: number; simulatorMs: number };
}

/** One request as the simulator recorded it, without bodies (they can be megabytes). */
export interface RequestSummary {
  method: string;
  route: string;
  status: number;
  detail?: string;
  /** check-runs create/update: annotations in the request body. */
  annotations?: number;
  /** review create: inline comments in the request body. */
  comments?: number;
}

export interface StateMessage {
  type: 'state';
  requests: RequestSummary[];
  violations: { kind: string; method: string; path: string; messages: string[] }[];
  reviews: { id: number; state: string; comments: number }[];
  checkRuns: { id: number; status: string; conclusion: string | null; annotations: number; batches: number[] }[];
}

export interface FailedMessage {
  type: 'failed';
  error: string;
}

export type FromSimulator = ReadyMessage | StateMessage | FailedMessage;
export type ToSimulator = { type: 'state' } | { type: 'close' };
