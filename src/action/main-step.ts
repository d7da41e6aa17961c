import * as core from '@actions/core';
import { ActionsLogger } from './logger.js';
import { createGitHubChangeSource } from '../collect/source.js';
import { OUTPUT, STATE } from '../config/inputs.js';
import { configFileLocation, parseConfigText, readActionInputs, resolveConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { defaultEffects, type Effects } from '../effects.js';
import { ConfigurationError, ExternalServiceError, getErrorMessage } from '../errors.js';
import { asGitHubError, createPullRequestApi, type PullRequestApi } from '../github/api.js';
import { createOctokit, type ClientOptions } from '../github/client.js';
import { readEventContext, readRunnerEnvironment, type PullRequestContext, type RunnerEnvironment } from '../github/context.js';
import type { Logger } from '../logger.js';
import { runReview } from '../main.js';
import { createActionPublisher } from '../publish/action-publisher.js';
import { GitHubPublisher } from '../publish/github-publisher.js';
import { atLeast, TOOL, type ReviewReport, type Severity } from '../types.js';

/** What the action needs from the outside world; tests replace parts of it. */
export interface ActionDeps {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Builds the API client; tests may lower the write pacing. */
  createApi(token: string, runner: RunnerEnvironment, pr: PullRequestContext): PullRequestApi;
  setOutput(name: string, value: string | number): void;
  writeSummary(markdown: string): Promise<void>;
  saveState(name: string, value: string): void;
  /** Workflow commands (annotations in the log) for the read-only fallback. */
  writeCommand(line: string): void;
  setFailed(message: string): void;
  /** Docker, the model clients, the clock; default: the real ones over `env`. */
  effects?: Effects;
}

/** An internal setting for the end-to-end tests: scales GitHub's waits (rate limits, 5xx back-off) by a factor in (0, 1]. */
export const GITHUB_WAIT_SCALE_ENV = 'ULTRA_CREATE_GITHUB_WAIT_SCALE';

export function defaultActionDeps(overrides: Partial<Pick<ClientOptions, 'throttle'>> = {}): ActionDeps {
  const waitScale = Number(process.env[GITHUB_WAIT_SCALE_ENV]);
  const logger = new ActionsLogger();
  return {
    env: process.env,
    logger,
    createApi: (token, runner, pr) =>
      createPullRequestApi(
        createOctokit({
          token,
          baseUrl: runner.apiUrl,
          logger,
          userAgent: `${TOOL.name}/${TOOL.version}`,
          throttle: overrides.throttle,
          ...(Number.isFinite(waitScale) && waitScale > 0 && { waitScale }),
        }),
        { owner: runner.repository.owner, repo: runner.repository.repo, pullNumber: pr.number },
      ),
    setOutput: (name, value) => core.setOutput(name, value),
    writeSummary: async (markdown) => {
      if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown, true).write();
    },
    saveState: (name, value) => core.saveState(name, value),
    writeCommand: (line) => process.stdout.write(`${line}\n`),
    setFailed: (message) => core.setFailed(message),
  };
}

/** Why the step fails: findings at or above `fail-on`, else a review that did not run fully (`fail-on-scan-error`). */
function failureMessage(report: ReviewReport): string {
  const failing = report.failOn !== 'none' && report.findings.some((p) => p.finding.verdict?.verdict !== 'false_positive' && atLeast(p.finding.severity, report.failOn as Severity));
  if (failing || report.notReviewed.length === 0) return `ultra-create: findings at or above '${report.failOn}' (see the check run and the job summary).`;
  return `ultra-create: the pull request was not fully reviewed (fail-on-scan-error): ${report.notReviewed.join('; ')}. See the check run and the job summary.`;
}

/**
 * The action's main step: reads the runner's context, then runs the review pipeline (src/main.ts) with the action's ports — the pull
 * request through the API, the GitHub publisher and the runner's outputs. Never throws: failures end in `setFailed`, with user errors
 * told apart from bugs.
 */
