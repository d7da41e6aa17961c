import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Logger } from '../../logger.js';
import type { RuleInfo } from '../../types.js';
import { SEVERITIES, type Severity } from '../../types.js';
import { stripAnsi } from './process.js';
import { needsOfRule, type Needs } from './rule-needs.js';
import { FORWARD_PROBE_IDS, PARAM_COPY_SUFFIX } from './cross-file.js';

/**
 * ast-grep rule files → a catalog of `RuleInfo`, and the effective configuration folders the scanner runs: one for the built-in
 * pack (with a `tsx` copy of every TypeScript rule), one for the repository's own rules plus the `rules` input. Each rule document
 * becomes a file of its own there, so that a document that does not parse can be left out without losing its neighbours.
 */

/** One YAML document of a rule (or util) file. */
export interface RuleDocument {
  /** For messages: `rules/js/eval.yml`, `rules/all.yml#2` for the second document of a file. */
  origin: string;
  /** The source file on disk. */
  sourceFile: string;
  id?: string;
  /** As written (`typescript`, `TypeScript`, `ts`, …). */
  language?: string;
  /** ast-grep severity as written; `hint` when absent. */
  astGrepSeverity: string;
  /** The parsed document, when it parsed as a mapping. */
  content?: Record<string, unknown>;
  /**
   * The document's text, preceded by as many blank lines as came before it in its file: the line numbers in ast-grep's
   * messages are then those of the source file.
   */
  text: string;
  /** What a file's text must contain for the rule to match there (built-in rules; see rule-needs.ts). */
  needs?: Needs;
}

export interface RuleSet {
  rules: RuleDocument[];
  utils: RuleDocument[];
  /** sgconfig `languageGlobs`, merged. */
  languageGlobs: Record<string, string[]>;
  /** Names declared under `customLanguages` (never loaded: they are native libraries). */
  customLanguages: Set<string>;
  /** Rules with `severity: off`: not run, but their ids still replace built-in rules (that is how a repository turns one off). */
  disabled: RuleDocument[];
  /** Rules and files left out before ast-grep saw them, each naming its subject. */
  warnings: string[];
}

/** A rule or util that ast-grep refused, with its reason. */
export interface RuleExclusion {
  doc: RuleDocument;
  kind: 'rule' | 'util';
  reason: string;
}

/** Suffix of the `tsx` copies of the built-in TypeScript rules; the scanner strips it from rule ids. */
export const TSX_ID_SUFFIX = '@tsx';

const AST_GREP_SEVERITY_MAP: Readonly<Record<string, Severity>> = {
  error: 'high',
  warning: 'medium',
  info: 'low',
  hint: 'info',
};

/** `metadata.severity` when it is one of ours, else mapped from ast-grep's severity (error→high, warning→medium, info→low, hint→info). */
export function severityOf(astGrepSeverity: unknown, metadataSeverity?: unknown): Severity {
  if (typeof metadataSeverity === 'string' && (SEVERITIES as readonly string[]).includes(metadataSeverity)) {
    return metadataSeverity as Severity;
  }
  return (typeof astGrepSeverity === 'string' && AST_GREP_SEVERITY_MAP[astGrepSeverity.toLowerCase()]) || 'info';
}

/** A rule document's `metadata` (empty when it has none). */
export function metadataOf(doc: RuleDocument): Record<string, unknown> {
  return asRecord(doc.content?.metadata) ?? {};
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 ? value.trim() : undefined;
}

function asStringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The rule's message with its metavariables taken out: `A credential ($NAME) is hard-coded` → `A credential is hard-coded`. */
export function describeMessage(message: string): string {
  return message
    .replace(/\s*\(\s*\$+[A-Z_][A-Z0-9_]*\s*\)/g, '')
    .replace(/\$+[A-Z_][A-Z0-9_]*(?:[.:-]\$+[A-Z_][A-Z0-9_]*)*/g, '…')
    .replace(/\s+/g, ' ')
    .trim();
}

/** What a rule's findings become in test code (`metadata.in-tests`); see `applyTestPolicy` in scan.ts. */
export type InTestsPolicy = 'report' | 'downgrade' | 'skip';
export const IN_TESTS_POLICIES: readonly InTestsPolicy[] = ['report', 'downgrade', 'skip'];

/** `metadata.in-tests` of a rule; absent or not one of the three values: `report`. */
export function inTestsPolicyOf(doc: RuleDocument): InTestsPolicy {
  const value = metadataOf(doc)['in-tests'];
  return typeof value === 'string' && (IN_TESTS_POLICIES as readonly string[]).includes(value) ? (value as InTestsPolicy) : 'report';
}

/**
 * One line for SARIF's `shortDescription`: `metadata.short` when the rule gives one, else the message without its metavariables.
 * A metavariable that stood as the subject of a call (`$FN() runs code from …`) or alone between words leaves nothing readable
 * behind, so the derived line drops such fragments instead of printing `() runs code`.
 */
export function shortDescriptionOf(message: string | undefined, short: string | undefined, id: string): string {
  if (short) return short.replace(/\s+/g, ' ').trim();
  if (!message) return id;
  const described = describeMessage(message)
    .replace(/…\s*\([^)]*\)/g, '…')
    .replace(/(^|\s)\(\)/g, '$1')
    .replace(/\s*…\s*/g, ' ')
    .replace(/\s+([.,;:])(?=\s|$)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  // A sentence starts with a capital, unless it starts with code (`eval()`, `yaml.load()`, `document.write`).
  const sentence = /^[A-Za-z]+[\s,;:]/.test(described) ? described.charAt(0).toUpperCase() + described.slice(1) : described;
  return sentence || id;
}

