import { z } from 'zod';
import {
  FILTER_MODES,
  SCANNER_NAMES,
  SEVERITIES,
  type EscalateOn,
  type FailOn,
  type FilterMode,
  type ScannerName,
  type Severity,
} from '../types.js';
import { isCredentialName } from '../text/redact.js';
import { parseHostPattern } from '../scanners/mcp-audit/addresses.js';
import { INPUT, type InputName } from './inputs.js';

/**
 * How each input's raw value (a string from the workflow, or a YAML value from the config file) becomes a typed value.
 * Issue messages say only what is wrong with the value and what is allowed; the loader prefixes where the value came from.
 */

export const FAIL_ON_VALUES = ['none', 'info', 'low', 'medium', 'high', 'critical'] as const satisfies readonly FailOn[];
export const REVIEW_EVENTS = ['comment', 'request-changes'] as const;
export type ReviewEvent = (typeof REVIEW_EVENTS)[number];
export const MCP_GATEWAY_MODES = ['auto', 'on', 'off'] as const;
export type McpGatewayMode = (typeof MCP_GATEWAY_MODES)[number];
export const ESCALATE_ON_VALUES = ['critical', 'high'] as const satisfies readonly EscalateOn[];
export type { EscalateOn };

/** A pattern search from the config file's `ast-grep.patterns`, run through the MCP gateway (scanners/mcp-patterns). */
export interface AstGrepPattern {
  id: string;
  pattern: string;
  language: string;
  message: string;
  severity: Severity;
}

/** Where a configuration value came from. */
export type ConfigOrigin = 'input' | 'config-file' | 'default';

/** The validated configuration, read once at start-up. */
export interface Config {
  /** Empty when no token was given (the CLI without GITHUB_TOKEN). */
  githubToken: string;
  /** Repository-relative path of the config file, read from the base branch. */
  configFile: string;
  /** Deduplicated, never empty. */
  scanners: ScannerName[];
  /** Extra ast-grep rule directories or sgconfig.yml files. */
  rules: string[];
  filterMode: FilterMode;
  failOn: FailOn;
  /** A review that did not run fully fails the check run (else it is neutral). */
  failOnScanError: boolean;
  maxComments: number;
  /** Check-run annotations per run. */
  maxAnnotations: number;
  reviewEvent: ReviewEvent;
  mcpGateway: McpGatewayMode;
  mcpGatewayImage: string;
  mcpServers: string[];
  /** Remote MCP hosts the audit may contact although they are or resolve to internal addresses: names, `*.suffix`, CIDRs (lowercase). */
  mcpAuditAllowHosts: string[];
  /** Undefined: no test run. */
  testCommand: string | undefined;
  testSetupCommand: string | undefined;
  testImage: string;
  testTimeoutMinutes: number;
  /** The setup phase's network; the test phase never has one. */
  testSetupNetwork: boolean;
  /** Names of runner environment variables passed into the sandbox (never credential names: refused here). */
  testEnv: string[];
  /** Report globs; empty: the defaults. */
  testReport: string[];
  testMemoryMb: number;
  /** Undefined: the engine's default runtime. */
  sandboxRuntime: string | undefined;
  /** Undefined when `local-model: off`: drafts use templates. */
  localModel: string | undefined;
  /** Without a trailing slash. */
  modelEndpoint: string;
  /** Time for all local drafts together; what does not fit gets template text. */
  draftTimeoutSeconds: number;
  /** Started when `model-endpoint` (a local Model Runner URL) does not answer and a Docker engine does. */
  modelRunnerImage: string;
  /** Host folder for the Model Runner's models; undefined: the runner's tool cache (or ~/.cache) below `ultra-create/models`. */
  modelCacheDir: string | undefined;
  /** Undefined: no Claude escalation. */
  anthropicApiKey: string | undefined;
  /** Undefined: the SDK default (or ANTHROPIC_BASE_URL). */
  anthropicBaseUrl: string | undefined;
  claudeModel: string;
  escalateOn: EscalateOn;
  claudeMaxCalls: number;
  claudeMaxUsd: number;
  /** Absolute when the default was used (`${{ runner.temp }}` expanded). */
  sarifFile: string;
  /** The config file's `ast-grep.patterns`; empty without a config file. */
  astGrepPatterns: AstGrepPattern[];
  /** Where each value came from, for the log. */
  origins: Readonly<Record<InputName, ConfigOrigin>>;
}

