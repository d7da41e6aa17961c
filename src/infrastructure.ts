import type { CollectedChange } from './collect/collect.js';
import { STATE } from './config/inputs.js';
import type { Config } from './config/schema.js';
import { getErrorMessage } from './errors.js';
import type { Logger } from './logger.js';
import { analyzeChange, stage, type Analysis } from './pipeline.js';
import type { ChangeSource } from './collect/source.js';
import { cleanupRun } from './runtime/cleanup.js';
import { newRunId, tryCreateDockerEngine, type CreatedResource, type DockerEngine } from './runtime/docker-engine.js';
import { startGatewayForConfig, type GatewayOutcome } from './runtime/mcp-gateway.js';
import { createScanners, gatewayNeeded } from './scanners/registry.js';

/**
 * The containers a run needs (the MCP gateway now; the sandbox and the Model Runner later), started between collection and scanning
 * and always removed at the end. Everything created carries the run's label; the run id is saved for the `post:` step, which removes
 * what a crashed or cancelled main step left.
 */
export interface Infrastructure {
  readonly runId: string;
  /** The gateway's outcome once `start` ran (skipped before). */
  gateway(): GatewayOutcome;
  start(change: CollectedChange): Promise<void>;
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
}): Infrastructure {
  const { config, logger } = options;
  const runId = newRunId();
  const saveState = options.saveState ?? ((): void => undefined);
  let outcome: GatewayOutcome = { status: 'skipped', reason: 'the MCP gateway has not been started' };
  let engine: DockerEngine | undefined;

  return {
    runId,
    gateway: () => outcome,

    async start(change) {
      if (!gatewayNeeded(config)) {
        outcome = {
          status: 'skipped',
          reason:
            config.mcpGateway === 'off' ? "mcp-gateway is 'off'" : 'not needed: no ast-grep.patterns in the configuration',
        };
        return;
      }
      saveState(STATE.runId, runId);
      const created: CreatedResource[] = [];
      const attempt = tryCreateDockerEngine({
        env: options.env,
        runId,
        // Recorded as soon as each object exists, so that cleanup after a crash knows it too.
        onCreated: (resource) => {
          created.push(resource);
          saveState(STATE.resources, JSON.stringify(created));
        },
      });
      engine = attempt.engine;
      if (engine) saveState(STATE.dockerHost, engine.host);
      outcome = await stage(logger, 'MCP gateway', () =>
        startGatewayForConfig(config, {
          engine,
          engineProblem: attempt.problem,
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
      if (engine) await cleanupRun(engine, runId, logger);
      saveState(STATE.mainCompleted, 'true');
    },
  };
}

/**
 * collect ──> start infrastructure ──> scan, as the action and the CLI both run it: the containers start once the head files are
 * there and are removed when the scan is done, or on the way out when something failed.
 */
export async function analyzeWithInfrastructure(input: {
  source: ChangeSource;
  config: Config;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  tempDir: string;
  checkoutDir: string;
  saveState?: (name: string, value: string) => void;
}): Promise<Analysis> {
  const infrastructure = createInfrastructure(input);
  try {
    return await analyzeChange({
      source: input.source,
      config: input.config,
      scanners: createScanners(input.config, { env: input.env, gateway: () => infrastructure.gateway() }),
      logger: input.logger,
      tempDir: input.tempDir,
      checkoutDir: input.checkoutDir,
      beforeScan: (change) => infrastructure.start(change),
    });
  } finally {
    await infrastructure.stop();
  }
}
