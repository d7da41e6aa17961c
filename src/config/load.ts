import { tmpdir } from 'node:os';
import type { ParsedConfigFile } from './file.js';
import type { z } from 'zod';
import { ConfigurationError } from '../errors.js';
import { INPUT, INPUT_NAMES, inputEnvName, type InputName } from './inputs.js';
import {
  INPUT_FIELDS,
  astGrepSectionSchema,
  configSchema,
  describeValue,
  partialConfigSchema,
  type AstGrepPattern,
  type Config,
  type ConfigOrigin,
  type ParsedInputs,
} from './schema.js';
import {
  DEFAULTS,
  GITHUB_TOKEN_EXPRESSION,
  INPUT_SPECS,
  RUNNER_TEMP_EXPRESSION,
  SECRET_INPUTS,
} from './table.js';

export { DEFAULTS, LATER_CAPABILITY_INPUTS } from './table.js';

export type { Config, ConfigOrigin } from './schema.js';
export type { ParsedConfigFile } from './file.js';

export interface ConfigSources {
  /** Action inputs by name (see `readActionInputs`); a missing or empty value means "not set". */
  inputs: Readonly<Record<string, string | undefined>>;
  /** The config file as read from the base branch and parsed (`parseConfigFile`, config/file.ts); absent when there is none. */
  configFile?: ParsedConfigFile;
  /** `RUNNER_TEMP`, to expand the `${{ runner.temp }}` of defaults; the OS temp directory when absent. */
  runnerTemp?: string;
}

/** Parses a config file's text; the YAML library loads only here, when a repository has a config file. */
export async function parseConfigText(file: { path: string; text: string }): Promise<ParsedConfigFile> {
  const { parseConfigFile } = await import('./file.js');
  return parseConfigFile(file);
}

/** Reads every input from the environment exactly as @actions/core does: `INPUT_<NAME uppercased, spaces as _>`, trimmed. */
export function readActionInputs(env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const inputs: Record<string, string | undefined> = {};
  for (const name of INPUT_NAMES) inputs[name] = env[inputEnvName(name)]?.trim();
  return inputs;
}

/**
 * Whether the workflow set an input. GitHub passes an input left at its default as the default value, so an input counts as set
 * when its value is not empty and differs from the action.yml default (expanded or not). The cost: an input set explicitly to
 * its default value does not override the config file.
 */
function isUserSet(name: InputName, value: string | undefined, runnerTemp: string): value is string {
  if (value === undefined || value.trim() === '') return false;
  const trimmed = value.trim();
  const defaultValue = DEFAULTS[name];
  return trimmed !== defaultValue && trimmed !== expandDefault(defaultValue, runnerTemp);
}

function expandDefault(value: string, runnerTemp: string): string {
  return value.split(RUNNER_TEMP_EXPRESSION).join(runnerTemp).split(GITHUB_TOKEN_EXPRESSION).join('');
}

/** The config file path and whether the workflow chose it (then a missing file is an error, not "no config"). */
export function configFileLocation(inputs: Readonly<Record<string, string | undefined>>): { path: string; userSet: boolean } {
  const value = inputs[INPUT.configFile];
  const userSet = isUserSet(INPUT.configFile, value, tmpdir());
  const raw = userSet ? value : DEFAULTS[INPUT.configFile];
  const parsed = INPUT_FIELDS[INPUT.configFile].safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `Invalid input '${INPUT.configFile}': ${issue.message}`);
    throw new ConfigurationError(problems.join('\n'));
  }
  return { path: parsed.data, userSet };
}

const CONFIG_FILE_SECTIONS = ['ast-grep'] as const;

/**
 * Merges the action inputs, the config file and the defaults (in that order of precedence) into one validated `Config`.
 * Every problem of every source is collected and thrown together as one `ConfigurationError`, one problem per line.
 */