/** How a value is shown in a message: strings quoted (and shortened), other values by kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 80 ? `${value.slice(0, 77)}…` : value;
    return JSON.stringify(shown);
  }
  if (Array.isArray(value)) return 'a list';
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return `a ${typeof value}`; // a function or a symbol: never from YAML or an input
}

/** Comma- or newline-separated text, or a YAML list, to a list of trimmed non-empty items (non-strings kept for the error). */
function splitList(value: unknown): unknown {
  const items = typeof value === 'string' ? value.split(/[,\n]/) : value;
  if (!Array.isArray(items)) return value;
  return items.map((item: unknown) => (typeof item === 'string' ? item.trim() : item)).filter((item) => item !== '');
}

const dedupe = <T>(items: T[]): T[] => [...new Set(items)];

function trimString(value: unknown): unknown {
  return typeof value === 'string' ? value.trim() : value;
}

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function toNumber(value: unknown): unknown {
  if (typeof value === 'string' && NUMBER_TEXT.test(value.trim())) return Number(value.trim());
  return value;
}

const notAString = (issue: { input?: unknown }) => `expected text, got ${describeValue(issue.input)}.`;

function enumField<const T extends readonly string[]>(values: T) {
  return z.preprocess(
    trimString,
    z.enum(values, {
      error: (issue) =>
        issue.input === undefined
          ? `missing; give one of ${values.join(', ')}.`
          : `${describeValue(issue.input)} is not one of ${values.join(', ')}.`,
    }),
  );
}

function listOf<const T extends readonly string[]>(values: T, options: { nonEmpty: boolean }) {
  const element = z.enum(values, { error: (issue) => `${describeValue(issue.input)} is not one of ${values.join(', ')}.` });
  const list = z.array(element, { error: (issue) => `expected a list, got ${describeValue(issue.input)}.` });
  const checked = options.nonEmpty
    ? list.min(1, { error: `the list is empty; give at least one of ${values.join(', ')}.` })
    : list;
  return z.preprocess(splitList, checked.transform(dedupe));
}

/** YAML's spellings of true and false (as @actions/core's getBooleanInput takes them). */
function booleanField() {
  const values: Readonly<Record<string, boolean>> = { true: true, True: true, TRUE: true, false: false, False: false, FALSE: false };
  const error = (issue: { input?: unknown }) => `${describeValue(issue.input)} is not true or false.`;
  return z.preprocess(
    (value) => (typeof value === 'string' && value.trim() in values ? values[value.trim()] : value),
    z.boolean({ error }),
  );
}

function numberField(min: number, max: number, options: { integer: boolean; note?: string }) {
  const allowed = `${options.integer ? 'an integer' : 'a number'} from ${min} to ${max}`;
  const note = options.note ? ` ${options.note}` : '';
  const error = (issue: { input?: unknown }) => `${describeValue(issue.input)} is not ${allowed}.${note}`;
  const base = z.number({ error }).min(min, { error }).max(max, { error });
  return z.preprocess(toNumber, options.integer ? base.int({ error }) : base);
}

function textField(check: (value: string) => boolean, allowed: string) {
  return z.preprocess(
    trimString,
    z
      .string({ error: notAString })
      .refine(check, { error: (issue) => `${describeValue(issue.input)} is not ${allowed}.` }),
  );
}

// Docker's reference grammar (distribution/reference), with the digest restricted to sha256.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_REFERENCE = new RegExp(
  `^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`,
);

