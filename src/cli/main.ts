import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalGitChangeSource, resolveLocalRevisions } from '../collect/source.js';
import { INPUT } from '../config/inputs.js';
import { DEFAULTS, parseConfigText, resolveConfig, type Config, type ParsedConfigFile } from '../config/load.js';
import { defaultEffects, type Effects } from '../effects.js';
import { ConfigurationError, ExternalServiceError, getErrorMessage } from '../errors.js';
import { ConsoleLogger, type Logger } from '../logger.js';
import { runReview } from '../main.js';
import { createConsolePublisher, FORMATS, type Format } from '../publish/console-publisher.js';
import { computeConclusion } from '../report/conclusion.js';
import { TOOL, type FailOn } from '../types.js';

export { FORMATS };

/**
 * Exit codes, as linters have them (ESLint, ruff; reviewdog's `-fail-level`): findings fail the command only when asked for, a
 * misuse is told apart from findings, and a review that could not complete never exits 0.
 */
export const EXIT = { ok: 0, findings: 1, usage: 2, error: 3 } as const;

/**
 * The CLI's `fail-on` when neither `--fail-on` nor the config file sets one: a developer reviewing their own branch wants to read
 * the findings, not a failed command (reviewdog's default fail level is none too). A pre-push hook or CI job opts in.
 */
export const CLI_DEFAULT_FAIL_ON: FailOn = 'none';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const USAGE = `Usage: ultra-create review [DIR] [options]
       ultra-create help

Reviews the change between two commits of a local git repository (DIR or --repo, default: the current directory), like the
action does on a pull request. The report goes to stdout, progress to stderr.

Options:
  --repo DIR                repository to review (default: the current directory)
  --base REF                base of the change; the review covers base...head
                            (default: the upstream branch's merge base, else HEAD~1)
  --head REF                head of the change (default: HEAD)
  --format FORMAT           ${FORMATS.join(' | ')} (default: text)
  --config FILE             configuration file (default: .github/ultra-create.yml at the base commit)
  --fail-on SEVERITY        none | info | low | medium | high | critical: exit 1 when a finding is at or above it
                            (default: ${CLI_DEFAULT_FAIL_ON}, or the config file's fail-on)
  --filter-mode MODE        added | diff_context | file | nofilter (default: ${DEFAULTS[INPUT.filterMode]})
  --scanners LIST           comma-separated: ast-grep, ramparts, tests (default: ${DEFAULTS[INPUT.scanners]})
  --rules PATH              extra ast-grep rule folder or sgconfig.yml, relative to the current directory (repeatable)
  --local-model REF         draft the comments with this local model, or off (default: off; drafting is opt-in here).
                            Starts a Docker Model Runner and pulls the model (${DEFAULTS[INPUT.localModel]}: about 1.3 GB)
                            when --model-endpoint does not serve it
  --model-endpoint URL      OpenAI-compatible endpoint of a running model server; alone, it drafts with
                            ${DEFAULTS[INPUT.localModel]} only if the server answers with that model (nothing started or pulled)
                            (default: ${DEFAULTS[INPUT.modelEndpoint]})
  --test-command CMD        run the repository's tests (head commit) in a locked-down container, never on this
                            machine; each failing test becomes a finding at its file and line (needs a Docker engine)
  --test-setup-command CMD  install step before the tests (with network unless --test-setup-network false)
  --test-image IMAGE        the sandbox image (default: a pinned node:22-bookworm-slim)
  --test-report GLOB        where the tests write JUnit XML or TAP reports (repeatable; default: common locations)
  --test-env NAME           pass this environment variable into the sandbox (repeatable; never a credential)
  --test-timeout-minutes N  deadline of setup and tests together (default: ${DEFAULTS[INPUT.testTimeoutMinutes]})
  --test-memory-mb N        memory of the sandbox, no swap (default: ${DEFAULTS[INPUT.testMemoryMb]})
  --test-setup-network B    true | false: network for the setup command (default: true; the tests never have any)
  --sandbox-runtime NAME    another OCI runtime for the sandbox, e.g. runsc (gVisor)
  --claude                  verify critical findings with Claude, using ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL), within the
                            claude-max-calls / claude-max-usd budget of the configuration
  --verbose                 debug lines on stderr as well
  --quiet                   no progress output (warnings and errors only)
  -h, --help                this help
  --version                 print the version

Scanners:
  ast-grep                  runs here, with the ast-grep binary shipped in dist/ (or node_modules)
                            and, with it, the template files (EJS, Handlebars/Mustache, Pug, Jinja/Nunjucks/Django)
  ramparts                  the MCP audit: MCP server configurations checked statically; servers the change adds listed in the
                            Docker sandbox (stdio) or scanned by ramparts (https, through the gateway or a ramparts binary)
  tests                     runs the configured test-command in a Docker sandbox; skipped when none is configured

Docker: a run may start containers and pull their images when a Docker engine answers: the MCP gateway (for the config file's
ast-grep.patterns, and ramparts when mcp-servers lists it), the sandbox (for a test-command, and for MCP servers a change adds),
the Model Runner (only with --local-model). All of them are removed
at the end. Without Docker those parts are reported as skipped.

Exit codes:
  0  the review completed with no finding at or above fail-on (with fail-on none: whatever it found)
  1  findings at or above fail-on
  2  usage or configuration error (a bad flag, a ref or folder that does not exist, an invalid config file)
  3  the review could not complete, or a scanner failed (the result is incomplete)`;