export function ruleInfoOf(doc: RuleDocument): RuleInfo | undefined {
  if (!doc.id) return undefined;
  const content = doc.content ?? {};
  const metadata = asRecord(content.metadata) ?? {};
  const message = asString(content.message);
  const note = asString(content.note);
  const url = asString(content.url) ?? asString(metadata.url) ?? asString(metadata.references);
  const cwe =
    asString(metadata.cwe)?.match(/CWE-\d+/)?.[0] ?? [...(note ?? '').matchAll(/CWE-\d+/g)].map((m) => m[0]).pop();
  const info: RuleInfo = {
    id: doc.id,
    source: 'ast-grep',
    severity: severityOf(doc.astGrepSeverity, metadata.severity),
    shortDescription: shortDescriptionOf(message, asString(metadata.short), doc.id),
  };
  if (note) info.fullDescription = note;
  if (url && /^https?:\/\//.test(url)) info.helpUri = url;
  if (cwe) info.cwe = cwe;
  const category = asString(metadata.category);
  if (category) info.category = category;
  return info;
}

function isOff(doc: RuleDocument): boolean {
  return doc.astGrepSeverity.toLowerCase() === 'off';
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/** Splits a rule file into its documents. A file the YAML parser cannot split stays one document (ast-grep will say why). */
export async function readRuleFile(path: string, origin: string): Promise<RuleDocument[]> {
  const text = await readFile(path, 'utf8');
  // The YAML library loads only when a rule file is parsed (the built-in pack comes parsed in dist/).
  const { parseAllDocuments } = await import('yaml');
  const docs = parseAllDocuments(text, { prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const wholeFile = (): RuleDocument[] => {
    const id = /^id:\s*["']?([^\s"'#]+)/m.exec(text)?.[1];
    const language = /^language:\s*["']?([^\s"'#]+)/m.exec(text)?.[1];
    const severity = /^severity:\s*["']?([^\s"'#]+)/m.exec(text)?.[1];
    return [{ origin, sourceFile: path, id, language, astGrepSeverity: severity ?? 'hint', text }];
  };
  if (list.some((d) => d.errors.length > 0)) return wholeFile();
  const nonEmpty = list.filter((d) => d.contents !== null);
  if (nonEmpty.length === 0) return [];
  return nonEmpty.map((doc, index) => {
    const content = asRecord(doc.toJS({ maxAliasCount: 100 }));
    const [start, , end] = doc.range;
    const linesBefore = text.slice(0, start).split('\n').length - 1;
    const slice = nonEmpty.length === 1 ? text : '\n'.repeat(linesBefore) + text.slice(start, end);
    return {
      origin: nonEmpty.length === 1 ? origin : `${origin}#${index + 1}`,
      sourceFile: path,
      id: content ? asString(content.id) : undefined,
      language: content ? asString(content.language) : undefined,
      astGrepSeverity: (content && asString(content.severity)) ?? 'hint',
      content,
      text: slice,
    };
  });
}

async function listYamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (current: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '__snapshots__' && entry.name !== 'node_modules') await walk(path);
      } else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) {
        out.push(path);
      }
    }
  };
  await walk(dir);
  return out.sort();
}

interface SgConfig {
  ruleDirs: string[];
  utilDirs: string[];
  languageGlobs: Record<string, string[]>;
  customLanguages: string[];
}

async function readSgConfig(path: string): Promise<SgConfig> {
  const { parseDocument } = await import('yaml');
  const parsed = asRecord(parseDocument(await readFile(path, 'utf8'), { prettyErrors: false }).toJS()) ?? {};
  const globs: Record<string, string[]> = {};
  for (const [language, value] of Object.entries(asRecord(parsed.languageGlobs) ?? {})) {
    globs[language] = asStringList(value);
  }
  return {
    ruleDirs: asStringList(parsed.ruleDirs),
    utilDirs: asStringList(parsed.utilDirs),
    languageGlobs: globs,
    customLanguages: Object.keys(asRecord(parsed.customLanguages) ?? {}),
  };
}

function mergeGlobs(into: Record<string, string[]>, from: Record<string, string[]>): void {
  for (const [language, globs] of Object.entries(from)) {
    const list = (into[language] ??= []);
    for (const glob of globs) if (!list.includes(glob)) list.push(glob);
  }
}

/** Inside `root`, or undefined (a config naming `../elsewhere`). */
function within(root: string, path: string): string | undefined {
  const full = resolve(root, path);
  return full === resolve(root) || full.startsWith(resolve(root) + sep) ? full : undefined;
}

async function readConfigRules(configPath: string, label: string, set: RuleSet): Promise<void> {
  const root = dirname(configPath);
  let config: SgConfig;
  try {
    config = await readSgConfig(configPath);
  } catch (error) {
    set.warnings.push(`${label}: sgconfig.yml could not be read and its rules were not run: ${(error as Error).message}`);
    return;
  }
  for (const name of config.customLanguages) set.customLanguages.add(name);
  // Custom languages are never loaded (native code from the repository), so their globs cannot be mapped either.
  const globs = Object.fromEntries(Object.entries(config.languageGlobs).filter(([language]) => !set.customLanguages.has(language)));
  mergeGlobs(set.languageGlobs, globs);
  const originOf = (file: string): string => toPosix(join(label, relative(root, file))).replace(/^\.\//, '');
  for (const [kind, dirs] of [
    ['rules', config.ruleDirs],
    ['utils', config.utilDirs],
  ] as const) {
    for (const dir of dirs) {
      const full = within(root, dir);
      if (!full || !existsSync(full)) {
        set.warnings.push(`${label}: ${kind === 'rules' ? 'ruleDirs' : 'utilDirs'} entry ${dir} does not exist.`);
        continue;
      }
      for (const file of await listYamlFiles(full)) {
        const docs = await readThirdPartyRuleFile(file, originOf(file), set);
        if (kind === 'rules') set.rules.push(...docs);
        else set.utils.push(...docs);
      }
    }
  }
}

/**
 * A third-party rule file, parsed on its own: one that cannot be read or expanded (a YAML alias bomb is refused past 100 aliases) is
 * left out with a warning naming it, and every other file, the built-in pack included, still runs.
 */
async function readThirdPartyRuleFile(path: string, origin: string, set: RuleSet): Promise<RuleDocument[]> {
  try {
    return await readRuleFile(path, origin);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    set.warnings.push(`The ast-grep rule file ${origin} was not run: it could not be parsed (${reason}).`);
    return [];
  }
}

/** A rule-test case (`valid:`/`invalid:` snippets) found among plain rule files. */
function isRuleTest(doc: RuleDocument): boolean {
  const content = doc.content;
  return content !== undefined && !('rule' in content) && ('valid' in content || 'invalid' in content);
}

function emptySet(): RuleSet {
  return { rules: [], utils: [], languageGlobs: {}, customLanguages: new Set(), disabled: [], warnings: [] };
}

/**
 * The built-in pack, parsed at build time: `npm run build` writes `rule-pack.json` beside `dist/rules` (scripts/compile-rule-pack.ts),
 * so that a run does not parse 40 YAML files again. Sources (`src/`, tests) have none and parse the YAML.
 */
export const COMPILED_PACK_FILE = 'rule-pack.json';
const COMPILED_PACK_FORMAT = 2;

interface CompiledPack {
  format: typeof COMPILED_PACK_FORMAT;
  rules: RuleDocument[];
  utils: RuleDocument[];
  languageGlobs: Record<string, string[]>;
  customLanguages: string[];
  disabled: RuleDocument[];
}

/** Keys of a rule that only ast-grep reads: a run reads the rule's text from its file, the rest (metadata, message) from here. */
const MATCHER_KEYS = ['rule', 'utils', 'constraints', 'transform', 'rewriters'];

/**
 * A rule's parsed document without what only ast-grep reads (half of the pack, and most of the time it takes to read it), unless
 * its tsx copy is built from the parsed document (see tsxCopyOf).
 */
function withoutMatcher(doc: RuleDocument): RuleDocument['content'] {
  if (!doc.content || !hasOneIdAndLanguageLine(doc.text)) return doc.content;
  return Object.fromEntries(Object.entries(doc.content).filter(([key]) => !MATCHER_KEYS.includes(key)));
}

/** The pack as `rule-pack.json` holds it: source files relative to the rule folder, so the file is the same on every machine. */
export function serializeBuiltinRules(set: RuleSet, dir: string): string {
  const relativeTo = (doc: RuleDocument): RuleDocument => ({ ...doc, sourceFile: toPosix(relative(dir, doc.sourceFile)), content: withoutMatcher(doc) });
  const pack: CompiledPack = {
    format: COMPILED_PACK_FORMAT,
    rules: set.rules.map(relativeTo),
    utils: set.utils.map(relativeTo),
    languageGlobs: set.languageGlobs,
    customLanguages: [...set.customLanguages].sort(),
    disabled: set.disabled.map(relativeTo),
  };
  return `${JSON.stringify(pack)}\n`;
}

async function readCompiledPack(dir: string): Promise<RuleSet | undefined> {
  let text: string;
  try {
    text = await readFile(join(dirname(dir), COMPILED_PACK_FILE), 'utf8');
  } catch {
    return undefined;
  }
  // Read loosely: a rule-pack.json of another build may have another shape.
  const pack = JSON.parse(text) as Omit<CompiledPack, 'format'> & { format: unknown };
  if (pack.format !== COMPILED_PACK_FORMAT) throw new Error(`${COMPILED_PACK_FILE} beside ${dir} has format ${String(pack.format)}; rebuild with npm run build.`);
  const absolute = (doc: RuleDocument): RuleDocument => ({ ...doc, sourceFile: join(dir, doc.sourceFile) });
  return {
    rules: pack.rules.map(absolute),
    utils: pack.utils.map(absolute),
    languageGlobs: pack.languageGlobs,
    customLanguages: new Set(pack.customLanguages),
    disabled: pack.disabled.map(absolute),
    warnings: [],
  };
}

/** The built-in pack (compiled, or as found in `rules/`, whose `sgconfig.yml` names the folders). A pack that does not read is a bug: throws. */
export async function loadBuiltinRules(dir: string): Promise<RuleSet> {
  return (await readCompiledPack(dir)) ?? parseBuiltinRules(dir);
}

/** The built-in pack from its YAML files. */
export async function parseBuiltinRules(dir: string): Promise<RuleSet> {
  const set = emptySet();
  await readConfigRules(join(dir, 'sgconfig.yml'), '', set);
  if (set.warnings.length > 0) throw new Error(`The built-in rule pack in ${dir} is broken: ${set.warnings.join(' ')}`);
  for (const doc of [...set.rules, ...set.utils]) doc.origin = `rules/${doc.origin}`;
  const seen = new Map<string, string>();
  for (const doc of set.rules) {
    if (!doc.content || !doc.id) throw new Error(`The built-in rule ${doc.origin} does not parse or has no id.`);
    const first = seen.get(doc.id);
    if (first) throw new Error(`The built-in rules ${first} and ${doc.origin} have the same id ${doc.id}.`);
    seen.set(doc.id, doc.origin);
  }
  set.rules = set.rules.filter((doc) => !isOff(doc));
  // (the call probes get one too: the forwarding probe, a parameter passed on to another call, which links a chain of calls)
  for (const doc of [...set.rules]) if (metadataOf(doc)['cross-file'] === true || metadataOf(doc).probe === CALL_PROBE_KIND) set.rules.push(await paramCopyOf(doc));
  const globalUtils = new Map(set.utils.flatMap((doc) => (doc.id ? [[doc.id, doc.content?.rule] as const] : [])));
  for (const doc of set.rules) doc.needs = needsOfRule(doc.content, globalUtils);
  return set;
}

/**
 * The repository's own configuration (a folder with `sgconfig.yml`, copied from the base branch) and the `rules` input entries
 * (folders of rule files, folders with an `sgconfig.yml`, an `sgconfig.yml`, or single rule files), in that order. Rules without
 * an id and later duplicates of an id are left out here, with a warning.
 */
export async function loadThirdPartyRules(repoConfigDir: string | undefined, extraSources: readonly string[], logger: Logger): Promise<RuleSet> {
  const set = emptySet();
  if (repoConfigDir) {
    const configPath = ['sgconfig.yml', 'sgconfig.yaml'].map((n) => join(repoConfigDir, n)).find((p) => existsSync(p));
    if (configPath) await readConfigRules(configPath, '', set);
    else set.warnings.push(`The repository's ast-grep config folder ${repoConfigDir} has no sgconfig.yml; its rules were not run.`);
  }
  for (const source of extraSources) {
    const label = basename(source);
    let info;
    try {
      info = await stat(source);
    } catch {
      set.warnings.push(`rules: ${source} does not exist.`);
      continue;
    }
    if (info.isDirectory()) {
      const configPath = ['sgconfig.yml', 'sgconfig.yaml'].map((n) => join(source, n)).find((p) => existsSync(p));
      if (configPath) {
        await readConfigRules(configPath, label, set);
        continue;
      }
      for (const file of await listYamlFiles(source)) {
        const docs = await readThirdPartyRuleFile(file, toPosix(join(label, relative(source, file))), set);
        for (const doc of docs) {
          if (isRuleTest(doc)) logger.debug(`ast-grep: ${doc.origin} is a rule test, not a rule; skipped.`);
          else set.rules.push(doc);
        }
      }
    } else if (/^sgconfig\.ya?ml$/i.test(label)) {
      await readConfigRules(source, basename(dirname(source)), set);
    } else {
      set.rules.push(...(await readThirdPartyRuleFile(source, label, set)));
    }
  }

  const seen = new Map<string, string>();
  const kept: RuleDocument[] = [];
  for (const doc of set.rules) {
    if (doc.content && !doc.id) {
      set.warnings.push(`The ast-grep rule in ${doc.origin} has no id and was not run.`);
      continue;
    }
    if (doc.id) {
      const first = seen.get(doc.id);
      if (first) {
        set.warnings.push(`The ast-grep rule ${doc.id} (${doc.origin}) was not run: its id is already used by ${first}.`);
        continue;
      }
      seen.set(doc.id, doc.origin);
    }
    if (isOff(doc)) set.disabled.push(doc);
    else kept.push(doc);
  }
  set.rules = kept;
  const seenUtils = new Map<string, string>();
  set.utils = set.utils.filter((doc) => {
    const first = doc.id ? seenUtils.get(doc.id) : undefined;
    if (doc.id && first) {
      set.warnings.push(`The ast-grep util ${doc.id} (${doc.origin}) was not loaded: its id is already used by ${first}.`);
      return false;
    }
    if (doc.id) seenUtils.set(doc.id, doc.origin);
    return true;
  });
  return set;
}

/** The built-in catalog entry of every rule that runs (tsx copies are not listed: they report under the original id). */
/** A built-in document that reports nothing itself: a parameter copy or a probe, read by the cross-file join (cross-file.ts). */
export function isJoinInput(doc: RuleDocument): boolean {
  return isParamCopy(doc) || metadataOf(doc).probe !== undefined;
}

/** A parameter copy (`<id>@param`, or its tsx copy): it runs apart, only on the files a call of the change may reach (scan.ts). */
export function isParamCopy(doc: RuleDocument): boolean {
  return (doc.id?.replace(TSX_ID_SUFFIX, '') ?? '').endsWith(PARAM_COPY_SUFFIX);
}

/** A forwarding probe (the call probes' parameter copies): it runs apart from the other copies, on the files a call reaches (scan.ts). */
export function isForwardProbe(doc: RuleDocument): boolean {
  return FORWARD_PROBE_IDS.has(doc.id?.replace(TSX_ID_SUFFIX, '') ?? '');
}

/** The folder of the parameter copies of a language's rules, beside the language's own (`rules/python-param/`). */
const PARAM_FOLDER_SUFFIX = '-param';

export function catalogOf(rules: readonly RuleDocument[]): RuleInfo[] {
  const byId = new Map<string, RuleInfo>();
  for (const doc of rules) {
    if (isJoinInput(doc)) continue;
    const info = ruleInfoOf(doc);
    if (info && !byId.has(info.id)) byId.set(info.id, info);
  }
  return [...byId.values()];
}

function isTypeScript(language: string | undefined): boolean {
  return language !== undefined && ['typescript', 'ts'].includes(language.toLowerCase());
}

/** The source-text util of a JavaScript cross-file rule, as the rule must write it (request data, or a parameter of a helper of the file). */
const JS_REQUEST_SOURCE_TEXT = '  source-text:\n    any: [{ matches: request-source-text }, { matches: request-through-parameter }]\n';
/**
 * The call probe's (request data, and a controller parameter the framework fills from the request by its decorator, only: the
 * probe runs on every file, and a helper's parameter is the forwarding copy's part).
 */
const JS_PROBE_SOURCE_TEXT = '  source-text:\n    any: [{ matches: request-source-text }, { matches: request-through-decorated-parameter }]\n';
/** The `probe` metadata of the call probes (js/request-argument-probe, py/request-argument-probe). */
const CALL_PROBE_KIND = 'cross-file-call';
/** The parameter copy's source: a parameter of the enclosing named function, or a value built from one (see cross-file.ts). */
const JS_PARAMETER_SOURCE_TEXT = `  source-text:
    any:
      - matches: named-function-parameter
      # (the operator bound of derived-value: a search that recurses once per level overflowed the stack on long chains)
      - regex: '^[^-+*/%?]*([-+*/%?][^-+*/%?]*){0,64}$'
        has: { stopBy: { matches: function-boundary }, matches: named-function-parameter }
  # (parameter copy) a parameter of the enclosing named function: its name, the parameter and the list are bound for the join.
  named-function-parameter:
    kind: identifier
    pattern: $HELPER_PARAM
    inside:
      stopBy: end
      all:
        - matches: function-boundary
        - has: { field: parameters, pattern: $HELPER_PARAMS, has: { stopBy: end, kind: identifier, pattern: $HELPER_PARAM } }
        - matches: function-name-fn
`;
/**
 * The forwarding probe's (the JavaScript call probe's copy): the same, less the request and response objects and callbacks of a
 * handler (`svc.handle(req)` passes no value on: what the callee reads of `req` is request data to its own rules).
 */
const JS_PROBE_PARAMETER_SOURCE_TEXT = JS_PARAMETER_SOURCE_TEXT.replace(
  '    kind: identifier\n    pattern: $HELPER_PARAM\n',
  // (a function: `$'` in a replacement string is the text after the match)
  () => "    kind: identifier\n    pattern: $HELPER_PARAM\n    not: { regex: '^(req|res|request|response|reply|ctx|next|cb|callback|done)$' }\n",
);
/** The source-text util of a Python cross-file rule (request data; the shared python-flow block follows it from there). */
const PY_REQUEST_SOURCE_TEXT = '  source-text:\n    matches: py-untrusted-source\n';
/**
 * The Python parameter copy's source: a parameter of the enclosing `def` (the shared flow follows values built from it, as it
 * follows request data). `self`/`cls` and names that are never text (the request object, a connection, a CONSTANT) are not
 * sources; nor is the `name` of `obj.name` or of `f(name=...)`.
 */
const PY_PARAMETER_SOURCE_TEXT = `  source-text:
    matches: named-function-parameter
  # (parameter copy) a parameter of the enclosing def: its name, the parameter and the list are bound for the join.
  named-function-parameter:
    kind: identifier
    pattern: $HELPER_PARAM
    all:
      - not: { regex: '^(self|cls|request|req|app|db|session|cursor|conn|[A-Z][A-Z0-9_]*)$' }
      - not: { inside: { kind: attribute, field: attribute } }
      - not: { inside: { kind: keyword_argument, field: name } }
      - inside:
          stopBy: { kind: function_definition }
          kind: function_definition
          all:
            - has: { field: name, pattern: $HELPER_FN }
            - has:
                field: parameters
                pattern: $HELPER_PARAMS
                has:
                  any:
                    - { kind: identifier, pattern: $HELPER_PARAM }
                    - { kind: default_parameter, has: { field: name, pattern: $HELPER_PARAM } }
                    - { any: [ { kind: typed_parameter }, { kind: typed_default_parameter } ], has: { kind: identifier, pattern: $HELPER_PARAM } }
`;
/** Per language of the pack: the source-text util a cross-file rule writes, and the one its parameter copy gets instead. */
const SOURCE_TEXTS: Record<string, { request: string; probe: string; parameter: string; probeParameter: string }> = {
  typescript: { request: JS_REQUEST_SOURCE_TEXT, probe: JS_PROBE_SOURCE_TEXT, parameter: JS_PARAMETER_SOURCE_TEXT, probeParameter: JS_PROBE_PARAMETER_SOURCE_TEXT },
  // (Python's parameter source already leaves out self, cls, request and connections)
  python: { request: PY_REQUEST_SOURCE_TEXT, probe: PY_REQUEST_SOURCE_TEXT, parameter: PY_PARAMETER_SOURCE_TEXT, probeParameter: PY_PARAMETER_SOURCE_TEXT },
};

/**
 * The parameter copy of a rule marked `cross-file: true` (id `<id>@param`): the same sinks, with a parameter of the enclosing
 * named function as the source. Its matches are not findings: cross-file.ts joins them with the calls of that function.
 * The copy of a call probe is the forwarding probe: an argument that is (or is built from) a parameter of the enclosing named
 * function, in a call of another named function — a link of a chain of calls (cross-file.ts `chainCalls`).
 */
export async function paramCopyOf(doc: RuleDocument): Promise<RuleDocument> {
  const id = `${doc.id ?? ''}${PARAM_COPY_SUFFIX}`;
  const written = doc.language ?? (typeof doc.content?.language === 'string' ? doc.content.language : undefined);
  const language = written === undefined ? '' : languageFolder(written);
  const texts = Object.hasOwn(SOURCE_TEXTS, language) ? SOURCE_TEXTS[language] : undefined;
  if (!texts) {
    throw new Error(`The cross-file rule ${doc.origin} is for ${language || 'no language'}; parameter copies are built for ${Object.keys(SOURCE_TEXTS).join(' and ')} rules only.`);
  }
  const probe = metadataOf(doc).probe === CALL_PROBE_KIND;
  const request = probe ? texts.probe : texts.request;
  if (!doc.text.includes(request) || !hasOneIdAndLanguageLine(doc.text)) {
    throw new Error(`The cross-file rule ${doc.origin} must have one id and language line and define source-text as ${JSON.stringify(request)}.`);
  }
  const text = doc.text.replace(ID_LINE, () => `id: ${JSON.stringify(id)}`).replace(request, () => (probe ? texts.probeParameter : texts.parameter));
  const { parse } = await import('yaml');
  const content = asRecord(parse(text) as unknown);
  return { ...doc, origin: `${doc.origin} (cross-file copy)`, id, text, ...(content && { content }) };
}

const ID_LINE = /^id:[ \t]*\S.*$/gm;
const LANGUAGE_LINE = /^language:[ \t]*\S.*$/gm;

function hasOneIdAndLanguageLine(text: string): boolean {
  return (text.match(ID_LINE)?.length ?? 0) === 1 && (text.match(LANGUAGE_LINE)?.length ?? 0) === 1;
}

/** A `language: tsx` copy of a TypeScript rule, id `<id>@tsx`: .tsx/.jsx files are parsed by the tsx grammar, not typescript. */
export function tsxCopyOf(doc: RuleDocument): RuleDocument {
  const id = `${doc.id ?? ''}${TSX_ID_SUFFIX}`;
  // Rewriting the two top-level lines keeps the text (and line numbers) as written, and is much cheaper than a YAML round trip.
  let text: string;
  if (hasOneIdAndLanguageLine(doc.text)) {
    text = doc.text.replace(ID_LINE, `id: ${JSON.stringify(id)}`).replace(LANGUAGE_LINE, 'language: tsx');
  } else {
    // JSON is YAML: the parsed rule with its id and language replaced (line numbers of messages then refer to this copy).
    text = `${JSON.stringify({ ...(doc.content ?? {}), id, language: 'tsx' }, null, 2)}\n`;
  }
  return { ...doc, origin: `${doc.origin} (tsx copy)`, id, language: 'tsx', text };
}

/** A prepared configuration folder: `sgconfig.yml`, `rules/`, `utils/`. */
export interface EffectiveConfig {
  dir: string;
  configPath: string;
  rules: RuleDocument[];
  utils: RuleDocument[];
  languageGlobs: Record<string, string[]>;
  /** Written file → the document it holds, to name the rule in ast-grep's messages. */
  byFile: Map<string, RuleDocument>;
}

function fileStem(doc: RuleDocument, index: number): string {
  const name = basename(doc.sourceFile).replace(/\.ya?ml$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60);
  const docNumber = /#(\d+)$/.exec(doc.origin)?.[1];
  return `${String(index + 1).padStart(4, '0')}-${name}${docNumber ? `-${docNumber}` : ''}${doc.language === 'tsx' && doc.id?.endsWith(TSX_ID_SUFFIX) ? '-tsx' : ''}.yml`;
}

/** The files of an effective configuration folder (paths relative to it) and what each holds; `sgconfig.yml` last. */
interface ConfigPlan {
  files: { path: string; text: string; doc?: RuleDocument }[];
}

function planEffectiveConfig(
  dir: string,
  rules: readonly RuleDocument[],
  utils: readonly RuleDocument[],
  languageGlobs: Record<string, string[]>,
  utilsDir: string | undefined,
  injections?: readonly unknown[],
): ConfigPlan {
  // One folder per language: a run that has no file of a language leaves its folder out (see languagesOf).
  // The parameter copies have folders of their own: a run can leave them out, or run them alone, without copying a rule file.
  const folderOf = (doc: RuleDocument): string => `${languageFolder(doc.language)}${isParamCopy(doc) ? PARAM_FOLDER_SUFFIX : ''}`;
  const files: ConfigPlan['files'] = rules.map((doc, index) => ({ path: `rules/${folderOf(doc)}/${fileStem(doc, index)}`, text: doc.text, doc }));
  const ownUtils = !utilsDir && utils.length > 0;
  if (ownUtils) files.push(...utils.map((doc, index) => ({ path: `utils/${fileStem(doc, index)}`, text: doc.text, doc })));
  const config: Record<string, unknown> = { ruleDirs: ['rules'] };
  // Relative, like ruleDirs: ast-grep reads both from the configuration's folder, so the prebuilt configuration in dist/ is the same
  // file on every machine (an absolute path would make it another file, and unused, wherever dist/ is not where it was built).
  if (ownUtils) config.utilDirs = ['utils'];
  else if (utilsDir) config.utilDirs = [utilsDir];
  if (Object.keys(languageGlobs).length > 0) config.languageGlobs = languageGlobs;
  if (injections && injections.length > 0) config.languageInjections = injections;
  // JSON is YAML, and needs no YAML library at run time.
  files.push({ path: 'sgconfig.yml', text: `${JSON.stringify(config, null, 2)}\n` });
  return { files };
}

function effectiveConfigOf(dir: string, plan: ConfigPlan, rules: readonly RuleDocument[], utils: readonly RuleDocument[], languageGlobs: Record<string, string[]>): EffectiveConfig {
  const byFile = new Map(plan.files.flatMap(({ path, doc }) => (doc ? [[join(dir, path), doc] as const] : [])));
  return { dir, configPath: join(dir, 'sgconfig.yml'), rules: [...rules], utils: [...utils], languageGlobs, byFile };
}

/** Writes `dir/sgconfig.yml` and one file per rule and util document. `utilsDir` reuses an existing folder of utils. */
export async function writeEffectiveConfig(
  dir: string,
  rules: readonly RuleDocument[],
  utils: readonly RuleDocument[],
  languageGlobs: Record<string, string[]>,
  options: { utilsDir?: string; injections?: readonly unknown[] } = {},
): Promise<EffectiveConfig> {
  const plan = planEffectiveConfig(dir, rules, utils, languageGlobs, options.utilsDir, options.injections);
  // `rules/` exists even without a rule (a configuration that only checks utils): ast-grep refuses a missing rule folder.
  const folders = new Set([join(dir, 'rules'), ...plan.files.map(({ path }) => dirname(join(dir, path)))]);
  for (const folder of folders) await mkdir(folder, { recursive: true });
  await Promise.all(plan.files.map(({ path, text }) => writeFile(join(dir, path), text)));
  return effectiveConfigOf(dir, plan, rules, utils, languageGlobs);
}

/** Plain JavaScript may contain JSX (React components in .js files are common): the tsx grammar reads both. */
const JAVASCRIPT_GLOBS = ['*.js', '*.mjs', '*.cjs', '*.jsx'];

/**
 * Pages whose `<script>` elements hold JavaScript: ast-grep reads them with its HTML grammar (`.html`, `.htm` and `.xhtml` are
 * HTML by default) and the script code with the TypeScript grammar, so the pack's TypeScript rules see the DOM code of
 * templates and single-file components too (a message handler writing `event.data` to innerHTML in a view). Template tags
 * inside a script (`<%= … %>`, `{{ … }}`) are text the grammar recovers from; the template scanner reads them.
 */
const SCRIPT_HOST_GLOBS = ['*.ejs', '*.hbs', '*.handlebars', '*.mustache', '*.njk', '*.nunjucks', '*.jinja', '*.jinja2', '*.j2', '*.vue', '*.svelte'];

/**
 * The code of a `<script>` element, injected as TypeScript: with no `type`, or a JavaScript one (a `text/template`, JSON or
 * other data block is not code).
 */
const SCRIPT_INJECTIONS: readonly unknown[] = [
  {
    hostLanguage: 'html',
    rule: {
      pattern: '<script $$$ATTRIBUTES>$CONTENT</script>',
      not: {
        has: {
          kind: 'start_tag',
          has: {
            kind: 'attribute',
            all: [
              { has: { kind: 'attribute_name', regex: '^(?i:type)$' } },
              {
                not: {
                  has: {
                    stopBy: 'end',
                    kind: 'attribute_value',
                    regex: '^\\s*(?i:text/javascript|application/javascript|text/ecmascript|application/ecmascript|module|text/babel|text/jsx)\\s*$',
                  },
                },
              },
            ],
          },
        },
      },
    },
    injected: 'typescript',
  },
];

/** Whether the built-in pack reads `path` as a page whose scripts are code (HTML by extension, or SCRIPT_HOST_GLOBS). */
export function isScriptHost(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  return DEFAULT_EXTENSIONS[HOST_LANGUAGE]!.some((extension) => name.endsWith(`.${extension}`)) || SCRIPT_HOST_GLOBS.some((glob) => name.endsWith(glob.slice(1)));
}

/** The language a host file's script code is read as (see SCRIPT_INJECTIONS), and the host's. */
const INJECTED_LANGUAGE = 'typescript';
const HOST_LANGUAGE = 'html';

/**
 * The built-in pack as it runs: its rules, a tsx copy of every TypeScript rule, its utils, and its `languageGlobs` with every
 * JavaScript extension read by the tsx grammar, so the tsx copies cover .js files with JSX too (the typescript grammar cannot read
 * JSX). Rules whose id the repository redefines are left out: the repository's version runs instead.
 */
export async function prepareBuiltinConfig(
  dir: string,
  pack: RuleSet,
  overridden: ReadonlySet<string>,
  files?: readonly string[],
  canMatch?: (doc: RuleDocument) => boolean,
): Promise<EffectiveConfig> {
  const { rules, globs } = builtinAsRun(pack, overridden);
  const kept = forFiles(rules, globs, files);
  return writeEffectiveConfig(dir, canMatch ? kept.filter(canMatch) : kept, pack.utils, globs, { injections: SCRIPT_INJECTIONS });
}

/** The built-in rules as they run (tsx copies included) for the languages of `files`. */
export function forLanguagesOf(pack: RuleSet, overridden: ReadonlySet<string>, files: readonly string[]): RuleDocument[] {
  const { rules, globs } = builtinAsRun(pack, overridden);
  return forFiles(rules, globs, files);
}

/** The pack as it runs with nothing overridden, per pack: a scan asks for it twice (its languages, then its configuration). */
const asRunCache = new WeakMap<RuleSet, { rules: RuleDocument[]; globs: Record<string, string[]> }>();

function builtinAsRun(pack: RuleSet, overridden: ReadonlySet<string>): { rules: RuleDocument[]; globs: Record<string, string[]> } {
  if (overridden.size > 0) return computeBuiltinAsRun(pack, overridden);
  let asRun = asRunCache.get(pack);
  if (!asRun) asRunCache.set(pack, (asRun = computeBuiltinAsRun(pack, overridden)));
  return { rules: [...asRun.rules], globs: structuredClone(asRun.globs) };
}

function computeBuiltinAsRun(pack: RuleSet, overridden: ReadonlySet<string>): { rules: RuleDocument[]; globs: Record<string, string[]> } {
  const rules = pack.rules.filter((doc) => !doc.id || !overridden.has(doc.id));
  const copies = rules.filter((doc) => isTypeScript(doc.language)).map(tsxCopyOf);
  const globs: Record<string, string[]> = {};
  for (const [language, patterns] of Object.entries(pack.languageGlobs)) {
    const kept = patterns.filter((pattern) => !JAVASCRIPT_GLOBS.includes(pattern));
    if (kept.length > 0) globs[language] = kept;
  }
  mergeGlobs(globs, { tsx: JAVASCRIPT_GLOBS, [HOST_LANGUAGE]: SCRIPT_HOST_GLOBS });
  return { rules: [...rules, ...copies], globs };
}

/** ast-grep's own extensions for the languages the built-in pack is written in (`languageGlobs` come first, as in ast-grep). */
const DEFAULT_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  typescript: ['ts', 'cts', 'mts'],
  tsx: ['tsx'],
  javascript: ['js', 'cjs', 'mjs', 'jsx'],
  python: ['py', 'py3', 'pyi', 'bzl'],
  html: ['html', 'htm', 'xhtml'],
};

/** `TypeScript`, `ts` → `typescript`; the folder a rule of that language goes to. */
function languageFolder(language: string | undefined): string {
  const name = (language ?? 'unknown').toLowerCase();
  const alias: Record<string, string> = { ts: 'typescript', js: 'javascript', py: 'python', jsx: 'javascript' };
  return (alias[name] ?? name).replace(/[^a-z0-9_-]/g, '_') || 'unknown';
}

/** The languages ast-grep will parse `files` as: `languageGlobs` first, then its default extensions. */
function languagesOf(files: readonly string[], globs: Record<string, string[]>): Set<string> {
  const byGlob = Object.entries(globs).map(([language, patterns]) => ({
    language: languageFolder(language),
    // The globs here are `*.ext` and plain names; anything else is taken to possibly match (the language is kept).
    test: (name: string) => patterns.some((p) => (/^\*\.[\w.-]+$/.test(p) ? name.endsWith(p.slice(1)) : !/^[\w.-]+$/.test(p) || name === p)),
  }));
  const found = new Set<string>();
  for (const file of files) {
    const name = file.slice(file.lastIndexOf('/') + 1);
    const glob = byGlob.find((g) => g.test(name));
    if (glob) {
      found.add(glob.language);
      continue;
    }
    const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
    for (const [language, extensions] of Object.entries(DEFAULT_EXTENSIONS)) if (extensions.includes(extension)) found.add(language);
  }
  return found;
}

/**
 * The rules that can apply to `files`: ast-grep parses every rule it is given, so leaving out the languages the change has no file
 * of makes a small scan several times faster. A rule in a language this does not know is kept.
 */
function forFiles(rules: readonly RuleDocument[], globs: Record<string, string[]>, files: readonly string[] | undefined): RuleDocument[] {
  if (files === undefined) return [...rules];
  const present = languagesOf(files, globs);
  // A page's scripts are read as TypeScript (SCRIPT_INJECTIONS).
  if (present.has(HOST_LANGUAGE)) present.add(INJECTED_LANGUAGE);
  const known = new Set([...Object.keys(DEFAULT_EXTENSIONS), ...Object.keys(globs).map(languageFolder)]);
  return rules.filter((doc) => {
    const language = languageFolder(doc.language);
    return present.has(language) || !known.has(language);
  });
}

/**
 * The built-in configuration as `npm run build` wrote it beside dist/rules (`builtin-config/`, one folder per language), used in
 * place when no rule is overridden and the folder holds exactly what this pack would write: a run writes only a small
 * `sgconfig.yml` (into `dir`) naming the folders of the languages `files` are in, and no rule file; when `canMatch` leaves
 * rules out, the others are copied into folders of their own in `dir`. Undefined otherwise.
 */
export async function prebuiltBuiltinConfig(
  rulesDir: string,
  pack: RuleSet,
  overridden: ReadonlySet<string>,
  dir: string,
  files?: readonly string[],
  canMatch?: (doc: RuleDocument) => boolean,
): Promise<EffectiveConfig | undefined> {
  if (overridden.size > 0) return undefined;
  const prebuilt = join(dirname(rulesDir), PREBUILT_CONFIG_DIR);
  const { rules, globs } = builtinAsRun(pack, overridden);
  const plan = planEffectiveConfig(prebuilt, rules, pack.utils, globs, undefined, SCRIPT_INJECTIONS);
  // The configuration file written with the folder says which pack it holds: compare it and the file names (build and pack go
  // together; a folder that does not match is not used).
  const written = await readFile(join(prebuilt, 'sgconfig.yml'), 'utf8').catch(() => undefined);
  if (written === undefined || written !== plan.files.at(-1)?.text) return undefined;
  const folders = [...new Set(plan.files.flatMap((f) => (f.doc ? [dirname(f.path)] : [])))];
  for (const folder of folders) {
    const listed = await readdir(join(prebuilt, folder)).catch(() => [] as string[]);
    const expected = plan.files.filter((f) => f.doc && dirname(f.path) === folder).map((f) => basename(f.path));
    if (listed.length !== expected.length || !expected.every((name) => listed.includes(name))) return undefined;
  }
  const kept = new Set(forFiles(rules, globs, files));
  const started = canMatch ? new Set([...kept].filter(canMatch)) : kept;
  let ruleDirs: string[];
  const byFile = new Map(plan.files.flatMap(({ path, doc }) => (doc && pack.utils.includes(doc) ? [[join(prebuilt, path), doc] as const] : [])));
  // Each folder holds all the rules of its language (or all their parameter copies): used in place when `started` takes a folder
  // whole or not at all.
  const inFolder = (folder: string) => plan.files.filter((f) => f.doc && dirname(f.path) === folder);
  const whole = folders.every((folder) => {
    const taken = inFolder(folder).filter((f) => started.has(f.doc!)).length;
    return taken === 0 || taken === inFolder(folder).length;
  });
  if (whole) {
    ruleDirs = folders.filter((folder) => inFolder(folder).some((f) => started.has(f.doc!))).map((folder) => join(prebuilt, folder));
    for (const { path, doc } of plan.files) if (doc && started.has(doc)) byFile.set(join(prebuilt, path), doc);
  } else {
    // The folders hold every rule of their language: the rules that can match are copied into folders of their own.
    const copies = plan.files.filter((f) => f.doc && started.has(f.doc));
    const copyFolders = [...new Set(copies.map((f) => dirname(f.path)))];
    await Promise.all(copyFolders.map((folder) => mkdir(join(dir, folder), { recursive: true })));
    await Promise.all(copies.map((f) => copyFile(join(prebuilt, f.path), join(dir, f.path))));
    ruleDirs = copyFolders.map((folder) => join(dir, folder));
    for (const { path, doc } of copies) if (doc) byFile.set(join(dir, path), doc);
  }
  const config: Record<string, unknown> = { ruleDirs };
  if (pack.utils.length > 0) config.utilDirs = [join(prebuilt, 'utils')];
  if (Object.keys(globs).length > 0) config.languageGlobs = globs;
  config.languageInjections = SCRIPT_INJECTIONS;
  await mkdir(dir, { recursive: true });
  const configPath = join(dir, 'sgconfig.yml');
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return { dir, configPath, rules: [...started], utils: [...pack.utils], languageGlobs: globs, byFile };
}

/** Where `npm run build` writes the built-in configuration, beside `dist/rules`. */
export const PREBUILT_CONFIG_DIR = 'builtin-config';

/** ast-grep's explanation of a config error, ANSI stripped, in one line. */
export function configErrorReason(stderr: string): string {
  const lines = stripAnsi(stderr)
    .split(/\r?\n/)
    .map((l) => l.trimEnd());
  const arrows = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.includes('╰▻'));
  const last = arrows[arrows.length - 1];
  if (last) {
    let reason = last.l.slice(last.l.indexOf('╰▻') + 2).trim();
    if (reason.endsWith(':')) {
      const detail = lines
        .slice(last.i + 1)
        .map((l) => l.trim())
        .filter((l) => l.length > 0 && !/^[\^|]/.test(l))
        .pop();
      if (detail) reason = `${reason} ${detail.replace(/^error:\s*/, '')}`;
    }
    return reason;
  }
  const errorIndex = lines.findIndex((l) => l.startsWith('Error:'));
  if (errorIndex >= 0) {
    const causedBy = lines.findIndex((l, i) => i > errorIndex && /^Caused by:?$/.test(l.trim()));
    const cause = causedBy >= 0 ? lines.slice(causedBy + 1).find((l) => l.trim().length > 0)?.trim() : undefined;
    return cause ?? (lines[errorIndex] ?? '').replace(/^Error:\s*/, '').replace(/^error:\s*/, '');
  }
  return lines.find((l) => l.trim().length > 0)?.trim() ?? 'ast-grep exited with an error and printed nothing';
}

/** A clearer reason for the errors whose wording names Rust types. */
export function explainRuleError(doc: RuleDocument, reason: string, customLanguages: ReadonlySet<string>): string {
  if (/untagged enum SgLang|unknown variant .* SgLang/.test(reason) && doc.language) {
    return customLanguages.has(doc.language)
      ? `custom language \`${doc.language}\` is not supported (native parser libraries from a repository are never loaded)`
      : `unknown language \`${doc.language}\``;
  }
  return reason;
}

/** Replaces the temporary file names in an ast-grep message by the rules' origins. */
export function withOrigins(message: string, config: EffectiveConfig): string {
  let out = message;
  for (const [file, doc] of config.byFile) out = out.split(file).join(doc.origin);
  return out;
}

/** The document named by a `Cannot parse rule <file>` message, if any. */
export function blamedDocument(stderr: string, config: EffectiveConfig): RuleDocument | undefined {
  const clean = stripAnsi(stderr);
  for (const [file, doc] of config.byFile) if (clean.includes(file)) return doc;
  return undefined;
}