export function isImageReference(value: string): boolean {
  const match = IMAGE_REFERENCE.exec(value);
  return match !== null && (match[1]?.length ?? 0) <= 255;
}

export function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

// No control characters (NUL, newlines, …) in paths and single-line values.
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are refused in paths and one-line values
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const isPath = (value: string) => value !== '' && !CONTROL_CHARACTER.test(value);

function isRepositoryPath(value: string): boolean {
  if (!isPath(value) || value.startsWith('/') || /^[a-zA-Z]:/.test(value) || value.endsWith('/')) return false;
  return value.split(/[\\/]/).every((segment) => segment !== '..');
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RUNTIME_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** What the sandbox sets itself: the runner's values would be wrong inside (its PATH, its HOME). */
const SANDBOX_OWN_ENV = ['HOME', 'PATH', 'TMPDIR', 'CI', 'USER'];
const CREDENTIAL_PART = /(?:^|_)(?:TOKEN|KEY|SECRET|SECRETS|PASSWORD|PASSWD|PASS|PWD|CREDENTIAL|CREDENTIALS|AUTH|PAT|APIKEY|PRIVATE)(?:_|$)/i;

/** `GITHUB_TOKEN`, `ANTHROPIC_API_KEY`, `FOO_KEY`, `DB_PASSWORD_PROD`, `npmAuthToken`: never passed into the sandbox. */
export function looksLikeCredentialName(name: string): boolean {
  const snake = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2');
  return CREDENTIAL_PART.test(snake) || isCredentialName(name);
}

function isRepositoryGlob(value: string): boolean {
  return isRepositoryPath(value.replace(/\/+$/, '') || '.') && !value.startsWith('!');
}

const MCP_SERVER_NAME = /^[a-z0-9][a-z0-9-_.]*$/;
const MODEL_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._\-/]*(?::[A-Za-z0-9._-]+)?$/;
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/;

const secretField = z.string({ error: 'expected text (value not shown).' });

const optionalText = z.preprocess(
  trimString,
  z.string({ error: notAString }).transform((value) => (value === '' ? undefined : value)),
);

