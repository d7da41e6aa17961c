/**
 * Flows across files: a source-to-sink rule that follows request data into a helper of the same file also reports a sink reached
 * by a parameter of a function in one file when another file of the change calls that function with request data at that
 * position (a route handler and the DAO it calls).
 *
 * Two kinds of matches feed the join, both from the same ast-grep run as the rules:
 * - the parameter copy of a rule marked `cross-file: true` (id `<rule>@param`, built with the pack): its source is a parameter of
 *   the enclosing named function, and it binds `$HELPER_FN` (the function's name), `$HELPER_PARAM` and `$HELPER_PARAMS` (the list);
 * - the call probes `js/request-argument-probe` and `py/request-argument-probe`: an argument that is request data, with `$CALLEE`
 *   and `$CALL_ARGS` (and `$CALL_KEYWORD` for a Python keyword argument).
 * Neither is a finding. A pair joins when the names and the argument position agree (for Python, or the keyword and the
 * parameter's name), the files differ and are of the same language, the name is specific enough (not `get`, `find`, `query`, …)
 * and the calling file imports the sink's module by its name (JavaScript: a relative path; Python: any import naming the module,
 * `from app.db import f`, `from . import db`, `import app.db as db`). The finding is the rule's own (its id, message and
 * severity) at the sink, with the call as a related location.
 */
import { basename, extname, posix } from 'node:path';
import type { Finding, RelatedLocation } from '../../types.js';

/** Suffix of the parameter copies' ids. */
export const PARAM_COPY_SUFFIX = '@param';
/** The call probes' ids (one per language of the pack). */
export const CALL_PROBE_IDS: ReadonlySet<string> = new Set(['js/request-argument-probe', 'py/request-argument-probe']);

/** Whether a path is a Python module (the join pairs sinks and calls of the same language only). */
export function isPythonPath(path: string): boolean {
  return /\.pyi?$/i.test(path);
}

/** A match the join reads: its rule, file, place and the metavariables it bound (text and byte offsets). */
export interface ProbeMatch {
  ruleId: string;
  file: string;
  range: { byteOffset?: { start: number; end: number }; start: { line: number; column: number }; end: { line: number; column: number } };
  metaVariables?: { single?: Record<string, { text?: unknown; range?: { byteOffset?: { start: number; end: number } } } | undefined> | null } | null;
}

/** Names too common to say which function a call reaches. */
const GENERIC_NAMES = new Set(
  (
    'get set has add use run all one any each find findOne findAll query exec execute call apply bind then catch finally push pop map ' +
    'filter reduce send json render write end on once emit log error info warn debug create update delete remove save load parse format ' +
    'replace join split test match handle process init main start stop open close read next resolve reject fetch request post put patch ' +
    'list search index show new edit destroy insert select where count sort keys values toString valueOf ' +
    // Python: accessors every DAO and view class has
    'get_one get_all find_one find_all get_by_id find_by_id fetchone fetchall dispatch get_object get_queryset'
  ).split(' '),
);

/** Whether a function name is specific enough to join a call with a definition by name alone (with the import). */
export function isSpecificName(name: string): boolean {
  // (`__init__`, `__call__`: Python's special methods are called by the language, under another name)
  return name.length >= 4 && !GENERIC_NAMES.has(name) && !name.startsWith('__');
}

/** The top-level parts of a parenthesized list (`(a, b = 1, ...c)`), brackets, strings and template literals respected. */
export function listItems(text: string): string[] {
  const inner = text.trim().replace(/^\(/, '').replace(/\)$/, '');
  const items: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      items.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  const last = inner.slice(start);
  if (last.trim() !== '' || items.length > 0) items.push(last);
  return items.map((item) => item.trim());
}

/**
 * Where a caller puts a Python parameter: its position among the arguments a call passes (after `self`/`cls`, which the call
 * `obj.m(x)` does not write; undefined for a keyword-only parameter, after `*` or `*args`) and whether a keyword argument can
 * name it (not positional-only, before `/`). Undefined for `*args`/`**kwargs` themselves and for a name not in the list.
 */
export function pythonParameterSlot(params: string, name: string): { position: number | undefined; keyword: boolean } | undefined {
  const items = listItems(params).filter((item) => item !== '');
  const slashAt = items.indexOf('/');
  let position = 0;
  let keywordOnly = false;
  for (const [index, item] of items.entries()) {
    if (item === '/') continue;
    if (item.startsWith('**')) {
      if (bareName(item.slice(2)) === name) return undefined;
      continue;
    }
    if (item.startsWith('*')) {
      keywordOnly = true;
      if (bareName(item.slice(1)) === name) return undefined;
      continue;
    }
    const itemName = bareName(item);
    // self / cls: the receiver, written before the dot of a method call, not in its argument list
    if (index === 0 && (itemName === 'self' || itemName === 'cls')) continue;
    if (itemName === name) return { position: keywordOnly ? undefined : position, keyword: slashAt < 0 || index > slashAt };
    position++;
  }
  return undefined;
}

