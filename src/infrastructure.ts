import type { CollectedChange } from './collect/collect.js';
import { STATE } from './config/inputs.js';
import type { Config } from './config/schema.js';
import { getErrorMessage } from './errors.js';
import type { Logger } from './logger.js';
import { analyzeChange, stage, type Analysis } from './pipeline.js';
import type { ChangeSource } from './collect/source.js';
import { cleanupRun } from './runtime/cleanup.js';
import { createOpenAIDraftClient } from './models/local-drafts.js';
import type { DraftModel } from './models/stage.js';
import { newRunId, tryCreateDockerEngine, type CreatedResource, type DockerEngine } from './runtime/docker-engine.js';
import { startGatewayForConfig, type GatewayOutcome } from './runtime/mcp-gateway.js';
import { defaultModelCacheDir, ensureLocalModel } from './runtime/model-runner.js';
import { createScanners, gatewayNeeded } from './scanners/registry.js';

/**
 * The containers a run needs (the MCP gateway, the Model Runner; the sandbox later): the gateway starts between collection and
 * scanning, the Model Runner only when there is something to draft and `model-endpoint` does not answer; all are removed at the end.
 * Everything created carries the run's label; the run id is saved for the `post:` step, which removes what a crashed or cancelled
 * main step left.
 */
export interface Infrastructure {
  readonly runId: string;
  /** The gateway's outcome once `start` ran (skipped before). */
  gateway(): GatewayOutcome;
  start(change: CollectedChange): Promise<void>;
  /** The local model for the drafts: `model-endpoint` when it answers, else a Model Runner started here. Resolved once. */
  localModel(): Promise<DraftModel>;
  stop(): Promise<void>;
}

export function createInfrastructure(options: {
  config: Config;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  tempDir: string;
  saveState?: (name: string, value: string) => void;
  /** Tests shorten the health wait. */
  healthTimeoutMs?: number;
  /**
   * How a missing local model is told: a warning on a runner (the workflow asked for drafts), a plain line for the CLI (where no
   * model server is the usual case and the summary says "template text" anyway).
   */
  modelFallbackLevel?: 'warning' | 'info';
}): Infrastructure {
  const { config, logger } = options;
  const runId = newRunId();
  const saveState = options.saveState ?? ((): void => undefined);
  let outcome: GatewayOutcome = { status: 'skipped', reason: 'the MCP gateway has not been started' };
  let attempt: ReturnType<typeof tryCreateDockerEngine> | undefined;
  let localModel: Promise<DraftModel> | undefined;

  /** The engine client, made on first need; from then on the post step knows the run id and every object created. */
  const engineAttempt = (): ReturnType<typeof tryCreateDockerEngine> => {
    if (attempt) return attempt;
    saveState(STATE.runId, runId);
    const created: CreatedResource[] = [];
    attempt = tryCreateDockerEngine({
      env: options.env,
      runId,
      // Recorded as soon as each object exists, so that cleanup after a crash knows it too.
      onCreated: (resource) => {
        created.push(resource);
        saveState(STATE.resources, JSON.stringify(created));
      },
    });
    if (attempt.engine) saveState(STATE.dockerHost, attempt.engine.host);
    return attempt;
  };
  const startedEngine = (): DockerEngine | undefined => attempt?.engine;

  return {
    runId,
    gateway: () => outcome,

    localModel() {
      localModel ??= (async (): Promise<DraftModel> => {
        const model = config.localModel;
        if (model === undefined) return { kind: 'off', reason: "local-model is 'off'" };
        const engine = engineAttempt();
        const ready = await stage(logger, 'Local model', () =>
          ensureLocalModel({
            model,
            endpoint: config.modelEndpoint,
            engine: engine.engine,
            engineProblem: engine.problem,
            runId,
            image: config.modelRunnerImage,
            cacheDir: config.modelCacheDir ?? defaultModelCacheDir(options.env),
            logger,
          }),
        );
        if (ready.status === 'ready') {
          logger.info(`Local model ${model} at ${ready.endpoint} drafts the comments.`);
          return { kind: 'model', client: createOpenAIDraftClient({ endpoint: ready.endpoint }), model };
        }
        const say = options.modelFallbackLevel === 'info' ? logger.info.bind(logger) : logger.warning.bind(logger);
        say(`Local model ${model} is not available (${ready.reason}): the comments use template text.`);
        return { kind: 'unavailable', reason: ready.reason };
      })();
      return localModel;
    },

    async start(change) {
      if (!gatewayNeeded(config)) {
        outcome = {
          status: 'skipped',
          reason:
            config.mcpGateway === 'off' ? "mcp-gateway is 'off'" : 'not needed: no ast-grep.patterns in the configuration',
        };
        return;
      }
      const { engine, problem } = engineAttempt();
      outcome = await stage(logger, 'MCP gateway', () =>
        startGatewayForConfig(config, {
          engine,
          engineProblem: problem,
          runId,
          workDir: change.workDir,
          logger,
          tempDir: options.tempDir,
          onMask: (secret) => logger.mask(secret),
          healthTimeoutMs: options.healthTimeoutMs,
        }),
      );
      if (outcome.status !== 'started') logger.info(`MCP gateway ${outcome.status}: ${outcome.reason}`);
    },

    async stop() {
      try {
        await outcome.gateway?.close();
      } catch (error) {
        logger.warning(`Closing the MCP gateway failed: ${getErrorMessage(error)}`);
      }
      const engine = startedEngine();
      if (engine) await cleanupRun(engine, runId, logger);
      saveState(STATE.mainCompleted, 'true');
    },
  };
}

/**
 * collect ──> start infrastructure ──> scan ──> `then` (triage, the model stages, publishing), as the action and the CLI both run
 * it: the gateway starts once the head files are there; every container is removed when `then` is done, or on the way out when
 * something failed.
 */
export async function withInfrastructure<T>(
  input: {
    source: ChangeSource;
    config: Config;
    env: NodeJS.ProcessEnv;
    logger: Logger;
    tempDir: string;
    checkoutDir: string;
    saveState?: (name: string, value: string) => void;
    modelFallbackLevel?: 'warning' | 'info';
  },
  then: (analysis: Analysis, infrastructure: Infrastructure) => Promise<T>,
): Promise<T> {
  const infrastructure = createInfrastructure(input);
  try {
    const analysis = await analyzeChange({
      source: input.source,
      config: input.config,
      scanners: createScanners(input.config, { env: input.env, gateway: () => infrastructure.gateway() }),
      logger: input.logger,
      tempDir: input.tempDir,
      checkoutDir: input.checkoutDir,
      beforeScan: (change) => infrastructure.start(change),
    });
    return await then(analysis, infrastructure);
  } finally {
    await infrastructure.stop();
  }
}
