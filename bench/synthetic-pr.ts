/**
 * A synthetic pull request the size of GitHub's listing cap: 3,000 files, about 100,000 added lines of TypeScript, JavaScript and
 * Python that parses, with a small share of lines (about 0.75 %) that the built-in rule pack reports (eval, innerHTML, string-built
 * SQL, `verify=False`, …). Besides added files it has modified files with several hunks, pure and edited renames, deletions, binary
 * files, and files the action skips on purpose (vendored, minified, generated, a lock file).
 *
 * Deterministic: the same seed gives the same repository, byte for byte.
 */
import type { FileContent, PullRequestFixtureSpec } from '../__tests__/support/git-fixture.js';
import { mulberry32 } from '../__tests__/support/prng.js';

export interface SyntheticPrOptions {
  seed?: number;
  /** Share of body statements replaced by a line a built-in rule reports. */
  triggerRate?: number;
}

export interface SyntheticPrPlan {
  spec: PullRequestFixtureSpec;
  counts: Record<Category, number>;
  /** Rule-triggering lines written on the head side of added content (added files and inserted code). */
  triggersInAddedCode: number;
  /** Rule-triggering lines left untouched in modified and renamed files (findings outside the added lines). */
  triggersInUnchangedCode: number;
}

export type Category =
  | 'added (code)'
  | 'added (docs)'
  | 'modified'
  | 'renamed (pure)'
  | 'renamed (edited)'
  | 'removed'
  | 'binary'
  | 'vendored/minified/generated/lock';

/** How the 3,000 files split; the sum is GitHub's listing cap. */
const LAYOUT: Record<Category, number> = {
  'added (code)': 1940,
  'added (docs)': 10,
  modified: 700,
  'renamed (pure)': 60,
  'renamed (edited)': 60,
  removed: 200,
  binary: 20,
  'vendored/minified/generated/lock': 10,
};

// ---------------------------------------------------------------------------------------------------------------------------------
// Randomness

type Rng = () => number;

const createRng: (seed: number) => Rng = mulberry32;

const int = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
const capital = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

const VERBS = ['load', 'save', 'compute', 'render', 'parse', 'format', 'fetch', 'update', 'build', 'resolve', 'validate', 'normalize', 'merge', 'filter', 'group', 'sync', 'apply', 'collect', 'publish', 'archive'];
const NOUNS = ['user', 'order', 'invoice', 'cart', 'item', 'report', 'account', 'payment', 'product', 'profile', 'setting', 'message', 'event', 'record', 'shipment', 'coupon', 'review', 'ticket', 'team', 'project'];
const PROPS = ['price', 'quantity', 'weight', 'score', 'rank', 'count', 'total', 'level', 'priority', 'age'];
const TABLES = ['users', 'orders', 'invoices', 'products', 'payments', 'events', 'tickets'];
const SERVICES = ['repository', 'client', 'store', 'gateway', 'cache'];
const PACKAGES = ['billing', 'catalog', 'checkout', 'identity', 'inventory', 'notifications', 'search', 'shipping', 'analytics', 'admin', 'support', 'reporting'];
const AREAS = ['handlers', 'services', 'models', 'views', 'utils', 'jobs', 'api', 'domain', 'adapters', 'workers'];

// ---------------------------------------------------------------------------------------------------------------------------------
// Code

/** Per file: unique names and the trigger count. */
interface FileContext {
  rng: Rng;
  triggerRate: number;
  uid: number;
  triggers: number;
}

/** A function: its first lines, body units (each one or more lines, relative indentation), last lines. */
interface FunctionBlock {
  kind: 'function';
  head: string[];
  units: string[][];
  tail: string[];
  indent: string;
  bodyIndent: string;
}
interface PlainBlock {
  kind: 'plain';
  lines: string[];
}
type Block = FunctionBlock | PlainBlock;

