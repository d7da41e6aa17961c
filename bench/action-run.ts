/**
 * The action's main step, in this process, through `runAction(deps)`: the runner's environment and event payload as GitHub sets them
 * (see __tests__/support/run-dist.ts), inputs from action.yml's defaults, everything the step would print or write captured.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { runAction, type ActionDeps } from '../src/action/main-step.js';
import { inputEnvName } from '../src/config/inputs.js';
import { createPullRequestApi } from '../src/github/api.js';
import { createOctokit, type ClientOptions } from '../src/github/client.js';
import { PULL_NUMBER, TOKEN, type ReadyMessage } from './sim-protocol.js';
import { StageLogger } from './stage-logger.js';
import { measure } from './cpu.js';
import { TOOL } from '../src/types.js';

export interface ActionRunResult {
  wallMs: number;
  /** CPU time of this process and of the processes the action started and reaped (ast-grep, git). */
  cpu: { nodeMs: number; childrenMs: number };
  /** `stage()` timings as the pipeline logged them, in order, with the time spent waiting for API answers during each. */
  stages: { name: string; ms: number; apiMs: number; apiCalls: number }[];
  outputs: Record<string, string>;
  failed?: string;
  summaryChars: number;
  workflowCommands: number;
  logger: StageLogger;
  inputs: Record<string, string>;
  /** RUNNER_TEMP of the run (the SARIF file is there); the caller removes it. */
  runnerTemp: string;
}

const REPO_ROOT = new URL('..', import.meta.url);

/** The inputs exactly as GitHub expands action.yml's defaults. */
function actionDefaults(runnerTemp: string): Record<string, string> {
  const action = parseYaml(readFileSync(new URL('action.yml', REPO_ROOT), 'utf8')) as { inputs: Record<string, { default?: string }> };
  const defaults: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    defaults[name] = (spec.default ?? '').replace('${{ github.token }}', TOKEN).replace('${{ runner.temp }}', runnerTemp);
  }
  return defaults;
}

export async function runActionInProcess(options: {
  simUrl: string;
  fixture: ReadyMessage['fixture'];
  /** The runner's checkout (GITHUB_WORKSPACE). */
  workspace: string;
  throttle: NonNullable<ClientOptions['throttle']>;
  inputs?: Record<string, string>;
}): Promise<ActionRunResult> {
  const { fixture } = options;
  const runnerTemp = await mkdtemp(join(tmpdir(), 'uc-bench-runner-'));
  const eventPath = join(runnerTemp, 'event.json');
  await writeFile(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: PULL_NUMBER,
      pull_request: {
        number: PULL_NUMBER,
        title: 'Bench: a 3,000-file change',
        draft: false,
        head: { sha: fixture.headSha, ref: fixture.headRef, repo: { full_name: `${fixture.owner}/${fixture.repo}` } },
        base: { sha: fixture.baseSha, ref: fixture.baseRef, repo: { full_name: `${fixture.owner}/${fixture.repo}` } },
      },
      repository: { full_name: `${fixture.owner}/${fixture.repo}` },
    }),
  );
  const inputs = { ...actionDefaults(runnerTemp), ...options.inputs };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: options.simUrl,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: `${fixture.owner}/${fixture.repo}`,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    // On pull_request events GITHUB_SHA is the test merge commit, not the head.
    GITHUB_SHA: 'f'.repeat(40),
    GITHUB_REF: `refs/pull/${PULL_NUMBER}/merge`,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_RUN_ID: '777000111',
    GITHUB_RUN_ATTEMPT: '1',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: join(tmpdir(), 'uc-tool-cache'),
  };
  for (const [name, value] of Object.entries(inputs)) env[inputEnvName(name)] = value;

  const logger = new StageLogger();
  const calls: { start: number; ms: number }[] = [];
  const outputs: Record<string, string> = {};
  let failed: string | undefined;
  let summaryChars = 0;
  let workflowCommands = 0;
  const deps: ActionDeps = {
    env,
    logger,
    // As defaultActionDeps builds it, with the bench's logger and pacing.
    createApi: (token, runner, pr) => {
      const octokit = createOctokit({ token, baseUrl: runner.apiUrl, logger, userAgent: `${TOOL.name}/${TOOL.version}`, throttle: options.throttle });
      // Outermost: from the call to the answer, retries and pacing included (both are nil here).
      octokit.hook.wrap('request', async (request, requestOptions) => {
        const start = performance.now();
        try {
          return await request(requestOptions);
        } finally {
          calls.push({ start, ms: performance.now() - start });
        }
      });
      return createPullRequestApi(octokit, { owner: runner.repository.owner, repo: runner.repository.repo, pullNumber: pr.number });
    },
    setOutput: (name, value) => {
      outputs[name] = String(value);
    },
    writeSummary: (markdown) => {
      summaryChars = markdown.length;
      return Promise.resolve();
    },
    saveState: () => undefined,
    writeCommand: () => {
      workflowCommands++;
    },
    setFailed: (message) => {
      failed = message;
    },
  };

  const run = await measure(() => runAction(deps));
  const wallMs = run.wallMs;
  const cpu = { nodeMs: run.selfCpuMs, childrenMs: run.childCpuMs };

  const stages = logger.stages().map((stage) => {
    const window = logger.windows.find((w) => w.name === stage.name);
    const inside = window ? calls.filter((c) => c.start >= window.start && c.start < window.end) : [];
    return { ...stage, apiMs: inside.reduce((n, c) => n + c.ms, 0), apiCalls: inside.length };
  });
  return { wallMs, cpu, stages, outputs, failed, summaryChars, workflowCommands, logger, inputs, runnerTemp };
}