/** One schema per input, keyed by input name. */
export const INPUT_FIELDS = {
  [INPUT.githubToken]: secretField,
  [INPUT.configFile]: textField(isRepositoryPath, 'a path relative to the repository root (no "..", not absolute)'),
  [INPUT.scanners]: listOf(SCANNER_NAMES, { nonEmpty: true }),
  [INPUT.rules]: z.preprocess(
    splitList,
    z
      .array(
        z
          .string({ error: notAString })
          .refine(isPath, { error: (issue) => `${describeValue(issue.input)} is not a path (control characters).` }),
        { error: (issue) => `expected a list of paths, got ${describeValue(issue.input)}.` },
      )
      .transform(dedupe),
  ),
  [INPUT.filterMode]: enumField(FILTER_MODES),
  [INPUT.failOn]: enumField(FAIL_ON_VALUES),
  [INPUT.failOnScanError]: booleanField(),
  [INPUT.maxComments]: numberField(0, 100, {
    integer: true,
    note: 'GitHub applies secondary rate limits to bots that post more than about 50 comments; the findings beyond the cap are summarized in the review body.',
  }),
  [INPUT.maxAnnotations]: numberField(0, 10_000, { integer: true }),
  [INPUT.reviewEvent]: enumField(REVIEW_EVENTS),
  [INPUT.mcpGateway]: enumField(MCP_GATEWAY_MODES),
  [INPUT.mcpGatewayImage]: textField(isImageReference, 'an image reference name[:tag][@sha256:<64 hex>]'),
  [INPUT.mcpServers]: z.preprocess(
    splitList,
    z
      .array(
        z.string({ error: notAString }).regex(MCP_SERVER_NAME, {
          error: (issue) => `${describeValue(issue.input)} is not a catalog server name ([a-z0-9][a-z0-9-_.]*).`,
        }),
        { error: (issue) => `expected a list of server names, got ${describeValue(issue.input)}.` },
      )
      .transform(dedupe),
  ),
  [INPUT.mcpAuditAllowHosts]: z.preprocess(
    splitList,
    z
      .array(
        z.string({ error: notAString }).superRefine((value, ctx) => {
          const parsed = parseHostPattern(value);
          if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: `${describeValue(value)} ${parsed}.` });
        }),
        { error: (issue) => `expected a list of host names, *.suffix wildcards or CIDRs, got ${describeValue(issue.input)}.` },
      )
      .transform((values) => dedupe(values.map((value) => value.trim().toLowerCase()))),
  ),
  [INPUT.testCommand]: optionalText,
  [INPUT.testSetupCommand]: optionalText,
  [INPUT.testImage]: textField(isImageReference, 'an image reference name[:tag][@sha256:<64 hex>]'),
  [INPUT.testTimeoutMinutes]: numberField(1, 360, { integer: false }),
  [INPUT.testSetupNetwork]: z.preprocess(
    (value) => (typeof value === 'boolean' ? String(value) : trimString(value)),
    z.enum(['true', 'false'], { error: (issue) => `${describeValue(issue.input)} is not true or false.` }).transform((value) => value === 'true'),
  ),
  [INPUT.testEnv]: z.preprocess(
    splitList,
    z
      .array(
        z
          .string({ error: notAString })
          .refine((name) => ENV_NAME.test(name), { error: (issue) => `${describeValue(issue.input)} is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*).` })
          .refine((name) => !SANDBOX_OWN_ENV.includes(name.toUpperCase()), {
            error: (issue) => `${describeValue(issue.input)} is set by the sandbox itself (${SANDBOX_OWN_ENV.join(', ')}): it cannot be passed in.`,
          })
          .refine((name) => !looksLikeCredentialName(name), {
            error: (issue) =>
              `${describeValue(issue.input)} names a credential: tokens, keys, secrets and passwords never enter the sandbox, where the pull request's code runs.`,
          }),
        { error: (issue) => `expected a list of environment variable names, got ${describeValue(issue.input)}.` },
      )
      .transform(dedupe),
  ),
  [INPUT.testReport]: z.preprocess(
    splitList,
    z
      .array(
        z.string({ error: notAString }).refine(isRepositoryGlob, {
          error: (issue) => `${describeValue(issue.input)} is not a glob relative to the repository (no "..", not absolute).`,
        }),
        { error: (issue) => `expected a list of globs, got ${describeValue(issue.input)}.` },
      )
      .transform(dedupe),
  ),
  [INPUT.testMemoryMb]: numberField(256, 65536, { integer: true }),
  [INPUT.sandboxRuntime]: z.preprocess(
    trimString,
    z
      .string({ error: notAString })
      .refine((value) => value === '' || RUNTIME_NAME.test(value), {
        error: (issue) => `${describeValue(issue.input)} is not empty or a runtime name such as runsc.`,
      })
      .transform((value) => (value === '' ? undefined : value)),
  ),
  [INPUT.localModel]: z.preprocess(
    trimString,
    z
      .string({ error: notAString })
      .refine((value) => value === 'off' || MODEL_REFERENCE.test(value), {
        error: (issue) => `${describeValue(issue.input)} is not off or a model reference such as ai/llama3.2:1B-Q8_0.`,
      })
      .transform((value) => (value === 'off' ? undefined : value)),
  ),
  [INPUT.modelEndpoint]: textField(isHttpUrl, 'an http(s) URL').transform((value) => value.replace(/\/+$/, '')),
  [INPUT.draftTimeoutSeconds]: numberField(1, 3600, { integer: false }),
  [INPUT.modelRunnerImage]: textField(isImageReference, 'an image reference name[:tag][@sha256:<64 hex>]'),
  [INPUT.modelCacheDir]: z.preprocess(
    trimString,
    z
      .string({ error: notAString })
      .refine((value) => value === '' || isPath(value), { error: (issue) => `${describeValue(issue.input)} is not a folder path.` })
      .transform((value) => (value === '' ? undefined : value)),
  ),
  [INPUT.anthropicApiKey]: secretField.transform((value) => (value === '' ? undefined : value)),
  [INPUT.anthropicBaseUrl]: z.preprocess(
    trimString,
    z
      .string({ error: notAString })
      .refine((value) => value === '' || isHttpUrl(value), {
        error: (issue) => `${describeValue(issue.input)} is not empty or an http(s) URL.`,
      })
      .transform((value) => (value === '' ? undefined : value.replace(/\/+$/, ''))),
  ),
  [INPUT.claudeModel]: textField((value) => MODEL_ID.test(value), 'a model id such as claude-opus-4-5'),
  [INPUT.escalateOn]: enumField(ESCALATE_ON_VALUES),
  [INPUT.claudeMaxCalls]: numberField(0, 1000, { integer: true }),
  [INPUT.claudeMaxUsd]: numberField(0, 1000, { integer: false }),
  [INPUT.sarifFile]: textField(isPath, 'a file path'),
} satisfies Record<InputName, z.ZodType>;