interface Language {
  ext: 'ts' | 'js' | 'py';
  header(ctx: FileContext): string[];
  /** One top-level unit (a function or a class). */
  block(ctx: FileContext): Block[];
  /** A body unit; with probability `triggerRate` a line a rule reports. */
  unit(ctx: FileContext, locals: () => string): string[];
}

function renderBlock(block: Block): string[] {
  if (block.kind === 'plain') return block.lines;
  return [...block.head, ...block.units.flat().map((line) => `${block.bodyIndent}${line}`), ...block.tail];
}

function renderFile(header: string[], blocks: Block[]): string {
  const parts: string[] = [...header];
  for (const block of blocks) {
    if (block.kind === 'function' && block.indent !== '') {
      parts.push(...renderBlock(block));
      continue;
    }
    parts.push('', ...renderBlock(block));
  }
  return `${parts.join('\n')}\n`;
}

function localNames(ctx: FileContext, noun: string): () => string {
  let n = 0;
  return () => `${noun}${capital(pick(ctx.rng, PROPS))}${++n}`;
}

function jsUnit(ts: boolean) {
  return (ctx: FileContext, local: () => string): string[] => {
    const { rng } = ctx;
    const prop = pick(rng, PROPS);
    const table = pick(rng, TABLES);
    const n = int(rng, 1, 99);
    if (rng() < ctx.triggerRate) {
      ctx.triggers++;
      const a = local();
      return [
        pick(rng, [
          `eval(items[${n % 3}].expression);`,
          `document.getElementById('${table}-${n}').innerHTML = items[0].description;`,
          `await db.query(\`SELECT * FROM ${table} WHERE id = \${id} AND ${prop} > ${n}\`);`,
          `await connection.execute("DELETE FROM ${table} WHERE ${prop} = " + id);`,
          `setTimeout("refresh(" + id + ", ${n})", 1000);`,
          `const ${a} = new Function("left", "right", items[0].body);`,
          `child_process.execSync("rm -rf " + items[${n % 3}].path);`,
          `document.write(items[0].html + "${n}");`,
          `const ${a} = new https.Agent({ rejectUnauthorized: false });`,
          `panel.insertAdjacentHTML("beforeend", items[${n % 3}].body);`,
        ]),
      ];
    }
    const a = local();
    const svc = pick(rng, SERVICES);
    const verb = pick(rng, VERBS);
    const noun = pick(rng, NOUNS);
    switch (int(rng, 0, 11)) {
      case 0:
        return [`const ${a} = items.filter((entry) => entry.${prop} > ${n});`];
      case 1:
        return [`let ${a} = 0;`, 'for (const entry of items) {', `  ${a} += entry.${prop} * ${n};`, '}'];
      case 2:
        return ['if (items.length === 0) {', `  return ${ts ? 'undefined' : 'null'};`, '}'];
      case 3:
        return [`const ${a} = await ${svc}.${verb}${capital(noun)}(id);`];
      case 4:
        return [`logger.debug(\`${verb} ${noun} \${id}\`);`];
      case 5:
        return [`const ${a} = { id, name: items[0].name, ${prop}: ${n} };`];
      case 6:
        return [`items.sort((left, right) => left.${prop} - right.${prop});`];
      case 7:
        return [ts ? `const ${a} = new Map<string, ${capital(noun)}>();` : `const ${a} = new Map();`];
      case 8:
        return [`const ${a} = await db.query('SELECT id, name FROM ${table} WHERE id = $1', [id]);`];
      case 9:
        return ['try {', `  await ${svc}.${verb}(id);`, '} catch (error) {', `  logger.warn('${verb} ${noun} failed', error);`, '}'];
      case 10:
        return [`const ${a} = items.map((entry) => ({ ...entry, ${prop}: entry.${prop} ?? ${n} }));`];
      default:
        return [`view.textContent = \`\${items.length} ${noun}(s)\`;`];
    }
  };
}

