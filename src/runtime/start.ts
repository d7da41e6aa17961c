import { join } from 'node:path';
import { isolateHeadTree } from '../collect/head-tree.js';
import { STATE } from '../config/inputs.js';
import type { Config } from '../config/schema.js';
import { getErrorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { HeadTree, Service } from '../types.js';
import { newRunId } from './run-id.js';
// The modules of each service load when it is first needed: a run that starts no container never loads them.
import type { CreatedResource, DockerEngine, EngineOptions } from './docker-engine.js';
import type { GatewayHandle } from './mcp-gateway.js';
import type { SandboxBackend } from './sandbox.js';


/** Makes the Docker engine client; a DOCKER_HOST this client cannot use is a reason, not a throw. */
export type DockerFactory = (options: EngineOptions) => Promise<EngineAttempt>;
export type EngineAttempt = { engine: DockerEngine; problem?: undefined } | { engine?: undefined; problem: string };



/** The local model for the drafts: the endpoint to use, or why there is none. */
export type LocalModelEndpoint =
  | { status: 'ready'; endpoint: string; model: string }
  | { status: 'off' | 'unavailable'; reason: string };

/**
 * The containers a run needs. The MCP gateway and the sandbox start before the scan, exactly when an enabled scanner declared them;
 * the Model Runner only when there are comments to draft and `model-endpoint` does not answer. Everything created carries the run's
 * label; the run id is saved for the `post:` step, which removes what a crashed or cancelled main step left.
 */
export interface Runtime {
  readonly runId: string;
  readonly gateway: Service<GatewayHandle>;
  readonly sandbox: Service<SandboxBackend>;
  /** Resolved once, on first call. */
  localModel(): Promise<LocalModelEndpoint>;
  /** Closes the gateway and removes every object this run created. Never throws. */
  stop(): Promise<void>;
}

export interface RuntimeNeeds {
  /** Catalog servers the enabled scanners asked the gateway for. */
  gateway: readonly string[];
  sandbox: boolean;
}

export type RuntimeSettings = Pick<
  Config,
  'mcpGateway' | 'mcpGatewayImage' | 'mcpServers' | 'localModel' | 'modelEndpoint' | 'modelRunnerImage' | 'modelCacheDir' | 'sandboxRuntime'
>;

export interface RuntimeDeps {
  docker: DockerFactory;
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  tempDir: string;
  saveState(name: string, value: string): void;
  /** Tests shorten the health waits. */
  healthTimeoutMs?: number;
  /**
   * How a missing local model is told: a warning on a runner (the workflow asked for drafts), a plain line for the CLI (where no
   * model server is the usual case and the summary says "template text" anyway).
   */
  modelFallbackLevel: 'warning' | 'info';
  /** `false`: the local model is used only where it already answers (no Model Runner started, nothing pulled). Default `true`. */
  mayProvisionModel?: boolean;
}

export async function startRuntime(needs: RuntimeNeeds, settings: RuntimeSettings, tree: HeadTree, deps: RuntimeDeps): Promise<Runtime> {
  const { logger } = deps;
  const runId = newRunId();
  let attempt: Promise<EngineAttempt> | undefined;
  /** The engine client, made on first need; from then on the post step knows the run id and every object created. */
  const engineAttempt = (): Promise<EngineAttempt> => {
    if (attempt) return attempt;
    deps.saveState(STATE.runId, runId);
    const created: CreatedResource[] = [];
    attempt = deps
      .docker({
        env: { ...deps.env },
        runId,
        // Recorded as soon as each object exists, so that cleanup after a crash knows it too.
        onCreated: (resource) => {
          created.push(resource);
          deps.saveState(STATE.resources, JSON.stringify(created));
        },
      })
      .then((made) => {
        if (made.engine) deps.saveState(STATE.dockerHost, made.engine.host);
        return made;
      });
    return attempt;
  };

  const gateway = await startGatewayIfNeeded(needs, settings, tree, { ...deps, runId, engineAttempt });
  const sandbox = needs.sandbox ? await startSandbox(settings, deps.logger, engineAttempt) : NO_SANDBOX;

  let localModel: Promise<LocalModelEndpoint> | undefined;
  return {
    runId,
    gateway,
    sandbox,
    localModel() {
      localModel ??= (async (): Promise<LocalModelEndpoint> => {
        const model = settings.localModel;
        if (model === undefined) return { status: 'off', reason: "local-model is 'off'" };
        const engine = await engineAttempt();
        const { defaultModelCacheDir, ensureLocalModel } = await import('./model-runner.js');
        const ready = await ensureLocalModel({
          model,
          endpoint: settings.modelEndpoint,
          engine: engine.engine,
          engineProblem: engine.problem,
          runId,
          image: settings.modelRunnerImage,
          cacheDir: settings.modelCacheDir ?? defaultModelCacheDir({ ...deps.env }),
          logger,
          ...(deps.mayProvisionModel === false && { mayProvision: false }),
        });
        if (ready.status === 'ready') {
          logger.info(`Local model ${model} at ${ready.endpoint} drafts the comments.`);
          return { status: 'ready', endpoint: ready.endpoint, model };
        }
        const say = deps.modelFallbackLevel === 'info' ? logger.info.bind(logger) : logger.warning.bind(logger);
        say(`Local model ${model} is not available (${ready.reason}): the comments use template text.`);
        return { status: 'unavailable', reason: ready.reason };
      })();
      return localModel;
    },
    async stop() {
      if (gateway.status === 'ready') {
        await gateway.value.close().catch((error: unknown) => logger.warning(`Closing the MCP gateway failed: ${getErrorMessage(error)}`));
      }
      const engine = (await attempt)?.engine;
      if (engine) {
        const { cleanupRun } = await import('./cleanup.js');
        await cleanupRun(engine, runId, logger);
      }
      deps.saveState(STATE.mainCompleted, 'true');
    },
  };
}

const NO_SANDBOX: Service<SandboxBackend> = { status: 'skipped', reason: 'no enabled scanner needs the sandbox' };

/**
 * The Docker sandbox, when an engine answers. Without one nothing runs (never on the host): `skipped` with the reason. A runtime the
 * engine does not list (`sandbox-runtime: runsc` without gVisor) is `failed`: the workflow asked for a protection that is not there.
 */
async function startSandbox(
  settings: RuntimeSettings,
  logger: Logger,
  engineAttempt: () => Promise<EngineAttempt>,
): Promise<Service<SandboxBackend>> {
  const { engine, problem } = await engineAttempt();
  if (!engine) return { status: 'skipped', reason: `no container engine: ${problem}` };
  try {
    await engine.ping();
  } catch (error) {
    return { status: 'skipped', reason: `no container engine answers: ${getErrorMessage(error)}` };
  }
  const { createDockerSandbox } = await import('./docker-sandbox.js');
  try {
    const backend = await createDockerSandbox(engine, { ...(settings.sandboxRuntime !== undefined && { runtime: settings.sandboxRuntime }), logger });
    return { status: 'ready', value: backend };
  } catch (error) {
    return { status: 'failed', reason: getErrorMessage(error) };
  }
}

/** `mcp-gateway: on` always starts it; `auto` only when an enabled scanner needs it; `off` never. */
async function startGatewayIfNeeded(
  needs: RuntimeNeeds,
  settings: RuntimeSettings,
  tree: HeadTree,
  deps: RuntimeDeps & { runId: string; engineAttempt: () => Promise<EngineAttempt> },
): Promise<Service<GatewayHandle>> {
  if (settings.mcpGateway === 'off') return { status: 'skipped', reason: "mcp-gateway is 'off'" };
  if (settings.mcpGateway === 'auto' && needs.gateway.length === 0) {
    return { status: 'skipped', reason: 'no enabled scanner needs it (no ast-grep.patterns in the configuration)' };
  }
  const { engine, problem } = await deps.engineAttempt();
  const { startGatewayForConfig } = await import('./mcp-gateway.js');
  // The checkout also holds files that were not reviewed (too large, vendored, binary): the gateway's servers see only the tree's.
  const mounted = await isolateHeadTree(tree, join(deps.tempDir, 'gateway-tree'));
  const outcome = await startGatewayForConfig(settings, {
    engine,
    engineProblem: problem,
    runId: deps.runId,
    workDir: mounted.root,
    logger: deps.logger,
    tempDir: deps.tempDir,
    onMask: (secret) => deps.logger.mask(secret),
    healthTimeoutMs: deps.healthTimeoutMs,
  });
  return outcome.status === 'started' ? { status: 'ready', value: outcome.gateway } : { status: outcome.status, reason: outcome.reason };
}