export async function runCli(argv: readonly string[], io: CliIo, effects?: Effects): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        repo: { type: 'string' },
        base: { type: 'string' },
        head: { type: 'string' },
        format: { type: 'string' },
        config: { type: 'string' },
        'fail-on': { type: 'string' },
        'filter-mode': { type: 'string' },
        scanners: { type: 'string' },
        rules: { type: 'string', multiple: true },
        'local-model': { type: 'string' },
        'model-endpoint': { type: 'string' },
        'test-command': { type: 'string' },
        'test-setup-command': { type: 'string' },
        'test-image': { type: 'string' },
        'test-report': { type: 'string', multiple: true },
        'test-env': { type: 'string', multiple: true },
        'test-timeout-minutes': { type: 'string' },
        'test-memory-mb': { type: 'string' },
        'test-setup-network': { type: 'string' },
        'sandbox-runtime': { type: 'string' },
        claude: { type: 'boolean' },
        verbose: { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (error) {
    io.stderr.write(`ultra-create: ${getErrorMessage(error)}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (values.help || command === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (values.version) {
    io.stdout.write(`${TOOL.name} ${TOOL.version}\n`);
    return EXIT.ok;
  }
  if (command !== 'review') {
    io.stderr.write(`ultra-create: expected the command 'review'${command ? `, got '${command}'` : ''}.\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  // `review DIR` is `review --repo DIR`: the way other tools take a path.
  if (extra.length > 1 || (extra.length === 1 && values.repo !== undefined)) {
    const why = extra.length > 1 ? `one folder to review, got ${extra.length}: ${extra.join(' ')}` : `a folder as --repo ${values.repo} and as ${extra[0]}`;
    io.stderr.write(`ultra-create: review takes ${why}. Use --repo DIR.\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) {
    io.stderr.write(`ultra-create: invalid --format '${values.format}': allowed values are ${FORMATS.join(', ')}.\n`);
    return EXIT.usage;
  }

  const logger = new ConsoleLogger({
    verbose: values.verbose,
    quiet: values.quiet,
    stream: io.stderr,
    live: io.stderr.isTTY === true && !io.env.CI,
  });
  const repoArgument = values.repo ?? extra[0];
  const repoDir = resolve(io.cwd, repoArgument ?? '.');
  try {
    await checkRepoDir(repoDir, values.repo !== undefined ? `--repo ${values.repo}` : extra[0]);
    const revisions = await resolveLocalRevisions(repoDir, values.base, values.head ?? 'HEAD').catch((error: unknown) => {
      throw new ConfigurationError(revisionProblem(repoDir, values.base, values.head, error));
    });
    logger.info(`Reviewing ${revisions.baseLabel}...${values.head ?? 'HEAD'} (${revisions.baseSha.slice(0, 7)}..${revisions.headSha.slice(0, 7)}) in ${repoDir}`);
    const source = createLocalGitChangeSource(repoDir, revisions, { prefetch: true });
    if (values.claude && !io.env.ANTHROPIC_API_KEY?.trim()) {
      throw new ConfigurationError('--claude needs the ANTHROPIC_API_KEY environment variable (an Anthropic API key).');
    }
    // Filled when the configuration is read (the pipeline's first stage), before the runtime starts.
    const drafting: { mayProvisionModel: boolean; offReason?: string } = { mayProvisionModel: false };
    const report = await runReview({
      logger,
      effects: effects ?? defaultEffects(io.env),
      configure: async () => {
        const config = await loadCliConfig(
          { ...values, 'anthropic-api-key': values.claude ? io.env.ANTHROPIC_API_KEY?.trim() : undefined },
          source.readBaseFile.bind(source),
          io.cwd,
          logger,
        );
        const decided = decideDrafting(config, values);
        Object.assign(drafting, decided.drafting);
        logger.info(decided.says);
        return decided.config;
      },
      drafting,
      source,
      publisher: () => createConsolePublisher(io.stdout, format, io.stdout.isTTY === true && !io.env.NO_COLOR),
      checkoutDir: repoDir,
      tempRoot: tmpdir(),
      saveState: () => undefined,
      modelFallbackLevel: 'info',
      links: {},
    });
    // Findings at or above fail-on say 1 whatever else happened; otherwise a review that did not run fully is not a clean 0.
    const findingsFail = computeConclusion(report.findings.map((p) => p.finding), report.failOn, []) === 'failure';
    if (findingsFail) return EXIT.findings;
    if (report.notReviewed.length > 0) {
      io.stderr.write(`ultra-create: the review is incomplete: ${report.notReviewed.join('; ')}.\n`);
      return EXIT.error;
    }
    return EXIT.ok;
  } catch (error) {
    return reportError(error, logger, io);
  }
}

/** Flags that are inputs of the same name, passed through as they are (validated by the same table). */
const PASSED_FLAGS = [
  'test-command',
  'test-setup-command',
  'test-image',
  'test-timeout-minutes',
  'test-memory-mb',
  'test-setup-network',
  'sandbox-runtime',
] as const;

async function loadCliConfig(
  values: {
    config?: string;
    'fail-on'?: string;
    'filter-mode'?: string;
    scanners?: string;
    rules?: string[];
    'local-model'?: string;
    'model-endpoint'?: string;
    'anthropic-api-key'?: string;
    'test-report'?: string[];
    'test-env'?: string[];
  } & Partial<Record<(typeof PASSED_FLAGS)[number], string>>,
  readBaseFile: (path: string) => Promise<string | undefined>,
  cwd: string,
  logger: Logger,
) {
  const inputs: Record<string, string | undefined> = {
    'fail-on': values['fail-on'],
    'filter-mode': values['filter-mode'],
    scanners: values.scanners,
    // A path on the command line is relative to where the command runs, like --config.
    rules: values.rules?.map((path) => resolve(cwd, path)).join('\n'),
    'local-model': values['local-model'],
    'model-endpoint': values['model-endpoint'],
    ...Object.fromEntries(PASSED_FLAGS.map((name) => [name, values[name]])),
    'test-report': values['test-report']?.join('\n'),
    'test-env': values['test-env']?.join('\n'),
    // Only with --claude: a key merely present in the environment never starts spending.
    'anthropic-api-key': values['anthropic-api-key'] ?? '',
  };
  let configFile: ParsedConfigFile | undefined;
  if (values.config) {
    const path = resolve(cwd, values.config);
    const text = await readFile(path, 'utf8').catch((error: unknown) => {
      throw new ConfigurationError(`Cannot read --config ${values.config}: ${getErrorMessage(error)}`);
    });
    configFile = await parseConfigText({ path, text });
  } else {
    const defaultPath = '.github/ultra-create.yml';
    const text = await readBaseFile(defaultPath);
    if (text !== undefined) logger.info(`Using ${defaultPath} from the base commit.`);
    configFile = text === undefined ? undefined : await parseConfigText({ path: defaultPath, text });
  }
  try {
    const config = withFlagsWinning(resolveConfig({ inputs, configFile }), inputs);
    // Neither --fail-on nor the config file: the CLI's own default (see CLI_DEFAULT_FAIL_ON).
    return config.origins[INPUT.failOn] === 'default' && !given(inputs, INPUT.failOn) ? { ...config, failOn: CLI_DEFAULT_FAIL_ON } : config;
  } catch (error) {
    // The inputs of the CLI are its flags: name them as the user typed them.
    if (error instanceof ConfigurationError) throw new ConfigurationError(error.message.replace(/Invalid input '([a-z0-9-]+)'/g, 'Invalid --$1'));
    throw error;
  }
}

function given(inputs: Record<string, string | undefined>, name: string): boolean {
  return inputs[name] !== undefined;
}

/**
 * Drafting is opt-in for the CLI: a model is about 1.3 GB, never pulled unasked. It is on with `--local-model` or a config file
 * that sets `local-model` (a Model Runner may then be started and the model pulled), and with `--model-endpoint` (or the config
 * file's `model-endpoint`) alone only when that server already answers with the model.
 */
export function decideDrafting(
  config: Config,
  flags: { 'local-model'?: string; 'model-endpoint'?: string },
): { config: Config; drafting: { mayProvisionModel: boolean; offReason?: string }; says: string } {
  const asked = flags['local-model'] !== undefined || config.origins[INPUT.localModel] === 'config-file';
  if (asked) {
    const says = config.localModel === undefined ? "Comment drafts: off (local-model is 'off')." : `Comment drafts: ${config.localModel} (a Model Runner may be started and the model pulled when ${config.modelEndpoint} does not serve it).`;
    return { config, drafting: { mayProvisionModel: true }, says };
  }
  if (flags['model-endpoint'] !== undefined || config.origins[INPUT.modelEndpoint] === 'config-file') {
    return {
      config,
      drafting: { mayProvisionModel: false },
      says: `Comment drafts: ${config.localModel ?? 'off'} if ${config.modelEndpoint} serves it (nothing is started or pulled).`,
    };
  }
  const offReason = 'drafting is opt-in for the CLI: --local-model MODEL or --model-endpoint URL';
  return { config: { ...config, localModel: undefined }, drafting: { mayProvisionModel: false, offReason }, says: `Comment drafts: off (${offReason}).` };
}

/** A folder that does not exist (or is no folder) is named before git is asked anything. */
async function checkRepoDir(dir: string, asGiven: string | undefined): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  const name = asGiven ?? 'the current directory';
  if (!info) throw new ConfigurationError(`Cannot review ${name}: ${dir} does not exist.`);
  if (!info.isDirectory()) throw new ConfigurationError(`Cannot review ${name}: ${dir} is not a folder.`);
}

/** Which of --base / --head git could not resolve, by name. */
function revisionProblem(repoDir: string, base: string | undefined, head: string | undefined, error: unknown): string {
  const message = getErrorMessage(error);
  if (/not a git repository/i.test(message)) return `Cannot review ${repoDir}: it is not a git repository (or any parent folder).`;
  const named = [base !== undefined && `--base ${base}`, `--head ${head ?? 'HEAD'}`].filter(Boolean).join(' / ');
  return `Cannot resolve the revisions to compare in ${repoDir} (${named}): ${message}`;
}

/**
 * `resolveConfig` takes an input equal to its action.yml default for "not set" (GitHub passes defaults as values), so the config
 * file would win over an explicit `--fail-on critical`. A command-line flag is always explicit: it wins.
 */
function withFlagsWinning(config: Config, inputs: Record<string, string | undefined>): Config {
  const flags = resolveConfig({ inputs });
  const given = (Object.keys(INPUT) as (keyof typeof INPUT)[]).filter((key) => inputs[INPUT[key]] !== undefined);
  return {
    ...config,
    ...Object.fromEntries(given.map((key) => [key, flags[key]])),
    anthropicApiKey: flags.anthropicApiKey,
  };
}

function reportError(error: unknown, logger: Logger, io: CliIo): number {
  if (error instanceof ConfigurationError) {
    io.stderr.write(`ultra-create: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof ExternalServiceError) {
    io.stderr.write(`ultra-create: ${error.message}\n`);
    return EXIT.error;
  }
  logger.debug(error instanceof Error && error.stack ? error.stack : String(error));
  io.stderr.write(`ultra-create: internal error (please report it): ${getErrorMessage(error)}\n`);
  return EXIT.error;
}
