import * as core from '@actions/core';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ActionsLogger } from './actions-logger.js';
import { createGitHubChangeSource } from './collect/source.js';
import { OUTPUT, STATE } from './config/inputs.js';
import { configFileLocation, readActionInputs, resolveConfig } from './config/load.js';
import type { Config } from './config/schema.js';
import { ConfigurationError, ExternalServiceError, getErrorMessage } from './errors.js';
import { createPullRequestApi, type PullRequestApi } from './github/api.js';
import { createOctokit, type ClientOptions } from './github/client.js';
import { readEventContext, readRunnerEnvironment, type PullRequestContext, type RunnerEnvironment } from './github/context.js';
import type { Logger } from './logger.js';
import { buildReviewReport, stage, TOOL } from './pipeline.js';
import { GitHubPublisher, type PriorComments } from './publish/github-publisher.js';
import { toWorkflowCommands } from './report/annotations.js';
import { renderJobSummary } from './report/markdown.js';
import type { ReviewReport } from './types.js';
import { writeSarifFile } from './report/sarif-file.js';
import { withInfrastructure } from './infrastructure.js';
import { reviewWithModels } from './review.js';

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
}

export function defaultActionDeps(overrides: Partial<Pick<ClientOptions, 'throttle'>> = {}): ActionDeps {
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

/** The action's main step. Never throws: failures end in `core.setFailed`, with user errors told apart from bugs. */
export async function runAction(deps: ActionDeps = defaultActionDeps()): Promise<void> {
  const { logger } = deps;
  let tempDir: string | undefined;
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
    const config = await stage(logger, 'Configuration', () => loadConfig(api, inputs, event, runner, logger));
    tempDir = await mkdtemp(join(runner.runnerTemp, 'ultra-create-'));
    deps.saveState(STATE.tempDir, tempDir);

    const source = createGitHubChangeSource({
      api,
      baseSha: event.baseSha,
      headSha: event.headSha,
      workspace: runner.workspace,
      logger,
    });
    const repository = `${runner.repository.owner}/${runner.repository.repo}`;
    const runKey = `${runner.runId}.${runner.runAttempt}`;
    const publisher = new GitHubPublisher(api, {
      headSha: event.headSha,
      runKey,
      reviewEvent: config.reviewEvent,
      detailsUrl: `${runner.serverUrl}/${repository}/actions/runs/${runner.runId}`,
      logger,
    });
    const infrastructureInput = { source, config, env: deps.env, logger, tempDir, checkoutDir: runner.workspace, saveState: deps.saveState };
    const report = await withInfrastructure(infrastructureInput, async (analysis, infrastructure) => {
      // What the check run shows while the models work, and what is written if GitHub fails us half way.
      const provisional = buildReviewReport({
        analysis,
        config,
        alreadyCommented: new Map(),
        repository,
        pullNumber: event.number,
      });
      let reviewed: ReviewReport | undefined;
      try {
        await stage(logger, 'Open the check run', () => publisher.openCheckRun(provisional));
        const nothingEarlier: PriorComments = { open: new Map(), ours: [], listed: new Set() };
        const prior = publisher.isReadOnly ? nothingEarlier : await publisher.readPriorComments();
        // Claude's verdicts on unchanged code are reused, not paid for again (read only when Claude is on).
        const verdicts = !publisher.isReadOnly && config.anthropicApiKey ? await publisher.readEarlierVerdicts() : new Map();
        reviewed = await reviewWithModels({
          analysis,
          config,
          earlier: {
            commented: new Map([...prior.open].map(([fingerprint, comment]) => [fingerprint, comment.id])),
            listed: prior.listed,
            verdicts,
          },
          logger,
          localModel: () => infrastructure.localModel(),
          repository,
          serverUrl: runner.serverUrl,
          pullNumber: event.number,
        });
        const ready = reviewed;
        return await stage(logger, 'Publish', async () => {
          const result = await publisher.publish(ready, prior, analysis.change);
          const final: ReviewReport = {
            ...ready,
            resolvedCount: result.resolved,
            notices: [...ready.notices, ...result.notices],
          };
          // Without a check run the annotations have no other home than the log.
          if (result.degraded || !publisher.hasCheckRun) for (const line of toWorkflowCommands(final)) deps.writeCommand(line);
          if (result.reviewId !== undefined) deps.setOutput(OUTPUT.reviewId, result.reviewId);
          if (result.checkRunId !== undefined) deps.setOutput(OUTPUT.checkRunId, result.checkRunId);
          return final;
        });
      } catch (error) {
        // The findings still reach the check run (completed), the log annotations, the summary and SARIF, with Claude's verdicts and
        // cost when that stage ran (money spent is reported even when GitHub failed us).
        const known = reviewed ?? provisional;
        await publisher.abandonCheckRun(known);
        for (const line of toWorkflowCommands(known)) deps.writeCommand(line);
        await writeResults(deps, config, known).catch(() => undefined);
        throw error;
      }
    });

    await writeResults(deps, config, report);
    logger.info(`Conclusion: ${report.conclusion} (${report.findings.length} finding(s)).`);
    if (report.conclusion === 'failure') {
      deps.setFailed(`ultra-create: findings at or above '${config.failOn}' (see the check run and the job summary).`);
    }
  } catch (error) {
    reportFailure(deps, error);
  } finally {
    if (tempDir) await rm(tempDir, { recursive: true, force: true }).catch(() => undefined);
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
    configFile: text === undefined ? undefined : { path: location.path, text },
    runnerTemp: runner.runnerTemp,
  });
}

async function writeResults(deps: ActionDeps, config: Config, report: ReviewReport): Promise<void> {
  const sarifPath = await writeSarifFile(config.sarifFile, report);
  deps.setOutput(OUTPUT.sarifFile, sarifPath);
  deps.setOutput(OUTPUT.findings, report.findings.length);
  deps.setOutput(OUTPUT.critical, report.findings.filter((p) => p.finding.severity === 'critical').length);
  deps.setOutput(OUTPUT.conclusion, report.conclusion);
  deps.setOutput(OUTPUT.claudeCostUsd, (report.models?.claude.stats.costUsd ?? 0).toFixed(4));
  await deps.writeSummary(renderJobSummary(report));
}

function reportFailure(deps: ActionDeps, error: unknown): void {
  if (error instanceof ConfigurationError || error instanceof ExternalServiceError) {
    deps.setFailed(error.message);
  } else {
    deps.logger.debug(error instanceof Error && error.stack ? error.stack : String(error));
    deps.setFailed(`ultra-create hit an internal error (please report it): ${getErrorMessage(error)}`);
  }
}
