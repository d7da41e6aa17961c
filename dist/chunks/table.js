/**
 * The names this action shares with the outside world: action inputs, outputs, and the state passed from the main step to the
 * `post:` step. They are spelled here once; action.yml, the docs and the code all follow this module (a test checks action.yml).
 */
/** Action input names (kebab-case, as in action.yml), keyed by the `Config` field each one becomes. */
const INPUT = {
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
};
/** Every input, in the order of action.yml and docs/inputs.md. */
const INPUT_NAMES = Object.values(INPUT);
/** Action output names, keyed by what they hold. */
const OUTPUT = {
    findings: 'findings',
    critical: 'critical',
    conclusion: 'conclusion',
    reviewId: 'review-id',
    checkRunId: 'check-run-id',
    sarifFile: 'sarif-file',
    claudeCostUsd: 'claude-cost-usd',
    testLog: 'test-log',
};
/**
 * Keys of the state the main step saves (`core.saveState`) for the `post:` step (`core.getState`). The post step runs even when
 * the main step crashed or was cancelled, so it must find what to clean up without the main step's memory.
 */
const STATE = {
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
};
/** The environment variable GitHub sets for an input: `INPUT_` + the name uppercased with spaces as `_` (dashes are kept). */
function inputEnvName(name) {
    return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Pinned images; digests are verified (and bumped) by the Docker runtime issue. */
const DEFAULT_MCP_GATEWAY_IMAGE = 'docker/mcp-gateway@sha256:97ec61bc5f38416279069800fef58ac264c81c643a73a9698ceaec876a436e3f';
const DEFAULT_TEST_IMAGE = 'node:22-bookworm-slim@sha256:43ac6c60b8f89723f746e8a92ce91abd5017e627ce1ddfe4238355d3a30b772c';
/**
 * The Model Runner's CPU image, pinned to a release (tags are `vX.Y.Z`, plus `-cuda`, `-rocm`, … variants and `latest`; see the
 * `release.yml` of github.com/docker/model-runner). No registry could be reached where this was written to verify a digest: pin one
 * through `model-runner-image` where that matters.
 */
const DEFAULT_MODEL_RUNNER_IMAGE = 'docker/model-runner:v1.2.6';
const RUNNER_TEMP_EXPRESSION = '${{ runner.temp }}';
const GITHUB_TOKEN_EXPRESSION = '${{ github.token }}';
const spec = (value, allowed, description, capability = 'active', options = {}) => ({
    default: value,
    allowed,
    description,
    capability,
    secret: options.secret ?? false,
    inConfigFile: options.inConfigFile ?? !(options.secret ?? false),
});
const INPUT_SPECS = {
    [INPUT.githubToken]: spec(GITHUB_TOKEN_EXPRESSION, 'a token', 'Token for the GitHub REST API (reviews, check runs). Needs pull-requests: write and checks: write to post.', 'active', { secret: true }),
    [INPUT.configFile]: spec('.github/ultra-create.yml', 'a path relative to the repository root', 'Optional YAML config, read from the base branch (a pull request cannot change how it is reviewed). Same keys as the inputs; inputs set in the workflow win.', 'active', { inConfigFile: false }),
    [INPUT.scanners]: spec('ast-grep,ramparts,tests', 'comma- or newline-separated list of `ast-grep`, `ramparts`, `tests`', 'Which scanners run.'),
    [INPUT.rules]: spec('', 'comma- or newline-separated list of paths', "Extra ast-grep rule directories or sgconfig.yml files, in addition to the built-in pack and the repository's own sgconfig.yml."),
    [INPUT.filterMode]: spec('added', '`added`, `diff_context`, `file`, `nofilter`', 'Which findings may become inline comments: on added lines, anywhere in the diff, anywhere in a changed file, or anywhere. The others go to annotations and the summary.'),
    [INPUT.failOn]: spec('critical', '`none`, `info`, `low`, `medium`, `high`, `critical`', 'Lowest severity that fails the check run; none never fails it.'),
    [INPUT.failOnScanError]: spec('true', '`true`, `false`', 'Fail the check run when the pull request was not fully reviewed: a scanner failed, a file could not be scanned (time limit, size cap), or GitHub listed only part of the files. false makes it neutral instead.'),
    [INPUT.maxComments]: spec('30', 'an integer from 0 to 100', 'Inline comments per review; the rest are summarized in the review body. GitHub rate-limits bots that post many more than about 50.'),
    [INPUT.maxAnnotations]: spec('1000', 'an integer from 0 to 10000', 'Check-run annotations per run, after repeats of one rule in one file are aggregated; the job summary and the SARIF file still hold every finding and say how many were not annotated.'),
    [INPUT.reviewEvent]: spec('comment', '`comment`, `request-changes`', 'Review event: comment, or request-changes (used only when a confirmed critical finding exists).'),
    [INPUT.mcpGateway]: spec('auto', '`auto`, `on`, `off`', 'Docker MCP gateway: auto starts it when a Docker engine answers and something needs it (the ast-grep.patterns of the config file, or the ramparts scan of an MCP configuration the change touches when mcp-servers lists ramparts), on always starts it and fails the run if it cannot, off never starts it.', 'active'),
    [INPUT.mcpGatewayImage]: spec(DEFAULT_MCP_GATEWAY_IMAGE, 'an image reference `name[:tag][@sha256:<64 hex>]`', 'The MCP gateway image (pin it by digest).', 'active'),
    [INPUT.mcpServers]: spec('ast-grep,ramparts', 'comma- or newline-separated list of catalog server names (`[a-z0-9][a-z0-9-_.]*`)', 'Catalog servers the gateway enables.', 'active'),
    [INPUT.mcpAuditAllowHosts]: spec('', 'comma- or newline-separated list of host names, `*.suffix` wildcards and CIDRs (`10.0.0.0/8`, `fd00::/8`)', 'Remote MCP servers the audit may contact although their host is, or resolves to, a loopback, private or link-local address (your own internal servers). Only https:// servers are ever contacted; empty: none at internal addresses.'),
    [INPUT.testCommand]: spec('', 'a shell command', "The pull request's test command, run in a locked-down container (no network, no secrets); empty means no test run."),
    [INPUT.testSetupCommand]: spec('', 'a shell command', 'Dependency install step, run in the sandbox before the tests (with network when `test-setup-network` is true, never with secrets).'),
    [INPUT.testImage]: spec(DEFAULT_TEST_IMAGE, 'an image reference `name[:tag][@sha256:<64 hex>]`', 'Sandbox image for the tests (pin it by digest).'),
    [INPUT.testTimeoutMinutes]: spec('10', 'a number from 1 to 360', 'Hard limit in minutes for the setup and the tests together; the sandbox is killed at the deadline and the run reported as timed out.'),
    [INPUT.testSetupNetwork]: spec('true', '`true` or `false`', 'Whether the setup command has network (to install dependencies); the tests never have any. `false` for projects that vendor their dependencies.'),
    [INPUT.testEnv]: spec('', 'comma- or newline-separated list of environment variable names; never `*_TOKEN`, `*_KEY`, `*_SECRET`, `*_PASSWORD` or other credential names', "Names of the runner's environment variables passed into the sandbox (only `CI=true`, `LANG` and `TZ` are passed otherwise)."),
    [INPUT.testReport]: spec('', 'comma- or newline-separated list of globs relative to the repository; empty: common JUnit XML and TAP locations', 'Where the test command writes its JUnit XML or TAP reports; each failing test in them becomes a finding at its file and line.'),
    [INPUT.testMemoryMb]: spec('4096', 'an integer from 256 to 65536', "Memory of the sandbox in MiB (no swap); a test run over it is killed and reported as out of memory."),
    [INPUT.sandboxRuntime]: spec('', 'empty (the engine default) or an OCI runtime name the Docker engine lists, such as `runsc`', 'Container runtime of the sandbox, e.g. `runsc` for gVisor; the run fails with a clear error when the engine does not list it.'),
    [INPUT.localModel]: spec('ai/llama3.2:1B-Q8_0', '`off` or a model reference such as `ai/llama3.2:1B-Q8_0`', 'Local model that drafts the review comments; off disables drafting (template text is used).'),
    [INPUT.modelEndpoint]: spec('http://localhost:12434/engines/v1', 'an http(s) URL', 'OpenAI-compatible endpoint of the local model (Docker Model Runner, Ollama, llama.cpp server).'),
    [INPUT.draftTimeoutSeconds]: spec('120', 'a number from 1 to 3600', 'Time budget in seconds for all local drafts together; findings that do not fit get template text.'),
    [INPUT.modelRunnerImage]: spec(DEFAULT_MODEL_RUNNER_IMAGE, 'an image reference `name[:tag][@sha256:<64 hex>]`', 'Docker Model Runner image, started on 127.0.0.1 when model-endpoint is a local Model Runner URL that does not answer.'),
    [INPUT.modelCacheDir]: spec('', 'empty or a folder path', "Host folder where the Model Runner keeps pulled models (cache it with actions/cache); empty uses the runner's tool cache."),
    [INPUT.anthropicApiKey]: spec('', 'an Anthropic API key', 'Enables the Claude verification of critical findings.', 'active', { secret: true }),
    [INPUT.anthropicBaseUrl]: spec('', 'empty or an http(s) URL', 'Anthropic API base URL, for model traffic routed through a gateway; empty uses the SDK default or ANTHROPIC_BASE_URL.'),
    [INPUT.claudeModel]: spec('claude-opus-4-5', 'a model id', 'Claude model that verifies critical findings.'),
    [INPUT.escalateOn]: spec('critical', '`critical`, `high`', 'Lowest severity sent to Claude for verification.'),
    [INPUT.claudeMaxCalls]: spec('10', 'an integer from 0 to 1000', 'Hard budget: most Claude calls per run.'),
    [INPUT.claudeMaxUsd]: spec('0.50', 'a number from 0 to 1000', 'Hard budget: most US dollars spent on Claude per run.'),
    [INPUT.sarifFile]: spec(`${RUNNER_TEMP_EXPRESSION}/ultra-create.sarif`, 'a file path', 'Where the SARIF 2.1.0 report is written.'),
};
/** The action.yml default of every input, as GitHub passes it when the workflow does not set the input. */
const DEFAULTS = Object.fromEntries(INPUT_NAMES.map((name) => [name, INPUT_SPECS[name].default]));
/** Inputs of capabilities not built yet (Docker runtime, models): validated now, no effect yet. */
INPUT_NAMES.filter((name) => INPUT_SPECS[name].capability !== 'active');
const SECRET_INPUTS = INPUT_NAMES.filter((name) => INPUT_SPECS[name].secret);

export { DEFAULT_MODEL_RUNNER_IMAGE as D, GITHUB_TOKEN_EXPRESSION as G, INPUT as I, OUTPUT as O, RUNNER_TEMP_EXPRESSION as R, STATE as S, INPUT_NAMES as a, DEFAULTS as b, INPUT_SPECS as c, SECRET_INPUTS as d, inputEnvName as i };