function jsFunction(ctx: FileContext, language: Language, ts: boolean, indent = ''): FunctionBlock {
  const { rng } = ctx;
  const verb = pick(rng, VERBS);
  const noun = pick(rng, NOUNS);
  const id = ++ctx.uid;
  const local = localNames(ctx, noun);
  const units = Array.from({ length: int(rng, 3, 8) }, () => language.unit(ctx, local));
  const params = ts ? `id: string, items: ${capital(noun)}[]` : 'id, items';
  const head =
    indent === ''
      ? [`export async function ${verb}${capital(noun)}${id}(${params})${ts ? `: Promise<unknown>` : ''} {`]
      : [`${indent}async ${verb}${capital(noun)}${id}(${params}) {`];
  return { kind: 'function', head, units: [...units, [`return items.length;`]], tail: [`${indent}}`], indent, bodyIndent: `${indent}  ` };
}

function jsLanguage(ts: boolean): Language {
  const language: Language = {
    ext: ts ? 'ts' : 'js',
    header: (ctx) => {
      const noun = capital(pick(ctx.rng, NOUNS));
      return ts
        ? [
            `import type { ${noun} } from '../model';`,
            `import { db, connection } from '../db';`,
            `import { logger } from '../logger';`,
            `import { repository, client, store, gateway, cache } from '../services';`,
          ]
        : [`import { db, connection } from '../db.js';`, `import { logger } from '../logger.js';`, `import { repository, client, store, gateway, cache } from '../services.js';`];
    },
    block: (ctx) => {
      if (ctx.rng() < 0.8) return [jsFunction(ctx, language, ts)];
      const name = `${capital(pick(ctx.rng, NOUNS))}Service${++ctx.uid}`;
      const methods = Array.from({ length: int(ctx.rng, 1, 3) }, () => jsFunction(ctx, language, ts, '  '));
      const ctor = ts ? ['  constructor(private readonly repo: unknown) {}'] : ['  constructor(repo) {', '    this.repo = repo;', '  }'];
      return [{ kind: 'plain', lines: [`export class ${name} {`, ...ctor] }, ...methods, { kind: 'plain', lines: ['}'] }];
    },
    unit: jsUnit(ts),
  };
  return language;
}

function pyUnit(ctx: FileContext, local: () => string): string[] {
  const { rng } = ctx;
  const prop = pick(rng, PROPS);
  const table = pick(rng, TABLES);
  const n = int(rng, 1, 99);
  const a = local();
  if (rng() < ctx.triggerRate) {
    ctx.triggers++;
    return [
      pick(rng, [
        `${a} = requests.get(items[${n % 3}].url, verify=False)`,
        `cursor.execute("SELECT * FROM ${table} WHERE ${prop} = " + id)`,
        `${a} = eval(items[${n % 3}].expression)`,
        `${a} = pickle.loads(items[${n % 3}].payload)`,
        `subprocess.run(f"git clone {items[${n % 3}].url}", shell=True)`,
        `os.system(f"rm -rf {items[${n % 3}].path}")`,
        `${a} = yaml.load(items[${n % 3}].text)`,
        `${a} = tempfile.mktemp(suffix=".${table}")`,
      ]),
    ];
  }
  const svc = pick(rng, SERVICES);
  const verb = pick(rng, VERBS);
  const noun = pick(rng, NOUNS);
  switch (int(rng, 0, 10)) {
    case 0:
      return [`${a} = [entry for entry in items if entry.${prop} > ${n}]`];
    case 1:
      return [`${a} = 0`, 'for entry in items:', `    ${a} += entry.${prop} * ${n}`];
    case 2:
      return ['if not items:', '    return None'];
    case 3:
      return [`${a} = ${svc}.${verb}_${noun}(id)`];
    case 4:
      return [`logger.debug("${verb} ${noun} %s", id)`];
    case 5:
      return [`${a} = {"id": id, "name": items[0].name, "${prop}": ${n}}`];
    case 6:
      return [`items.sort(key=lambda entry: entry.${prop})`];
    case 7:
      return [`cursor.execute("SELECT id, name FROM ${table} WHERE id = %s", (id,))`];
    case 8:
      return ['try:', `    ${svc}.${verb}(id)`, 'except ValueError as error:', `    logger.warning("${verb} ${noun} failed: %s", error)`];
    case 9:
      return ['with open(items[0].path, encoding="utf-8") as handle:', `    ${a} = json.load(handle)`];
    default:
      return [`${a} = requests.get(items[0].url, timeout=${n})`];
  }
}