export function resolveConfig(sources: ConfigSources): Config {
  const runnerTemp = sources.runnerTemp ?? tmpdir();
  const problems: string[] = [];

  const inputValues: Partial<Record<InputName, string>> = {};
  for (const [name, value] of Object.entries(sources.inputs)) {
    if (!isInputName(name)) {
      if (value?.trim()) problems.push(unknownKeyMessage(name, `Unknown input '${name}'.`, INPUT_NAMES));
      continue;
    }
    if (isUserSet(name, value, runnerTemp)) inputValues[name] = value.trim();
  }
  const fromInputs = validate(inputValues, (name) => `Invalid input '${name}'`, problems);

  let fromFile: Partial<ParsedInputs> = {};
  let astGrepPatterns: AstGrepPattern[] = [];
  if (sources.configFile) {
    const file = readConfigFile(sources.configFile, problems);
    const path = sources.configFile.path;
    fromFile = validate(file.values, (name) => `Invalid value for '${name}' in config file ${path}`, problems);
    astGrepPatterns = file.astGrepPatterns;
  }

  const defaults = configSchema.safeParse(
    Object.fromEntries(INPUT_NAMES.map((name) => [name, expandDefault(DEFAULTS[name], runnerTemp)])),
  );
  if (!defaults.success) throw new Error(`Internal error: invalid input defaults: ${defaults.error.message}`);

  if (problems.length > 0) throw new ConfigurationError(redactSecrets(problems, sources.inputs).join('\n'));

  const origins = Object.fromEntries(
    INPUT_NAMES.map((name): [InputName, ConfigOrigin] => [
      name,
      name in fromInputs ? 'input' : name in fromFile ? 'config-file' : 'default',
    ]),
  ) as Record<InputName, ConfigOrigin>;
  const values: ParsedInputs = { ...defaults.data, ...fromFile, ...fromInputs };
  return toConfig(values, astGrepPatterns, origins);
}

function toConfig(values: ParsedInputs, astGrepPatterns: AstGrepPattern[], origins: Record<InputName, ConfigOrigin>): Config {
  return {
    githubToken: values[INPUT.githubToken],
    configFile: values[INPUT.configFile],
    scanners: values[INPUT.scanners],
    rules: values[INPUT.rules],
    filterMode: values[INPUT.filterMode],
    failOn: values[INPUT.failOn],
    failOnScanError: values[INPUT.failOnScanError],
    maxComments: values[INPUT.maxComments],
    maxAnnotations: values[INPUT.maxAnnotations],
    reviewEvent: values[INPUT.reviewEvent],
    mcpGateway: values[INPUT.mcpGateway],
    mcpGatewayImage: values[INPUT.mcpGatewayImage],
    mcpServers: values[INPUT.mcpServers],
    mcpAuditAllowHosts: values[INPUT.mcpAuditAllowHosts],
    testCommand: values[INPUT.testCommand],
    testSetupCommand: values[INPUT.testSetupCommand],
    testImage: values[INPUT.testImage],
    testTimeoutMinutes: values[INPUT.testTimeoutMinutes],
    testSetupNetwork: values[INPUT.testSetupNetwork],
    testEnv: values[INPUT.testEnv],
    testReport: values[INPUT.testReport],
    testMemoryMb: values[INPUT.testMemoryMb],
    sandboxRuntime: values[INPUT.sandboxRuntime],
    localModel: values[INPUT.localModel],
    modelEndpoint: values[INPUT.modelEndpoint],
    draftTimeoutSeconds: values[INPUT.draftTimeoutSeconds],
    modelRunnerImage: values[INPUT.modelRunnerImage],
    modelCacheDir: values[INPUT.modelCacheDir],
    anthropicApiKey: values[INPUT.anthropicApiKey],
    anthropicBaseUrl: values[INPUT.anthropicBaseUrl],
    claudeModel: values[INPUT.claudeModel],
    escalateOn: values[INPUT.escalateOn],
    claudeMaxCalls: values[INPUT.claudeMaxCalls],
    claudeMaxUsd: values[INPUT.claudeMaxUsd],
    sarifFile: values[INPUT.sarifFile],
    astGrepPatterns,
    origins,
  };
}

function isInputName(name: string): name is InputName {
  return (INPUT_NAMES as readonly string[]).includes(name);
}

