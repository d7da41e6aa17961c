import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalGitChangeSource, resolveLocalRevisions } from '../collect/source.js';
import { INPUT } from '../config/inputs.js';
import { parseConfigText, resolveConfig, type Config } from '../config/load.js';
import { defaultEffects, type Effects } from '../effects.js';
import { ConfigurationError, ExternalServiceError, getErrorMessage } from '../errors.js';
import { ConsoleLogger, type Logger } from '../logger.js';
import { runReview } from '../main.js';
import { createConsolePublisher, FORMATS, type Format } from '../publish/console-publisher.js';
import { TOOL } from '../types.js';

export { FORMATS };

/** Exit codes: what scripts and CI jobs branch on. */
export const EXIT = { ok: 0, findings: 1, usage: 2, error: 3 } as const;

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const USAGE = `Usage: ultra-create review [options]

Reviews the change between two commits of a local git repository, like the action does on a pull request.

Options:
  --repo DIR          repository to review (default: the current directory)
  --base REF          base of the change; the review covers base...head (default: the upstream branch's merge base, else HEAD~1)
  --head REF          head of the change (default: HEAD)
  --format FORMAT     ${FORMATS.join(' | ')} (default: text)
  --config FILE       configuration file (default: .github/ultra-create.yml at the base commit)
  --fail-on SEVERITY  none | info | low | medium | high | critical: exit 1 when a finding is at or above it
  --filter-mode MODE  added | diff_context | file | nofilter
  --scanners LIST     comma-separated: ast-grep, ramparts, tests
  --rules PATH        extra ast-grep rule folder or sgconfig.yml, relative to the current directory (repeatable)
  --local-model REF   local model that drafts the comments, or off (default: ai/llama3.2:1B-Q8_0)
  --model-endpoint URL  its OpenAI-compatible endpoint (default: the Docker Model Runner, http://localhost:12434/engines/v1)
  --test-command CMD  run the repository's tests (head commit) in a locked-down container, never on this machine;
                      each failing test becomes a finding at its file and line (needs a Docker engine)
  --test-setup-command CMD  install step before the tests (with network unless --test-setup-network false)
  --test-image IMAGE  the sandbox image (default: a pinned node:22-bookworm-slim)
  --test-report GLOB  where the tests write JUnit XML or TAP reports (repeatable; default: common locations)
  --test-env NAME     pass this environment variable into the sandbox (repeatable; never a credential)
  --test-timeout-minutes N | --test-memory-mb N | --test-setup-network true|false | --sandbox-runtime NAME
  --claude            verify critical findings with Claude, using ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL), within the
                      claude-max-calls / claude-max-usd budget of the configuration
  --verbose           debug output on stderr
  --quiet             no progress output
  -h, --help          this help
  --version           print the version

Exit codes: 0 no finding at or above fail-on, 1 findings at or above fail-on, 2 usage or configuration error, 3 other error.`;

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
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (values.version) {
    io.stdout.write(`${TOOL.name} ${TOOL.version}\n`);
    return EXIT.ok;
  }
  const [command, ...extra] = positionals;
  if (command !== 'review' || extra.length > 0) {
    io.stderr.write(`ultra-create: expected the command 'review'${command ? `, got '${[command, ...extra].join(' ')}'` : ''}.\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) {
    io.stderr.write(`ultra-create: invalid --format '${values.format}': allowed values are ${FORMATS.join(', ')}.\n`);
    return EXIT.usage;
  }

  const logger = new ConsoleLogger({
    verbose: values.verbose,
    quiet: values.quiet || !io.stderr.isTTY,
    stream: io.stderr,
  });
  const repoDir = resolve(io.cwd, values.repo ?? '.');
  try {
    const revisions = await resolveLocalRevisions(repoDir, values.base, values.head ?? 'HEAD').catch((error: unknown) => {
      throw new ConfigurationError(`Cannot resolve the revisions to compare in ${repoDir}: ${getErrorMessage(error)}`);
    });
    logger.info(`Reviewing ${revisions.baseLabel}...${values.head ?? 'HEAD'} (${revisions.baseSha.slice(0, 7)}..${revisions.headSha.slice(0, 7)}) in ${repoDir}`);
    const source = createLocalGitChangeSource(repoDir, revisions, { prefetch: true });
    if (values.claude && !io.env.ANTHROPIC_API_KEY?.trim()) {
      throw new ConfigurationError('--claude needs the ANTHROPIC_API_KEY environment variable (an Anthropic API key).');
    }
    const report = await runReview({
      logger,
      effects: effects ?? defaultEffects(io.env),
      configure: () =>
        loadCliConfig(
          { ...values, 'anthropic-api-key': values.claude ? io.env.ANTHROPIC_API_KEY?.trim() : undefined },
          source.readBaseFile.bind(source),
          io.cwd,
          logger,
        ),
      source,
      publisher: () => createConsolePublisher(io.stdout, format, io.stdout.isTTY === true && !io.env.NO_COLOR),
      checkoutDir: repoDir,
      tempRoot: tmpdir(),
      saveState: () => undefined,
      modelFallbackLevel: 'info',
      links: {},
    });
    return report.conclusion === 'failure' ? EXIT.findings : EXIT.ok;
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
  if (values.config) {
    const path = resolve(cwd, values.config);
    const text = await readFile(path, 'utf8').catch((error: unknown) => {
      throw new ConfigurationError(`Cannot read --config ${values.config}: ${getErrorMessage(error)}`);
    });
    return withFlagsWinning(resolveConfig({ inputs, configFile: await parseConfigText({ path, text }) }), inputs);
  }
  const defaultPath = '.github/ultra-create.yml';
  const text = await readBaseFile(defaultPath);
  if (text !== undefined) logger.info(`Using ${defaultPath} from the base commit.`);
  const configFile = text === undefined ? undefined : await parseConfigText({ path: defaultPath, text });
  return withFlagsWinning(resolveConfig({ inputs, configFile }), inputs);
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