function pyFunction(ctx: FileContext, method: boolean): FunctionBlock {
  const { rng } = ctx;
  const verb = pick(rng, VERBS);
  const noun = pick(rng, NOUNS);
  const id = ++ctx.uid;
  const indent = method ? '    ' : '';
  const local = localNames(ctx, noun);
  const units = Array.from({ length: int(rng, 3, 8) }, () => pyUnit(ctx, local));
  return {
    kind: 'function',
    head: [`${indent}def ${verb}_${noun}_${id}(${method ? 'self, ' : ''}id, items):`, `${indent}    """${capital(verb)} the ${noun}s of ${id}."""`],
    units: [...units, ['return len(items)']],
    tail: method ? [''] : [],
    indent,
    bodyIndent: `${indent}    `,
  };
}

const PYTHON: Language = {
  ext: 'py',
  header: () => [
    'import json',
    'import logging',
    'import os',
    'import pickle',
    'import subprocess',
    'import tempfile',
    '',
    'import requests',
    'import yaml',
    '',
    'from .db import cursor',
    'from .services import cache, client, gateway, repository, store',
    '',
    'logger = logging.getLogger(__name__)',
    '',
  ],
  block: (ctx) => {
    if (ctx.rng() < 0.8) return [pyFunction(ctx, false)];
    const name = `${capital(pick(ctx.rng, NOUNS))}Service${++ctx.uid}`;
    const methods = Array.from({ length: int(ctx.rng, 1, 3) }, () => pyFunction(ctx, true));
    return [{ kind: 'plain', lines: ['', `class ${name}:`, '    def __init__(self, repo):', '        self.repo = repo', ''] }, ...methods];
  },
  unit: pyUnit,
};

const TYPESCRIPT = jsLanguage(true);
const JAVASCRIPT = jsLanguage(false);

function languageFor(rng: Rng): Language {
  const r = rng();
  return r < 0.45 ? TYPESCRIPT : r < 0.7 ? JAVASCRIPT : PYTHON;
}

function pathFor(language: Language, index: number, rng: Rng): string {
  const noun = pick(rng, NOUNS);
  const verb = pick(rng, VERBS);
  switch (language.ext) {
    case 'ts':
      return `packages/${pick(rng, PACKAGES)}/src/${pick(rng, AREAS)}/${noun}-${verb}-${index}.ts`;
    case 'js':
      return `apps/web-${pick(rng, PACKAGES)}/src/${pick(rng, AREAS)}/${noun}-${verb}-${index}.js`;
    case 'py':
      return `services/${pick(rng, PACKAGES)}/${pick(rng, AREAS)}/${noun}_${verb}_${index}.py`;
  }
}

/** A file as blocks, so that modifications can work on whole units and the code keeps parsing. */
interface SourceFile {
  language: Language;
  header: string[];
  blocks: Block[];
  ctx: FileContext;
}

function generateFile(language: Language, rng: Rng, triggerRate: number, minLines: number): SourceFile {
  const ctx: FileContext = { rng, triggerRate, uid: 0, triggers: 0 };
  const header = language.header(ctx);
  const blocks: Block[] = [];
  let lines = header.length;
  while (lines < minLines) {
    const added = language.block(ctx);
    blocks.push(...added);
    lines += added.reduce((n, b) => n + renderBlock(b).length + 1, 0);
  }
  return { language, header, blocks, ctx };
}

