/**
 * The names this action shares with the outside world: action inputs, outputs, and the state passed from the main step to the
 * `post:` step. They are spelled here once; action.yml, the docs and the code all follow this module (a test checks action.yml).
 */

/** Action input names (kebab-case, as in action.yml), keyed by the `Config` field each one becomes. */
export const INPUT = {
  githubToken: 'github-token',
  configFile: 'config-file',
  scanners: 'scanners',
  rules: 'rules',
  filterMode: 'filter-mode',
  failOn: 'fail-on',
  failOnScanError: 'fail-on-scan-error',
  maxComments: 'max-comments',
  maxAnnotations: 'max-annotations',
  reviewEvent: 'review-event',
  mcpGateway: 'mcp-gateway',
  mcpGatewayImage: 'mcp-gateway-image',
  mcpServers: 'mcp-servers',
  mcpAuditAllowHosts: 'mcp-audit-allow-hosts',
  testCommand: 'test-command',
  testSetupCommand: 'test-setup-command',
  testImage: 'test-image',
  testTimeoutMinutes: 'test-timeout-minutes',
  testSetupNetwork: 'test-setup-network',
  testEnv: 'test-env',
  testReport: 'test-report',
  testMemoryMb: 'test-memory-mb',
  sandboxRuntime: 'sandbox-runtime',
  localModel: 'local-model',
  modelEndpoint: 'model-endpoint',
  draftTimeoutSeconds: 'draft-timeout-seconds',
  modelRunnerImage: 'model-runner-image',
  modelCacheDir: 'model-cache-dir',
  anthropicApiKey: 'anthropic-api-key',
  anthropicBaseUrl: 'anthropic-base-url',
  claudeModel: 'claude-model',
  escalateOn: 'escalate-on',
  claudeMaxCalls: 'claude-max-calls',
  claudeMaxUsd: 'claude-max-usd',
  sarifFile: 'sarif-file',
} as const;

export type InputName = (typeof INPUT)[keyof typeof INPUT];

/** Every input, in the order of action.yml and docs/inputs.md. */
export const INPUT_NAMES: readonly InputName[] = Object.values(INPUT);

/** Action output names, keyed by what they hold. */
export const OUTPUT = {
  findings: 'findings',
  critical: 'critical',
  conclusion: 'conclusion',
  reviewId: 'review-id',
  checkRunId: 'check-run-id',
  sarifFile: 'sarif-file',
  claudeCostUsd: 'claude-cost-usd',
  testLog: 'test-log',
} as const;

export type OutputName = (typeof OUTPUT)[keyof typeof OUTPUT];

export const OUTPUT_NAMES: readonly OutputName[] = Object.values(OUTPUT);

/**
 * Keys of the state the main step saves (`core.saveState`) for the `post:` step (`core.getState`). The post step runs even when
 * the main step crashed or was cancelled, so it must find what to clean up without the main step's memory.
 */
export const STATE = {
  /** Unique id of this run; every container, network and volume the run creates carries it as a label, so cleanup can find them. */
  runId: 'run-id',
  /** The run's own folder under RUNNER_TEMP, removed by the post step if the main step could not. */
  tempDir: 'temp-dir',
  /** JSON array of the ids of the containers, networks and volumes created so far (recorded as they are created). */
  resources: 'resources',
  /** The Docker engine endpoint the main step used, so cleanup talks to the same engine. */
  dockerHost: 'docker-host',
  /** "true" once the main step reached its end; absent when it crashed or was cancelled. */
  mainCompleted: 'main-completed',
  /** The id of the check run this run created; with `checkRunCompleted` absent, the post step completes it. */
  checkRunId: 'check-run-id',
  /** "true" once this run completed its check run. */
  checkRunCompleted: 'check-run-completed',
} as const;

export type StateKey = (typeof STATE)[keyof typeof STATE];

/** The environment variable GitHub sets for an input: `INPUT_` + the name uppercased with spaces as `_` (dashes are kept). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}