export async function runAction(deps: ActionDeps = defaultActionDeps()): Promise<void> {
  const { logger } = deps;
  try {
    const runner = readRunnerEnvironment(deps.env);
    const event = readEventContext(runner);
    const inputs = readActionInputs(deps.env);
    const token = inputs['github-token'] ?? '';
    if (token) logger.mask(token);
    if (inputs['anthropic-api-key']) logger.mask(inputs['anthropic-api-key']);
    if (event.kind === 'no-pull-request') {
      // Validate anyway: a broken configuration should fail on every event, not only on the next PR.
      resolveConfig({ inputs, runnerTemp: runner.runnerTemp });
      logger.info(`ultra-create reviews pull requests; the ${event.eventName || 'current'} event has none. Nothing to do.`);
      deps.setOutput(OUTPUT.conclusion, 'skipped');
      return;
    }
    if (!token) throw new ConfigurationError(`Input 'github-token' is empty: pass \${{ github.token }} or a token with pull-requests: write.`);
    if (event.eventName === 'pull_request_target') {
      logger.warning(
        'pull_request_target runs with a write token and secrets: never check out and run the PR head in this workflow. ultra-create itself only reads the PR through the API and runs nothing from it on the runner.',
      );
    }

    const api = deps.createApi(token, runner, event);
    const repository = `${runner.repository.owner}/${runner.repository.repo}`;
    let github: GitHubPublisher | undefined;
    const report = await runReview({
      logger,
      effects: deps.effects ?? defaultEffects(deps.env),
      configure: () => loadConfig(api, inputs, event, runner, logger),
      source: createGitHubChangeSource({ api, baseSha: event.baseSha, headSha: event.headSha, workspace: runner.workspace, logger }),
      publisher: (config) =>
        createActionPublisher(
          (github = new GitHubPublisher(api, {
            headSha: event.headSha,
            runKey: `${runner.runId}.${runner.runAttempt}`,
            reviewEvent: config.reviewEvent,
            detailsUrl: `${runner.serverUrl}/${repository}/actions/runs/${runner.runId}`,
            logger,
            onCheckRun: (what, id) => deps.saveState(what === 'created' ? STATE.checkRunId : STATE.checkRunCompleted, what === 'created' ? String(id) : 'true'),
          })),
          config,
          deps,
          logger,
        ),
      checkoutDir: runner.workspace,
      tempRoot: runner.runnerTemp,
      saveState: (name, value) => deps.saveState(name, value),
      modelFallbackLevel: 'warning',
      links: { repository, serverUrl: runner.serverUrl, pullNumber: event.number },
    });

    logger.info(`Conclusion: ${report.conclusion} (${report.findings.length} finding(s)).`);
    const undelivered = github?.undelivered ?? [];
    if (undelivered.length > 0) {
      // The review is incomplete on the pull request: the step says so even when the findings alone would pass.
      deps.setFailed(`ultra-create: GitHub did not take ${undelivered.join('; ')} (see the job summary).`);
    }
    if (report.conclusion === 'failure') deps.setFailed(failureMessage(report));
  } catch (error) {
    reportFailure(deps, error);
  }
}

async function loadConfig(
  api: PullRequestApi,
  inputs: Record<string, string | undefined>,
  event: PullRequestContext,
  runner: RunnerEnvironment,
  logger: Logger,
): Promise<Config> {
  const location = configFileLocation(inputs);
  // From the base commit: a pull request must not be able to change how it is reviewed.
  const text = await api.readFile(event.baseSha, location.path);
  if (text === undefined && location.userSet) {
    throw new ConfigurationError(`Invalid input 'config-file': ${location.path} does not exist on the base branch (${event.baseRef || event.baseSha}).`);
  }
  logger.info(
    text === undefined
      ? `No ${location.path} on the base branch: inputs and defaults apply.`
      : `Read ${location.path} from the base commit.`,
  );
  return resolveConfig({
    inputs,
    configFile: text === undefined ? undefined : await parseConfigText({ path: location.path, text }),
    runnerTemp: runner.runnerTemp,
  });
}

function reportFailure(deps: ActionDeps, error: unknown): void {
  const external = asGitHubError(error);
  if (error instanceof ConfigurationError || error instanceof ExternalServiceError) {
    deps.setFailed(error.message);
  } else if (external) {
    deps.setFailed(external.message);
  } else {
    deps.logger.debug(error instanceof Error && error.stack ? error.stack : String(error));
    deps.setFailed(`ultra-create hit an internal error (please report it): ${getErrorMessage(error)}`);
  }
}