const render = (file: SourceFile): string => renderFile(file.header, file.blocks);

/**
 * Edits a file the way a change does: new functions, rewritten ones, statements inserted into a body, deleted functions. Returns
 * the triggers written into new code. Operations touch different blocks, spread over the file, so that they give separate hunks.
 */
function editFile(file: SourceFile, rng: Rng, operations: number): number {
  const before = file.ctx.triggers;
  const functions = file.blocks.map((b, i) => (b.kind === 'function' ? i : -1)).filter((i) => i >= 0);
  const chosen = new Set<number>();
  const step = Math.max(1, Math.floor(functions.length / operations));
  for (let k = 0; k < operations && k * step < functions.length; k++) {
    chosen.add(functions[Math.min(functions.length - 1, k * step + int(rng, 0, step - 1))]!);
  }
  // From the end, so that indexes stay valid.
  for (const index of [...chosen].sort((a, b) => b - a)) {
    const block = file.blocks[index] as FunctionBlock;
    const op = rng();
    const local = localNames(file.ctx, 'changed');
    if (op < 0.4) {
      const at = int(rng, 0, block.units.length - 1);
      const inserted = Array.from({ length: int(rng, 1, 4) }, () => file.language.unit(file.ctx, local));
      block.units.splice(at, 0, ...inserted);
    } else if (op < 0.65 && block.indent === '') {
      file.blocks.splice(index + 1, 0, ...file.language.block(file.ctx));
    } else if (op < 0.9) {
      const at = int(rng, 0, block.units.length - 1);
      block.units.splice(at, 1, file.language.unit(file.ctx, local), file.language.unit(file.ctx, local));
    } else if (block.indent === '' && file.blocks.length > 2) {
      file.blocks.splice(index, 1);
    } else {
      block.units.splice(int(rng, 0, block.units.length - 1), 0, file.language.unit(file.ctx, local));
    }
  }
  return file.ctx.triggers - before;
}

function binaryContent(rng: Rng, size: number): Buffer {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = Math.floor(rng() * 256);
  // A PNG signature; the NUL in its first bytes is git's own binary test.
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]).copy(data);
  return data;
}