/** A Python parameter's name without its annotation or default (`name: str = "x"` → `name`). */
function bareName(item: string): string {
  return item.replace(/\s*=[\s\S]*$/, '').replace(/\s*:[\s\S]*$/, '').trim();
}

/** The position (0-based) of a plain parameter in a parameter list; undefined for destructured or missing ones. */
export function parameterPosition(params: string, name: string): number | undefined {
  const index = listItems(params).findIndex((item) => item.replace(/^\.\.\./, '').replace(/\s*(=[\s\S]*)$/, '').replace(/\??\s*:[\s\S]*$/, '').trim() === name);
  return index >= 0 ? index : undefined;
}

/** The position (0-based) of the argument that starts `offsetInArgs` bytes into an argument list's text. */
export function argumentPosition(argsText: string, offsetInArgs: number): number | undefined {
  const prefix = Buffer.from(argsText).subarray(0, offsetInArgs).toString('utf8');
  if (!prefix.startsWith('(')) return undefined;
  // The prefix ends where the argument starts: the items before it, plus an empty one that it begins.
  return listItems(`${prefix}x)`).length - 1;
}

const lastName = (text: string): string => text.split('.').pop()!.trim();

/** The module name a file is imported by: its base name without extension, or its folder's for an index file (`__init__.py`). */
export function moduleNameOf(path: string): string {
  const name = basename(path, extname(path));
  if (isPythonPath(path)) return name === '__init__' ? basename(posix.dirname(path)) : name;
  return name === 'index' ? basename(posix.dirname(path)) : name;
}

/** The longest parenthesized name list of a Python import read as one (real ones hold a few dozen names). */
const PY_IMPORT_LIST_CHARS = 10_000;

/**
 * The module names a Python file's text imports: every dotted part of `import a.b.c` (an `as` name does not matter: the module
 * is `c`), the module of `from a.b import x` (`b`) and each imported name (`from app import db`, `from . import dao`: a name may
 * be a submodule), also in parentheses over several lines. Relative and absolute imports alike: a package imports its own
 * modules by absolute names too.
 */
