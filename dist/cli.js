#!/usr/bin/env node
import { stat, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { s as serializeSarif, b as buildSarif, r as renderJson, a as renderFindingsMarkdown, c as renderText, d as resolveLocalRevisions, e as createLocalGitChangeSource, f as runReview, g as defaultEffects, h as computeConclusion } from './chunks/sarif.js';
import { b as DEFAULTS, I as INPUT } from './chunks/table.js';
import { p as parseConfigText, a as resolveConfig } from './chunks/load.js';
import { g as getErrorMessage, C as ConfigurationError, E as ExternalServiceError } from './chunks/errors.js';
import { N as NOTHING_EARLIER, T as TOOL } from './chunks/types.js';

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
const BAR_WIDTH = 24;
/** At most this often the live line is redrawn for progress alone (a scan of thousands of files must not flood the terminal). */
const REDRAW_MS = 80;
/**
 * Human-facing logger for the CLI: progress to stderr so stdout stays a clean report. Every line is plain text (stage, counts,
 * durations); on a terminal a live line follows the log. `--verbose` adds debug lines wherever stderr goes; `--quiet` keeps only
 * warnings and errors.
 */
class ConsoleLogger extends MaskingLogger {
    options;
    stream;
    now;
    stage;
    latest;
    liveShown = false;
    lastDraw = 0;
    ticker;
    constructor(options = {}) {
        super();
        this.options = options;
        this.stream = options.stream ?? process.stderr;
        this.now = options.now ?? Date.now;
    }
    get live() {
        return this.options.live === true && this.options.quiet !== true;
    }
    write(level, message) {
        if (level === 'debug' && !this.options.verbose)
            return;
        if (this.options.quiet && (level === 'info' || level === 'debug'))
            return;
        const prefix = level === 'warning' ? 'warning: ' : level === 'error' ? 'error: ' : level === 'debug' ? 'debug: ' : '';
        this.clearLive();
        this.stream.write(`${prefix}${message}\n`);
        this.drawLive();
    }
    startGroup(name) {
        this.stage = { name, started: this.now() };
        this.latest = undefined;
        // On a terminal the live line names the stage; a log gets a line of its own.
        if (this.live) {
            this.drawLive();
            // The time in the stage keeps counting while nothing else is printed (a slow scan, a model download).
            this.ticker = setInterval(() => {
                this.clearLive();
                this.drawLive();
            }, 1000);
            this.ticker.unref();
        }
        else
            this.write('info', `» ${name}`);
    }
    endGroup() {
        clearInterval(this.ticker);
        this.ticker = undefined;
        this.clearLive();
        this.stage = undefined;
        this.latest = undefined;
    }
    progress(update) {
        this.latest = update;
        if (!this.live)
            return;
        const time = this.now();
        if (update.done < update.total && time - this.lastDraw < REDRAW_MS)
            return;
        this.clearLive();
        this.drawLive();
    }
    drawLive() {
        if (!this.live || !this.stage)
            return;
        this.lastDraw = this.now();
        this.stream.write(liveLine(this.stage.name, this.now() - this.stage.started, this.latest));
        this.liveShown = true;
    }
    clearLive() {
        if (!this.liveShown)
            return;
        // Carriage return, then erase the line: the next text starts where the live line was.
        this.stream.write('\r\u001b[2K');
        this.liveShown = false;
    }
}
/** `Scan  [██████░░░░░░]  12/40 files  1.2 s` (no line break: it is redrawn in place). */
function liveLine(stage, elapsedMs, progress) {
    const seconds = `${(elapsedMs / 1000).toFixed(1)} s`;
    if (!progress || progress.total <= 0)
        return `… ${stage}  ${seconds}`;
    const done = Math.min(progress.done, progress.total);
    const filled = Math.round((done / progress.total) * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    return `… ${stage}  [${bar}]  ${done}/${progress.total} ${progress.unit}  ${seconds}`;
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

/**
 * Exit codes, as linters have them (ESLint, ruff; reviewdog's `-fail-level`): findings fail the command only when asked for, a
 * misuse is told apart from findings, and a review that could not complete never exits 0.
 */
const EXIT = { ok: 0, findings: 1, usage: 2, error: 3 };
/**
 * The CLI's `fail-on` when neither `--fail-on` nor the config file sets one: a developer reviewing their own branch wants to read
 * the findings, not a failed command (reviewdog's default fail level is none too). A pre-push hook or CI job opts in.
 */
const CLI_DEFAULT_FAIL_ON = 'none';
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
    const format = (values.format ?? 'text');
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
        const revisions = await resolveLocalRevisions(repoDir, values.base, values.head ?? 'HEAD').catch((error) => {
            throw new ConfigurationError(revisionProblem(repoDir, values.base, values.head, error));
        });
        logger.info(`Reviewing ${revisions.baseLabel}...${values.head ?? 'HEAD'} (${revisions.baseSha.slice(0, 7)}..${revisions.headSha.slice(0, 7)}) in ${repoDir}`);
        const source = createLocalGitChangeSource(repoDir, revisions, { prefetch: true });
        if (values.claude && !io.env.ANTHROPIC_API_KEY?.trim()) {
            throw new ConfigurationError('--claude needs the ANTHROPIC_API_KEY environment variable (an Anthropic API key).');
        }
        // Filled when the configuration is read (the pipeline's first stage), before the runtime starts.
        const drafting = { mayProvisionModel: false };
        const report = await runReview({
            logger,
            effects: effects ?? defaultEffects(io.env),
            configure: async () => {
                const config = await loadCliConfig({ ...values, 'anthropic-api-key': values.claude ? io.env.ANTHROPIC_API_KEY?.trim() : undefined }, source.readBaseFile.bind(source), io.cwd, logger);
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
        if (findingsFail)
            return EXIT.findings;
        if (report.notReviewed.length > 0) {
            io.stderr.write(`ultra-create: the review is incomplete: ${report.notReviewed.join('; ')}.\n`);
            return EXIT.error;
        }
        return EXIT.ok;
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
    let configFile;
    if (values.config) {
        const path = resolve(cwd, values.config);
        const text = await readFile(path, 'utf8').catch((error) => {
            throw new ConfigurationError(`Cannot read --config ${values.config}: ${getErrorMessage(error)}`);
        });
        configFile = await parseConfigText({ path, text });
    }
    else {
        const defaultPath = '.github/ultra-create.yml';
        const text = await readBaseFile(defaultPath);
        if (text !== undefined)
            logger.info(`Using ${defaultPath} from the base commit.`);
        configFile = text === undefined ? undefined : await parseConfigText({ path: defaultPath, text });
    }
    try {
        const config = withFlagsWinning(resolveConfig({ inputs, configFile }), inputs);
        // Neither --fail-on nor the config file: the CLI's own default (see CLI_DEFAULT_FAIL_ON).
        return config.origins[INPUT.failOn] === 'default' && !given(inputs, INPUT.failOn) ? { ...config, failOn: CLI_DEFAULT_FAIL_ON } : config;
    }
    catch (error) {
        // The inputs of the CLI are its flags: name them as the user typed them.
        if (error instanceof ConfigurationError)
            throw new ConfigurationError(error.message.replace(/Invalid input '([a-z0-9-]+)'/g, 'Invalid --$1'));
        throw error;
    }
}
function given(inputs, name) {
    return inputs[name] !== undefined;
}
/**
 * Drafting is opt-in for the CLI: a model is about 1.3 GB, never pulled unasked. It is on with `--local-model` or a config file
 * that sets `local-model` (a Model Runner may then be started and the model pulled), and with `--model-endpoint` (or the config
 * file's `model-endpoint`) alone only when that server already answers with the model.
 */
function decideDrafting(config, flags) {
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
async function checkRepoDir(dir, asGiven) {
    const info = await stat(dir).catch(() => undefined);
    const name = asGiven ?? 'the current directory';
    if (!info)
        throw new ConfigurationError(`Cannot review ${name}: ${dir} does not exist.`);
    if (!info.isDirectory())
        throw new ConfigurationError(`Cannot review ${name}: ${dir} is not a folder.`);
}
/** Which of --base / --head git could not resolve, by name. */
function revisionProblem(repoDir, base, head, error) {
    const message = getErrorMessage(error);
    if (/not a git repository/i.test(message))
        return `Cannot review ${repoDir}: it is not a git repository (or any parent folder).`;
    const named = [base !== undefined && `--base ${base}`, `--head ${head ?? 'HEAD'}`].filter(Boolean).join(' / ');
    return `Cannot resolve the revisions to compare in ${repoDir} (${named}): ${message}`;
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