export function planSyntheticPr(options: SyntheticPrOptions = {}): SyntheticPrPlan {
  const rng = createRng(options.seed ?? 20_240_101);
  const triggerRate = options.triggerRate ?? 0.022;
  const base: Record<string, FileContent> = {};
  const head: Record<string, FileContent | null> = {};
  const renames: Record<string, string> = {};
  let triggersInAddedCode = 0;
  let triggersInUnchangedCode = 0;
  let index = 0;

  for (let i = 0; i < LAYOUT['added (code)']; i++) {
    const language = languageFor(rng);
    const file = generateFile(language, rng, triggerRate, int(rng, 8, 56));
    head[pathFor(language, ++index, rng)] = render(file);
    triggersInAddedCode += file.ctx.triggers;
  }
  for (let i = 0; i < LAYOUT['added (docs)']; i++) {
    head[`docs/guides/${pick(rng, PACKAGES)}-${++index}.md`] = `# ${capital(pick(rng, PACKAGES))}\n\nHow the ${pick(rng, NOUNS)} flow works.\n`;
  }
  for (let i = 0; i < LAYOUT.modified; i++) {
    const language = languageFor(rng);
    const file = generateFile(language, rng, triggerRate, int(rng, 80, 160));
    const path = pathFor(language, ++index, rng);
    base[path] = render(file);
    const inBase = file.ctx.triggers;
    triggersInAddedCode += editFile(file, rng, int(rng, 3, 5));
    triggersInUnchangedCode += inBase; // approximately: a rewritten or deleted function may have taken one with it
    head[path] = render(file);
  }
  for (let i = 0; i < LAYOUT['renamed (pure)'] + LAYOUT['renamed (edited)']; i++) {
    const language = languageFor(rng);
    const file = generateFile(language, rng, triggerRate, int(rng, 40, 100));
    const from = pathFor(language, ++index, rng);
    const to = from.replace(/\/([^/]+)$/, '/moved/$1');
    base[from] = render(file);
    renames[from] = to;
    triggersInUnchangedCode += file.ctx.triggers;
    if (i >= LAYOUT['renamed (pure)']) {
      triggersInAddedCode += editFile(file, rng, 1);
      head[to] = render(file);
    }
  }
  for (let i = 0; i < LAYOUT.removed; i++) {
    // Old data tables: nothing like the added code, so that git does not pair a deletion with an addition as a rename.
    const path = pathFor(languageFor(rng), ++index, rng).replace(/\/([^/]+)$/, '/legacy/$1');
    const rows = Array.from({ length: int(rng, 20, 60) }, () => `  [${Array.from({ length: 6 }, () => int(rng, 0, 99_999)).join(', ')}],`);
    const name = `LEGACY_TABLE_${index}`;
    base[path] = path.endsWith('.py') ? `${name} = [\n${rows.join('\n')}\n]\n` : `export const ${name} = [\n${rows.join('\n')}\n];\n`;
    head[path] = null;
  }
  for (let i = 0; i < LAYOUT.binary; i++) {
    if (i % 2 === 0) {
      head[`assets/img/icon-${++index}.png`] = binaryContent(rng, int(rng, 2_000, 20_000));
    } else {
      const path = `assets/fonts/font-${++index}.woff2`;
      base[path] = binaryContent(rng, 30_000);
      head[path] = binaryContent(rng, 31_000);
    }
  }
  // Skipped on purpose by the action: they still count among the 3,000 files.
  base['.gitattributes'] = 'generated/** linguist-generated\n';
  base['package-lock.json'] = `${JSON.stringify({ name: 'shop', lockfileVersion: 3, packages: {} }, null, 2)}\n`;
  head['package-lock.json'] = `${JSON.stringify({ name: 'shop', lockfileVersion: 3, packages: { 'node_modules/left-pad': { version: '1.3.0' } } }, null, 2)}\n`;
  head['vendor/chart/chart-4.4.1.js'] = 'export function run(s) { return eval(s); }\n';
  head['vendor/lodash/lodash.js'] = 'export function template(s) { return new Function(s); }\n';
  head['public/js/app.min.js'] = 'function a(b){return eval(b)}\n';
  head['public/js/vendor.bundle.js'] = 'function c(d){document.write(d)}\n';
  for (let i = 0; i < 5; i++) head[`generated/client/api-${i}.ts`] = `export function call${i}(s: string) { return eval(s); }\n`;

  const counts = { ...LAYOUT };
  return { spec: { base, head, renames }, counts, triggersInAddedCode, triggersInUnchangedCode };
}

// ---------------------------------------------------------------------------------------------------------------------------------
// One large file with planted findings

/** A line a built-in rule reports, and the rule. `{n}` is replaced by a number unique in the file. */
interface Plant {
  ruleId: string;
  line: string;
}

const JS_PLANTS: readonly Plant[] = [
  { ruleId: 'js/code-injection-eval-dynamic', line: 'eval(items[{n}].expression);' },
  { ruleId: 'js/xss-inner-html', line: "document.getElementById('panel-{n}').innerHTML = items[0].description;" },
  { ruleId: 'js/sql-injection-string-building', line: 'await connection.execute("DELETE FROM orders WHERE id = " + id + " AND rank > {n}");' },
  { ruleId: 'js/code-injection-timer-string', line: 'setTimeout("refresh(" + id + ", {n})", 1000);' },
  { ruleId: 'js/code-injection-new-function-dynamic', line: 'const compiled{n} = new Function("left", "right", items[0].body);' },
  { ruleId: 'js/command-injection-child-process', line: 'child_process.execSync("rm -rf " + items[{n}].path);' },
  { ruleId: 'js/xss-document-write', line: 'document.write(items[0].html + "{n}");' },
  { ruleId: 'js/tls-reject-unauthorized-disabled', line: 'const agent{n} = new https.Agent({ rejectUnauthorized: false });' },
  { ruleId: 'js/xss-insert-adjacent-html', line: 'panel.insertAdjacentHTML("beforeend", items[{n}].body);' },
];