/** The whole configuration, keyed by input name; each field takes a raw value and gives the typed one. */
export const configSchema = z.object(INPUT_FIELDS);
export type ParsedInputs = z.output<typeof configSchema>;

/** Any subset of the inputs (what one source sets). */
export const partialConfigSchema = configSchema.partial();

const PATTERN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const LANGUAGE = /^[A-Za-z][A-Za-z0-9+#_-]*$/;

/** A required single line of text in a pattern: `what` names it in messages, `pattern` (optional) checks its form. */
function patternText(what: string, pattern?: { regex: RegExp; allowed: string }) {
  const text = z
    .string({
      error: (issue) =>
        issue.input === undefined ? `missing; give ${what}.` : `expected ${what}, got ${describeValue(issue.input)}.`,
    })
    .min(1, { error: `${what} is empty.` });
  const checked = pattern
    ? text.regex(pattern.regex, { error: (issue) => `${describeValue(issue.input)} is not ${pattern.allowed}.` })
    : text;
  return z.preprocess(trimString, checked);
}

const astGrepPatternSchema = z.strictObject(
  {
    id: patternText('an id', { regex: PATTERN_ID, allowed: "an id (letters, digits, '.', '_', '-')" }),
    pattern: patternText('an ast-grep pattern'),
    language: patternText('a language', { regex: LANGUAGE, allowed: 'a language name such as typescript or python' }),
    message: patternText('a message'),
    severity: enumField(SEVERITIES),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key ${issue.keys.map((key) => `'${key}'`).join(', ')}; a pattern has id, pattern, language, message, severity.`
        : `expected a mapping with id, pattern, language, message, severity, got ${describeValue(issue.input)}.`,
  },
);

/** The config file's `ast-grep:` section. */
export const astGrepSectionSchema = z
  .strictObject(
    {
      patterns: z
        .array(astGrepPatternSchema, {
          error: (issue) => `expected a list of patterns, got ${describeValue(issue.input)}.`,
        })
        .nullish()
        .transform((patterns) => patterns ?? []),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown key ${issue.keys.map((key) => `'${key}'`).join(', ')}; the section has only 'patterns'.`
          : `expected a mapping with 'patterns', got ${describeValue(issue.input)}.`,
    },
  )
  .superRefine((section, ctx) => {
    const seen = new Set<string>();
    section.patterns.forEach((pattern, index) => {
      if (seen.has(pattern.id)) {
        ctx.addIssue({ code: 'custom', path: ['patterns', index, 'id'], message: `duplicate id ${describeValue(pattern.id)}.` });
      }
      seen.add(pattern.id);
    });
  });

export type AstGrepSection = z.output<typeof astGrepSectionSchema>;
