#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { s as serializeSarif, b as buildSarif, r as renderJson, a as renderFindingsMarkdown, c as renderText, d as resolveLocalRevisions, e as createLocalGitChangeSource, f as runReview, g as defaultEffects, h as resolveConfig, p as parseConfigText } from './chunks/sarif.js';
import { I as INPUT } from './chunks/inputs.js';
import { g as getErrorMessage, C as ConfigurationError, E as ExternalServiceError } from './chunks/errors.js';
import { N as NOTHING_EARLIER, T as TOOL } from './chunks/local-drafts.js';

/** Shared masking: every implementation replaces registered secrets before printing. */
class MaskingLogger {
    secrets = new Set();
    mask(secret) {
        if (secret.length >= 4)
            this.secrets.add(secret);
    }
    redact(message) {
        let out = message;
        for (const secret of this.secrets)
            out = out.split(secret).join('***');
        return out;
    }
    debug(message) {
        this.write('debug', this.redact(message));
    }
    info(message) {
        this.write('info', this.redact(message));
    }
    warning(message) {
        this.write('warning', this.redact(message));
    }
    error(message) {
        this.write('error', this.redact(message));
    }
    inGroup = false;
    async group(name, fn) {
        if (this.inGroup)
            return fn();
        this.inGroup = true;
        this.startGroup(this.redact(name));
        try {
            return await fn();
        }
        finally {
            this.endGroup();
            this.inGroup = false;
        }
    }
}
/** Human-facing logger for the CLI: progress to stderr so stdout stays a clean report. */
class ConsoleLogger extends MaskingLogger {
    options;
    constructor(options = {}) {
        super();
        this.options = options;
    }
    write(level, message) {
        if (level === 'debug' && !this.options.verbose)
            return;
        if (this.options.quiet && (level === 'info' || level === 'debug'))
            return;
        const prefix = level === 'warning' ? 'warning: ' : level === 'error' ? 'error: ' : '';
        (this.options.stream ?? process.stderr).write(`${prefix}${message}\n`);
    }
    startGroup(name) {
        this.write('info', `» ${name}`);
    }
    endGroup() {
        // Nothing to close on a plain stream: the group's start line is all the CLI prints.
    }
}

const FORMATS = ['text', 'markdown', 'json', 'sarif'];
/** The CLI's publisher: the report on stdout in the chosen format. No earlier runs, nothing to resume after a failure. */
function createConsolePublisher(out, format, color) {
    return {
        open: () => Promise.resolve(NOTHING_EARLIER),
        publish(report) {
            out.write(render(report, format, color));
            return Promise.resolve(report);
        },
        abandon: () => Promise.resolve(),
    };
}
function render(report, format, color) {
    switch (format) {
        case 'text':
            return renderText(report, { color });
        case 'markdown':
            return renderFindingsMarkdown(report);
        case 'json':
            return renderJson(report);
        case 'sarif':
            return serializeSarif(buildSarif(report));
    }
}

/** Exit codes: what scripts and CI jobs branch on. */
const EXIT = { ok: 0, findings: 1, usage: 2, error: 3 };
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
async function runCli(argv, io, effects) {
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
    }
    catch (error) {
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
    const format = (values.format ?? 'text');
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
        const revisions = await resolveLocalRevisions(repoDir, values.base, values.head ?? 'HEAD').catch((error) => {
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
            configure: () => loadCliConfig({ ...values, 'anthropic-api-key': values.claude ? io.env.ANTHROPIC_API_KEY?.trim() : undefined }, source.readBaseFile.bind(source), io.cwd, logger),
            source,
            publisher: () => createConsolePublisher(io.stdout, format, io.stdout.isTTY === true && !io.env.NO_COLOR),
            checkoutDir: repoDir,
            tempRoot: tmpdir(),
            saveState: () => undefined,
            modelFallbackLevel: 'info',
            links: {},
        });
        return report.conclusion === 'failure' ? EXIT.findings : EXIT.ok;
    }
    catch (error) {
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
];
async function loadCliConfig(values, readBaseFile, cwd, logger) {
    const inputs = {
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
        const text = await readFile(path, 'utf8').catch((error) => {
            throw new ConfigurationError(`Cannot read --config ${values.config}: ${getErrorMessage(error)}`);
        });
        return withFlagsWinning(resolveConfig({ inputs, configFile: await parseConfigText({ path, text }) }), inputs);
    }
    const defaultPath = '.github/ultra-create.yml';
    const text = await readBaseFile(defaultPath);
    if (text !== undefined)
        logger.info(`Using ${defaultPath} from the base commit.`);
    const configFile = text === undefined ? undefined : await parseConfigText({ path: defaultPath, text });
    return withFlagsWinning(resolveConfig({ inputs, configFile }), inputs);
}
/**
 * `resolveConfig` takes an input equal to its action.yml default for "not set" (GitHub passes defaults as values), so the config
 * file would win over an explicit `--fail-on critical`. A command-line flag is always explicit: it wins.
 */
function withFlagsWinning(config, inputs) {
    const flags = resolveConfig({ inputs });
    const given = Object.keys(INPUT).filter((key) => inputs[INPUT[key]] !== undefined);
    return {
        ...config,
        ...Object.fromEntries(given.map((key) => [key, flags[key]])),
        anthropicApiKey: flags.anthropicApiKey,
    };
}
function reportError(error, logger, io) {
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

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