const PY_PLANTS: readonly Plant[] = [
  { ruleId: 'py/tls-verify-disabled', line: 'response_{n} = requests.get(items[0].url, verify=False)' },
  { ruleId: 'py/sql-injection-string-building-dynamic', line: 'cursor.execute("SELECT * FROM orders WHERE rank = {n} AND id = " + id)' },
  { ruleId: 'py/code-injection-eval-dynamic', line: 'value_{n} = eval(items[0].expression)' },
  { ruleId: 'py/pickle-loads', line: 'payload_{n} = pickle.loads(items[0].payload)' },
  { ruleId: 'py/subprocess-shell-injection-dynamic', line: 'subprocess.run(f"git clone {items[0].url} /tmp/{n}", shell=True)' },
  { ruleId: 'py/os-command-injection-dynamic', line: 'os.system(f"rm -rf {items[0].path}/{n}")' },
  { ruleId: 'py/yaml-unsafe-load', line: 'config_{n} = yaml.load(items[0].text)' },
  { ruleId: 'py/tempfile-mktemp', line: 'scratch_{n} = tempfile.mktemp(suffix=".{n}")' },
];

export interface PlantedFile {
  path: string;
  content: string;
  lines: number;
  /** Where a finding must be reported: 1-based line and rule id. */
  planted: { line: number; ruleId: string }[];
}

/**
 * One source file of about `lines` lines, made of the same functions and classes as the synthetic PR but with no rule-triggering
 * line of its own, and `plants` lines a built-in rule reports, spread evenly over it (cycling through the rules of the language).
 * Each planted line ends with a comment naming it, which is how its line number is found after rendering. Deterministic.
 */
export function plantedFile(ext: 'js' | 'py', lines: number, plants: number, seed = 20_240_101): PlantedFile {
  const rng = createRng(seed);
  const language = ext === 'js' ? JAVASCRIPT : PYTHON;
  // generateFile counts a class's methods with a blank line each that they do not get: aim a little higher.
  const file = generateFile(language, rng, 0, Math.ceil(lines * 1.025));
  const kinds = ext === 'js' ? JS_PLANTS : PY_PLANTS;
  const comment = ext === 'js' ? '//' : '#';
  const functions = file.blocks.filter((b): b is FunctionBlock => b.kind === 'function');
  const step = functions.length / plants;
  const marks: { mark: string; ruleId: string }[] = [];
  for (let k = 0; k < plants; k++) {
    const block = functions[Math.floor(k * step + step / 2)]!;
    const plant = kinds[k % kinds.length]!;
    const mark = `planted-${k + 1}`;
    // Before the function's `return`, after its other statements.
    block.units.splice(block.units.length - 1, 0, [`${plant.line.replaceAll('{n}', String(k + 1))} ${comment} ${mark}`]);
    marks.push({ mark, ruleId: plant.ruleId });
  }
  const content = render(file);
  const rendered = content.split('\n');
  const lineOf = new Map<string, number>();
  rendered.forEach((text, i) => {
    const match = /(?:\/\/|#) (planted-\d+)$/.exec(text);
    if (match) lineOf.set(match[1]!, i + 1);
  });
  const planted = marks.map(({ mark, ruleId }) => ({ line: lineOf.get(mark) ?? NaN, ruleId }));
  const dir = ext === 'js' ? 'apps/web/src/legacy' : 'services/legacy';
  return { path: `${dir}/everything.${ext}`, content, lines: rendered.length - 1, planted };
}
