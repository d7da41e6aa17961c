import { readFileSync } from 'node:fs';
import { ConfigurationError, getErrorMessage } from '../errors.js';

/**
 * The runner's environment, read once and explicitly (not at import time), into a typed context.
 */
export interface RunnerEnvironment {
  apiUrl: string;
  serverUrl: string;
  repository: { owner: string; repo: string };
  eventName: string;
  eventPath?: string;
  workspace: string;
  runnerTemp: string;
  runId: string;
  runAttempt: string;
  stepSummaryPath?: string;
  outputPath?: string;
  statePath?: string;
}

export interface PullRequestContext {
  kind: 'pull-request';
  eventName: string;
  number: number;
  title: string;
  headSha: string;
  headRef: string;
  baseSha: string;
  baseRef: string;
  /** `owner/repo` of the head; differs from the base repository for fork PRs (read-only token, no secrets). */
  headRepository: string;
  isFork: boolean;
  draft: boolean;
}

export interface NoPullRequestContext {
  kind: 'no-pull-request';
  eventName: string;
}

export type EventContext = PullRequestContext | NoPullRequestContext;

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']);

export function readRunnerEnvironment(env: NodeJS.ProcessEnv = process.env): RunnerEnvironment {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner, repo, ...rest] = repository.split('/');
  if (!owner || !repo || rest.length > 0) {
    throw new ConfigurationError(
      `GITHUB_REPOSITORY must be "owner/repo" (got "${repository}"). Run this action from a GitHub Actions workflow, or use the CLI (ultra-create review) locally.`,
    );
  }
  return {
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    repository: { owner, repo },
    eventName: env.GITHUB_EVENT_NAME ?? '',
    eventPath: env.GITHUB_EVENT_PATH || undefined,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    runnerTemp: env.RUNNER_TEMP || env.TMPDIR || '/tmp',
    runId: env.GITHUB_RUN_ID || 'local',
    runAttempt: env.GITHUB_RUN_ATTEMPT || '1',
    stepSummaryPath: env.GITHUB_STEP_SUMMARY || undefined,
    outputPath: env.GITHUB_OUTPUT || undefined,
    statePath: env.GITHUB_STATE || undefined,
  };
}

interface PullRequestPayload {
  number?: unknown;
  title?: unknown;
  draft?: unknown;
  head?: { sha?: unknown; ref?: unknown; repo?: { full_name?: unknown } | null };
  base?: { sha?: unknown; ref?: unknown; repo?: { full_name?: unknown } | null };
}

/** Parses the event payload. Only the PR's identifiers are kept: title and body are untrusted and not needed here. */
export function readEventContext(runner: RunnerEnvironment): EventContext {
  if (!PULL_REQUEST_EVENTS.has(runner.eventName)) return { kind: 'no-pull-request', eventName: runner.eventName };
  if (!runner.eventPath) {
    throw new ConfigurationError(`GITHUB_EVENT_PATH is not set for a ${runner.eventName} event.`);
  }
  let payload: { pull_request?: PullRequestPayload };
  try {
    payload = JSON.parse(readFileSync(runner.eventPath, 'utf8')) as typeof payload;
  } catch (error) {
    throw new ConfigurationError(`Cannot read the event payload at ${runner.eventPath}: ${getErrorMessage(error)}`);
  }
  const pr = payload.pull_request;
  if (!pr) return { kind: 'no-pull-request', eventName: runner.eventName };
  const number = pr.number;
  const headSha = pr.head?.sha;
  const baseSha = pr.base?.sha;
  if (typeof number !== 'number' || typeof headSha !== 'string' || typeof baseSha !== 'string') {
    throw new ConfigurationError(
      `The ${runner.eventName} payload at ${runner.eventPath} lacks pull_request.number, head.sha or base.sha.`,
    );
  }
  const baseRepository = stringOr(pr.base?.repo?.full_name, `${runner.repository.owner}/${runner.repository.repo}`);
  // A deleted fork has no head repo: treat it as a fork, its token is read-only all the same.
  const headRepository = stringOr(pr.head?.repo?.full_name, '');
  return {
    kind: 'pull-request',
    eventName: runner.eventName,
    number,
    title: stringOr(pr.title, ''),
    headSha,
    headRef: stringOr(pr.head?.ref, ''),
    baseSha,
    baseRef: stringOr(pr.base?.ref, ''),
    headRepository,
    isFork: headRepository.toLowerCase() !== baseRepository.toLowerCase(),
    draft: pr.draft === true,
  };
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