export function pythonImportedModules(text: string): Set<string> {
  const names = new Set<string>();
  const add = (dotted: string): void => {
    for (const part of dotted.split('.')) if (/^\w+$/.test(part)) names.add(part);
  };
  // line continuations joined, so that a statement is one line (parentheses are read across lines below)
  const joined = text.replace(/\\\r?\n/g, ' ');
  // The closing parenthesis of `from a import (…)` is searched once for all the imports before it (a regex `\([^)]*\)` read to
  // the end of the text for every unclosed one: 20,000 such lines took 8 s), and a list longer than PY_IMPORT_LIST_CHARS is no
  // import list: the line is read as if unclosed.
  let closeAt = -1;
  for (const match of joined.matchAll(/^[ \t]*from[ \t]+\.*([\w.]*)[ \t]+import[ \t]+(\(|[^\n#;]*)/gm)) {
    add(match[1]!);
    let list = match[2]!;
    if (list === '(') {
      const open = match.index + match[0].length;
      if (closeAt < open) {
        const found = joined.indexOf(')', open);
        closeAt = found < 0 ? joined.length : found;
      }
      const lineEnd = joined.indexOf('\n', open);
      list = closeAt < joined.length && closeAt - open <= PY_IMPORT_LIST_CHARS ? joined.slice(open, closeAt) : joined.slice(open, lineEnd < 0 ? undefined : lineEnd).replace(/[#;][\s\S]*$/, '');
    }
    for (const item of list.replace(/#[^\n]*/g, '').replace(/[()]/g, ' ').split(',')) add(item.trim().split(/\s+/)[0] ?? '');
  }
  for (const match of joined.matchAll(/^[ \t]*import[ \t]+([^\n#;]+)/gm)) {
    for (const item of match[1]!.split(',')) add(item.trim().split(/\s+/)[0] ?? '');
  }
  return names;
}

/** The module names a file's text imports: JavaScript by a relative path (`require('./data/allocations-dao')`, `from '../dao/user.js'`), Python by any import. */
export function importedModules(text: string, python = false): Set<string> {
  if (python) return pythonImportedModules(text);
  const names = new Set<string>();
  for (const match of text.matchAll(/(?:\brequire\s*\(|\bimport\s*\(|\bfrom)\s*(['"`])([^'"`\n]+)\1/g)) {
    const specifier = match[2]!;
    if (!specifier.startsWith('.')) continue;
    const last = specifier.replace(/\/+$/, '').split('/').pop() ?? '';
    names.add(last);
    names.add(last.replace(/\.(c|m)?[jt]sx?$/, ''));
  }
  return names;
}

interface ParamSink {
  finding: Finding;
  fn: string;
  /** The argument position a call fills it from; undefined for a Python keyword-only parameter. */
  position: number | undefined;
  /** The parameter's name, when a (Python) call can pass it by keyword. */
  keyword?: string;
}

export interface RequestCall {
  file: string;
  callee: string;
  /** The argument's position, or -1 for a keyword argument. */
  position: number;
  /** The keyword of a Python keyword argument (`find_user(name=...)`). */
  keyword?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

const single = (match: ProbeMatch, name: string): { text?: unknown; range?: { byteOffset?: { start: number; end: number } } } | undefined =>
  match.metaVariables?.single?.[name] ?? undefined;

/** A request call from a probe match, or undefined when its callee or position cannot be read. */
export function requestCallOf(match: ProbeMatch): RequestCall | undefined {
  const callee = single(match, 'CALLEE')?.text;
  const args = single(match, 'CALL_ARGS');
  const keyword = single(match, 'CALL_KEYWORD')?.text;
  const argsStart = args?.range?.byteOffset?.start;
  const argStart = match.range.byteOffset?.start;
  if (typeof callee !== 'string' || typeof args?.text !== 'string' || argsStart === undefined || argStart === undefined) return undefined;
  const position = typeof keyword === 'string' ? -1 : argumentPosition(args.text, argStart - argsStart);
  if (position === undefined) return undefined;
  return {
    file: match.file,
    callee,
    position,
    ...(typeof keyword === 'string' && { keyword }),
    line: match.range.start.line + 1,
    column: match.range.start.column + 1,
    endLine: match.range.end.line + 1,
    endColumn: match.range.end.column + 1,
  };
}

/** A sink reached by a parameter, from a parameter copy's match and the finding the rule would make of it. */
export function paramSinkOf(match: ProbeMatch, finding: Finding): ParamSink | undefined {
  const fn = single(match, 'HELPER_FN')?.text;
  const param = single(match, 'HELPER_PARAM')?.text;
  const params = single(match, 'HELPER_PARAMS')?.text;
  if (typeof fn !== 'string' || typeof param !== 'string' || typeof params !== 'string') return undefined;
  if (isPythonPath(match.file)) {
    const slot = pythonParameterSlot(params, param);
    if (!slot || (slot.position === undefined && !slot.keyword)) return undefined;
    return { finding, fn: lastName(fn), position: slot.position, ...(slot.keyword && { keyword: param }) };
  }
  const position = parameterPosition(params, param);
  return position === undefined ? undefined : { finding, fn: lastName(fn), position };
}

/** The join's index key of a call: the callee and the argument's position, or its keyword. */
/**
 * The files of the change a call with request data may reach: another file of the same language whose module the calling file
 * imports and whose text holds the called name. Only these are scanned with the parameter copies (scan.ts): a parameter that
 * reaches a sink is common (`open(path)` in any helper), a call from another file with request data is not.
 */
export function sinkFileCandidates(calls: readonly RequestCall[], files: readonly string[], textOf: (file: string) => string | undefined): string[] {
  const callers = new Map<string, Set<string>>();
  for (const call of calls) {
    const name = lastName(call.callee);
    if (!isSpecificName(name)) continue;
    const names = callers.get(call.file);
    if (names) names.add(name);
    else callers.set(call.file, new Set([name]));
  }
  if (callers.size === 0) return [];
  // language and module name → the calling files that import it
  const key = (file: string, module: string): string => `${isPythonPath(file) ? 'py' : 'js'}\0${module}`;
  const importers = new Map<string, string[]>();
  for (const caller of callers.keys()) {
    for (const module of importedModules(textOf(caller) ?? '', isPythonPath(caller))) {
      const list = importers.get(key(caller, module));
      if (list) list.push(caller);
      else importers.set(key(caller, module), [caller]);
    }
  }
  // A pull request is hostile: the name checks are set lookups over the smaller side, within a budget; past it, a file its caller
  // imports is taken without them (the copies then run on more files, never on fewer).
  let budget = NAME_CHECK_BUDGET;
  return files.filter((file) => {
    const importing = importers.get(key(file, moduleNameOf(file)));
    if (!importing) return false;
    const text = textOf(file);
    if (text === undefined) return false;
    if (budget <= 0) return true;
    const words = new Set(text.match(/[A-Za-z_$][\w$]*/g) ?? []);
    return importing.some((caller) => {
      const names = callers.get(caller)!;
      const [few, many] = names.size <= words.size ? [names, words] : [words, names];
      budget -= few.size;
      for (const word of few) if (many.has(word)) return true;
      return false;
    });
  });
}

/** Set lookups sinkFileCandidates may spend on names before it takes the imported files as they are. */
const NAME_CHECK_BUDGET = 1_000_000;

const callKey = (callee: string, position: number | undefined, keyword?: string): string =>
  keyword === undefined ? `${callee}\0${position ?? ''}` : `${callee}\0=${keyword}`;

/**
 * The findings of the join: for each sink reached by a parameter, the calls of its function from another file that imports it,
 * with request data at that parameter's position. One finding per sink (the first calls as related locations); a sink the rule
 * already reports (same rule, file and line: a caller in the same file) is not reported again.
 */
export function joinCrossFile(
  sinks: readonly ParamSink[],
  calls: readonly RequestCall[],
  textOf: (file: string) => string | undefined,
  reported: readonly Finding[],
  maxRelated: number,
): Finding[] {
  const already = new Set(reported.map((f) => `${f.ruleId}\0${f.path}\0${f.startLine}`));
  // Indexed by name and position, and each calling file's imports read once: a pull request can hold thousands of both.
  const byName = new Map<string, RequestCall[]>();
  for (const call of calls) {
    const key = callKey(call.callee, call.position, call.keyword);
    const list = byName.get(key);
    if (list) list.push(call);
    else byName.set(key, [call]);
  }
  const imports = new Map<string, Set<string>>();
  const importsOf = (file: string): Set<string> => {
    let names = imports.get(file);
    if (!names) imports.set(file, (names = importedModules(textOf(file) ?? '', isPythonPath(file))));
    return names;
  };
  // The calls of one name and position that reach one sink file: the same for every sink of that file, so looked for once.
  const reaching = new Map<string, RequestCall[]>();
  const callsReaching = (key: string, sinkPath: string): RequestCall[] => {
    const memo = `${key}\0${sinkPath}`;
    let found = reaching.get(memo);
    if (found) return found;
    found = [];
    const moduleName = moduleNameOf(sinkPath);
    const python = isPythonPath(sinkPath);
    // The first calls are enough (they are related locations): a name called ten thousand times costs no more.
    for (const call of byName.get(key) ?? []) {
      if (call.file !== sinkPath && isPythonPath(call.file) === python && importsOf(call.file).has(moduleName)) found.push(call);
      if (found.length >= Math.max(1, maxRelated)) break;
    }
    reaching.set(memo, found);
    return found;
  };
  const out = new Map<string, Finding>();
  for (const sink of sinks) {
    if (!isSpecificName(sink.fn)) continue;
    const key = `${sink.finding.ruleId}\0${sink.finding.path}\0${sink.finding.startLine}`;
    if (already.has(key) || out.has(key)) continue;
    // by position, and (Python) by the parameter's name as a keyword
    const importing = [
      ...(sink.position === undefined ? [] : callsReaching(callKey(sink.fn, sink.position), sink.finding.path)),
      ...(sink.keyword === undefined ? [] : callsReaching(callKey(sink.fn, undefined, sink.keyword), sink.finding.path)),
    ].slice(0, Math.max(1, maxRelated));
    if (importing.length === 0) continue;
    const related: RelatedLocation[] = importing.map((call) => ({
      path: call.file,
      startLine: call.line,
      endLine: call.endLine,
      startColumn: call.column,
      ...(call.endLine === call.line && { endColumn: call.endColumn }),
      message:
        call.keyword === undefined
          ? `Request data is passed here to ${sink.fn}() as argument ${call.position + 1}.`
          : `Request data is passed here to ${sink.fn}() as ${call.keyword}=.`,
    }));
    const first = importing[0]!;
    out.set(key, {
      ...sink.finding,
      message: `${sink.finding.message} (request data from ${first.file}:${first.line}, through ${sink.fn}())`,
      related: [...related, ...(sink.finding.related ?? [])].slice(0, maxRelated),
    });
  }
  return [...out.values()];
}