/** Validates the values one source sets; adds a line per problem (the prefix names the source) and returns the valid ones. */
function validate(
  values: Partial<Record<InputName, unknown>>,
  prefix: (name: InputName) => string,
  problems: string[],
): Partial<ParsedInputs> {
  const result = partialConfigSchema.safeParse(values);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const name = issue.path[0];
    if (typeof name === 'string' && isInputName(name)) problems.push(`${prefix(name)}: ${issue.message}`);
    else problems.push(issue.message);
  }
  return {};
}

interface ConfigFileContent {
  values: Partial<Record<InputName, unknown>>;
  astGrepPatterns: AstGrepPattern[];
}

/** Sorts the parsed config file's keys into input values and sections; problems are added to `problems`. */
function readConfigFile(file: ParsedConfigFile, problems: string[]): ConfigFileContent {
  const content: ConfigFileContent = { values: {}, astGrepPatterns: [] };
  if (file.problems.length > 0) {
    problems.push(...file.problems);
    return content;
  }
  const data = file.data;
  if (data === null || data === undefined) return content;
  if (typeof data !== 'object' || Array.isArray(data)) {
    problems.push(`Invalid config file ${file.path}: expected a mapping of input names to values, got ${describeValue(data)}.`);
    return content;
  }

  const knownKeys = [...INPUT_NAMES.filter((name) => INPUT_SPECS[name].inConfigFile), ...CONFIG_FILE_SECTIONS];
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (key === 'ast-grep') {
      const section = astGrepSectionSchema.safeParse(value ?? {});
      if (section.success) content.astGrepPatterns = section.data.patterns;
      else problems.push(...section.error.issues.map((issue) => sectionProblem(file.path, key, issue)));
    } else if (!isInputName(key)) {
      problems.push(unknownKeyMessage(key, `Unknown key '${key}' in config file ${file.path}.`, knownKeys));
    } else if (!INPUT_SPECS[key].inConfigFile) {
      problems.push(notInConfigFileMessage(key, file.path));
    } else if (typeof value === 'string' && value.includes('${{')) {
      problems.push(
        `Invalid value for '${key}' in config file ${file.path}: GitHub expressions (\${{ … }}) are expanded only in workflow inputs, not in the config file.`,
      );
    } else if (value !== null && !(typeof value === 'string' && value.trim() === '')) {
      content.values[key] = value;
    }
  }
  return content;
}

function sectionProblem(path: string, section: string, issue: z.core.$ZodIssue): string {
  const where = issue.path.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : `${text}.${String(part)}`),
    section,
  );
  return `Invalid value for '${where}' in config file ${path}: ${issue.message}`;
}

function notInConfigFileMessage(name: InputName, path: string): string {
  if (INPUT_SPECS[name].secret) {
    return `'${name}' cannot be set in config file ${path}: a secret does not belong in a file committed to the repository. Pass it as the action input '${name}' from a secret (\${{ secrets.… }}); the value is not shown here.`;
  }
  return `'${name}' cannot be set in config file ${path}: it says where the config file is. Set the action input '${name}' instead.`;
}

function unknownKeyMessage(key: string, lead: string, knownKeys: readonly string[]): string {
  const suggestion = closestKey(key, knownKeys);
  const hint = suggestion ? ` Did you mean '${suggestion}'?` : '';
  return `${lead}${hint} Known keys: ${knownKeys.join(', ')}.`;
}

/** The known key nearest to a mistyped one (camelCase and snake_case spellings count as the kebab-case key), if close enough. */
export function closestKey(key: string, knownKeys: readonly string[]): string | undefined {
  const normalized = key
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[_\s]+/g, '-')
    .toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const known of knownKeys) {
    const distance = editDistance(normalized, known);
    if (!best || distance < best.distance) best = { key: known, distance };
  }
  if (!best) return undefined;
  return best.distance <= Math.max(2, Math.floor(best.key.length / 3)) ? best.key : undefined;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Belt and braces: no message may carry a secret input's value, whatever produced it. */
function redactSecrets(messages: string[], inputs: Readonly<Record<string, string | undefined>>): string[] {
  const secrets = SECRET_INPUTS.map((name) => inputs[name]?.trim() ?? '').filter(
    (value) => value.length >= 4 && !value.includes('${{'),
  );
  return messages.map((message) => secrets.reduce((text, secret) => text.split(secret).join('***'), message));
}
