/**
 * Flows across files: a source-to-sink rule that follows request data into a helper of the same file also reports a sink reached
 * by a parameter of a function in one file when another file of the change calls that function with request data at that
 * position (a route handler and the DAO it calls).
 *
 * Two kinds of matches feed the join, both from the same ast-grep run as the rules:
 * - the parameter copy of a rule marked `cross-file: true` (id `<rule>@param`, built with the pack): its source is a parameter of
 *   the enclosing named function, and it binds `$HELPER_FN` (the function's name), `$HELPER_PARAM` and `$HELPER_PARAMS` (the list);
 * - the call probes `js/request-argument-probe` and `py/request-argument-probe`: an argument that is request data, with `$CALLEE`
 *   (and `$CALL_KEYWORD` for a Python keyword argument); its position is read from the calling file (CallArguments).
 * Neither is a finding. A pair joins when the names and the argument position agree (for Python, or the keyword and the
 * parameter's name), the files differ and are of the same language, the name is specific enough (not `get`, `find`, `query`, …)
 * and the calling file imports the sink's module by its name (JavaScript: a relative path; Python: any import naming the module,
 * `from app.db import f`, `from . import db`, `import app.db as db`). The finding is the rule's own (its id, message and
 * severity) at the sink, with the call as a related location.
 *
 * Chains of calls (route → controller → model): the forwarding probes (FORWARD_PROBE_IDS, the call probes' parameter copies)
 * find an argument that is a parameter of the enclosing named function, binding both the function (as a parameter copy does)
 * and `$CALLEE`. A call that reaches such a function under the same conditions (or from the function's own file) continues as
 * its call of `$CALLEE` (chainCalls), up to MAX_CHAIN_CALLS calls; the sink joins the last call as above, the message names the
 * path and the chain's calls are the related locations. The probes also bind `$PATH_GUARD`, an early-exit path check of the
 * argument before the call: a chain with one does not reach a path-traversal sink (GUARDED_RULES), other sinks it does.
 */
import { basename, extname, posix } from 'node:path';
import type { Finding, RelatedLocation } from '../../types.js';

/** Suffix of the parameter copies' ids. */
export const PARAM_COPY_SUFFIX = '@param';
/** The call probes' ids (one per language of the pack). */
export const CALL_PROBE_IDS: ReadonlySet<string> = new Set(['js/request-argument-probe', 'py/request-argument-probe']);
/** The forwarding probes' ids: the parameter copies of the call probes (a parameter passed on to another call). */
export const FORWARD_PROBE_IDS: ReadonlySet<string> = new Set([...CALL_PROBE_IDS].map((id) => `${id}${PARAM_COPY_SUFFIX}`));
/** The most calls a chain from the request to a sink holds (the request's call, then up to two parameters passed on). */
export const MAX_CHAIN_CALLS = 3;

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

/** How far past the callee's name the opening parenthesis of its argument list is looked for (type arguments, `?.`, spaces). */
const OPEN_PAREN_SEARCH_CHARS = 4_096;

/** A call's argument list read so far: the top-level commas found up to `next`, and the reader's state there. */
interface ArgumentScan {
  /** Offset of the opening parenthesis. */
  open: number;
  next: number;
  depth: number;
  quote: string | undefined;
  /** Offsets of the top-level commas before `next`, in order. */
  commas: number[];
  /** Offset of the closing parenthesis, once read. */
  close?: number;
}

/**
 * The positions of arguments in a file's calls, read from the file's bytes (`text`, decoded as latin1 so that an index is a byte
 * offset, as ast-grep reports them). Each call's argument list is read once, up to the furthest argument asked about, and the
 * position of an argument is the number of top-level commas before it: a call of 10,000 arguments costs its length, not its
 * length times its arguments (the probes used to bind the whole list to each argument: 10,000 copies of it in ast-grep's output).
 */
export class CallArguments {
  private readonly scans = new Map<number, ArgumentScan | undefined>();
  /** The characters of argument lists read so far: the cost of the positions given. */
  charactersRead = 0;

  constructor(private readonly text: string) {}

  /** The position (0-based) of the argument starting at byte `argStart` of the call whose callee's name ends at `calleeEnd`. */
  position(calleeEnd: number, argStart: number): number | undefined {
    if (!(calleeEnd >= 0 && argStart > calleeEnd && argStart <= this.text.length)) return undefined;
    if (!this.scans.has(calleeEnd)) {
      const open = this.openParen(calleeEnd);
      this.scans.set(calleeEnd, open === undefined ? undefined : { open, next: open + 1, depth: 0, quote: undefined, commas: [] });
    }
    const scan = this.scans.get(calleeEnd);
    // an argument starts after the parenthesis that opens its list
    if (!scan || argStart <= scan.open) return undefined;
    this.advance(scan, argStart);
    if (scan.close !== undefined && argStart > scan.close) return undefined;
    // commas before the argument: a binary search in the offsets read
    let low = 0;
    let high = scan.commas.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (scan.commas[middle]! < argStart) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The `(` that opens the argument list after a callee's name: past spaces, comments, `?.` and type arguments `<…>`. */
  private openParen(from: number): number | undefined {
    const { text } = this;
    const end = Math.min(text.length, from + OPEN_PAREN_SEARCH_CHARS);
    let angle = 0;
    for (let i = from; i < end; i++) {
      const c = text[i]!;
      if (angle > 0) {
        if (c === '<') angle++;
        else if (c === '>') angle--;
        continue;
      }
      if (c === '(') return i;
      if (c === '<') angle = 1;
      else if (c === '/' && text[i + 1] === '*') {
        const close = text.indexOf('*/', i + 2);
        if (close < 0) return undefined;
        i = close + 1;
      } else if (c === '/' && text[i + 1] === '/') {
        const newline = text.indexOf('\n', i);
        if (newline < 0) return undefined;
        i = newline;
      } else if (!(/\s/.test(c) || (c === '?' && text[i + 1] === '.') || c === '.')) return undefined;
    }
    return undefined;
  }

  /** Reads the argument list up to `until` (or its end), as listItems does: brackets, strings and template literals respected. */
  private advance(scan: ArgumentScan, until: number): void {
    const { text } = this;
    let i = scan.next;
    for (; i < until && scan.close === undefined; i++) {
      const c = text[i]!;
      if (scan.quote) {
        if (c === '\\') i++;
        else if (c === scan.quote) scan.quote = undefined;
        continue;
      }
      if (c === '"' || c === "'" || c === '`') scan.quote = c;
      else if (c === '(' || c === '[' || c === '{') scan.depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (scan.depth === 0) scan.close = i;
        else scan.depth--;
      } else if (c === ',' && scan.depth === 0) scan.commas.push(i);
    }
    this.charactersRead += Math.max(0, i - scan.next);
    scan.next = Math.max(scan.next, i);
  }
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
  /** The checks of the argument before the call (`path`: an early-exit path check, `$PATH_GUARD` of the probe). */
  guards?: readonly GuardClass[];
  /**
   * For a call that passes on a parameter (a forwarding probe's match): the call that reaches its function (`via`), the function
   * and the parameter. Set by chainCalls; a call with request data itself has none.
   */
  via?: RequestCall;
  forwardedFrom?: { fn: string; param: string };
}

/** The classes of checks a caller can make of an argument, and the rules whose sink such a check makes safe. */
export type GuardClass = 'path';
const GUARDED_RULES: Readonly<Record<string, GuardClass>> = {
  'js/path-traversal-request-param': 'path',
  'py/path-traversal-request-data': 'path',
};

const single = (match: ProbeMatch, name: string): { text?: unknown; range?: { byteOffset?: { start: number; end: number } } } | undefined =>
  match.metaVariables?.single?.[name] ?? undefined;

/**
 * A request call from a probe match, or undefined when its callee or position cannot be read. `argumentsOf` gives the calling
 * file's CallArguments (its bytes, read once per file by the caller).
 */
export function requestCallOf(match: ProbeMatch, argumentsOf: (file: string) => CallArguments | undefined): RequestCall | undefined {
  const callee = single(match, 'CALLEE');
  const keyword = single(match, 'CALL_KEYWORD')?.text;
  const calleeEnd = callee?.range?.byteOffset?.end;
  const argStart = match.range.byteOffset?.start;
  if (typeof callee?.text !== 'string' || calleeEnd === undefined || argStart === undefined) return undefined;
  let position = -1;
  if (typeof keyword !== 'string') {
    const found = argumentsOf(match.file)?.position(calleeEnd, argStart);
    if (found === undefined) return undefined;
    position = found;
  }
  return {
    file: match.file,
    callee: callee.text,
    position,
    ...(typeof keyword === 'string' && { keyword }),
    line: match.range.start.line + 1,
    column: match.range.start.column + 1,
    endLine: match.range.end.line + 1,
    endColumn: match.range.end.column + 1,
    ...(typeof single(match, 'PATH_GUARD')?.text === 'string' && { guards: ['path'] as const }),
  };
}

/** The function a parameter copy's (or forwarding probe's) match is in, and where a caller puts the parameter. */
function parameterSlotOf(match: ProbeMatch): { fn: string; param: string; position: number | undefined; keyword?: string } | undefined {
  const fn = single(match, 'HELPER_FN')?.text;
  const param = single(match, 'HELPER_PARAM')?.text;
  const params = single(match, 'HELPER_PARAMS')?.text;
  if (typeof fn !== 'string' || typeof param !== 'string' || typeof params !== 'string') return undefined;
  if (isPythonPath(match.file)) {
    const slot = pythonParameterSlot(params, param);
    if (!slot || (slot.position === undefined && !slot.keyword)) return undefined;
    return { fn: lastName(fn), param, position: slot.position, ...(slot.keyword && { keyword: param }) };
  }
  const position = parameterPosition(params, param);
  return position === undefined ? undefined : { fn: lastName(fn), param, position };
}

/** A sink reached by a parameter, from a parameter copy's match and the finding the rule would make of it. */
export function paramSinkOf(match: ProbeMatch, finding: Finding): ParamSink | undefined {
  const slot = parameterSlotOf(match);
  if (!slot) return undefined;
  return { finding, fn: slot.fn, position: slot.position, ...(slot.keyword !== undefined && { keyword: slot.keyword }) };
}

/** A parameter passed on: in `file`, the function `fn`'s parameter (at `position`, or by `keyword`) is an argument of `call`. */
export interface Forwarding {
  file: string;
  fn: string;
  param: string;
  position: number | undefined;
  keyword?: string;
  call: RequestCall;
}

/** A forwarding from a forwarding probe's match (FORWARD_PROBE_IDS), or undefined when its function or call cannot be read. */
export function forwardingOf(match: ProbeMatch, argumentsOf: (file: string) => CallArguments | undefined): Forwarding | undefined {
  const slot = parameterSlotOf(match);
  const call = slot && requestCallOf(match, argumentsOf);
  if (!slot || !call) return undefined;
  return { file: match.file, ...slot, call };
}

/** Whether a call in `from` can reach a function defined in `to`: the same file, or a module of the same language it imports. */
function reachesFile(from: string, to: string, importsOf: (file: string) => Set<string>): boolean {
  return from === to || (isPythonPath(from) === isPythonPath(to) && importsOf(from).has(moduleNameOf(to)));
}

/** The calls of a chain, from the call with request data to this one. */
export function chainOf(call: RequestCall): RequestCall[] {
  const chain: RequestCall[] = [];
  for (let c: RequestCall | undefined = call; c; c = c.via) chain.unshift(c);
  return chain;
}

/** A cap on the calls chainCalls makes: a hostile change cannot make the join's input grow past it. */
const MAX_CHAINED_CALLS = 10_000;

/**
 * The calls that pass request data on through parameters: for a call of a (specific) name with request data at a position (or
 * keyword), each forwarding of a function of that name, in the calling file or in a module it imports, whose parameter there
 * is passed on gives a call of its own (`via` the first), and so on up to `maxCalls` calls in a chain. A forwarding is taken
 * once per set of guards (the first chain that reaches it, the shortest), so a cycle (f → g → f) ends; the guards of a chain
 * are those of its calls.
 */
export function chainCalls(
  calls: readonly RequestCall[],
  forwards: readonly Forwarding[],
  textOf: (file: string) => string | undefined,
  maxCalls = MAX_CHAIN_CALLS,
): RequestCall[] {
  const byKey = new Map<string, Forwarding[]>();
  const add = (key: string, forward: Forwarding): void => {
    const list = byKey.get(key);
    if (list) list.push(forward);
    else byKey.set(key, [forward]);
  };
  for (const forward of forwards) {
    if (!isSpecificName(forward.fn)) continue;
    if (forward.position !== undefined) add(callKey(forward.fn, forward.position), forward);
    if (forward.keyword !== undefined) add(callKey(forward.fn, undefined, forward.keyword), forward);
  }
  if (byKey.size === 0) return [];
  const imports = new Map<string, Set<string>>();
  const importsOf = (file: string): Set<string> => {
    let names = imports.get(file);
    if (!names) imports.set(file, (names = importedModules(textOf(file) ?? '', isPythonPath(file))));
    return names;
  };
  const placeOf = (call: RequestCall): string => `${call.file}\0${call.line}\0${call.column}\0${call.callee}\0${call.position}\0${call.keyword ?? ''}`;
  const taken = new Set<string>();
  const out: RequestCall[] = [];
  let frontier: readonly RequestCall[] = calls;
  for (let length = 2; length <= maxCalls && frontier.length > 0; length++) {
    const next: RequestCall[] = [];
    for (const call of frontier) {
      const name = lastName(call.callee);
      if (!isSpecificName(name)) continue;
      const forwardsOf = byKey.get(callKey(name, call.keyword === undefined ? call.position : undefined, call.keyword)) ?? [];
      for (const forward of forwardsOf) {
        if (!reachesFile(call.file, forward.file, importsOf)) continue;
        const place = placeOf(forward.call);
        if (chainOf(call).some((c) => placeOf(c) === place)) continue;
        const guards = [...new Set([...(call.guards ?? []), ...(forward.call.guards ?? [])])].sort();
        const key = `${place}\0${guards.join(',')}`;
        if (taken.has(key)) continue;
        taken.add(key);
        const chained: RequestCall = { ...forward.call, via: call, forwardedFrom: { fn: forward.fn, param: forward.param }, ...(guards.length > 0 && { guards }) };
        if (guards.length === 0) delete chained.guards;
        next.push(chained);
        out.push(chained);
        if (out.length >= MAX_CHAINED_CALLS) return out;
      }
    }
    frontier = next;
  }
  return out;
}

/** JavaScript definitions of a named function: `function name(`, `name = function`/`(…) =>`/`x =>`, `name: function`, a method `name(…) {`. */
// Linear on a crafted file (a pull request is hostile): a name is tried only where one starts, no two `\s*` can share the same
// spaces, and a method's modifiers stay on its line (a 2 MB name, or `static` on 80,000 lines, took hours, then 2 minutes).
const JS_DEFINITION = /\bfunction\s*(?:\*\s*)?([A-Za-z_$][\w$]*)\s*\(|(?<![\w$])([A-Za-z_$][\w$]*)\s*[:=]\s*(?:async\s*)?(?:function\b|\(|[A-Za-z_$][\w$]*\s*=>)|^[ \t]*(?:(?:static|async|get|set)[ \t]+)*([A-Za-z_$][\w$]*)\s*\([^()\n]*\)\s*\{/gm;
/** Python definitions: `def name(`, `async def name(`. */
const PY_DEFINITION = /^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)\s*\(/gm;

/**
 * The names of the functions a file's text may define (a gate, not a parse: the forwarding probe decides), read in one pass:
 * the names a call may reach in it.
 */
export function definedFunctionNames(text: string, python: boolean): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(python ? PY_DEFINITION : JS_DEFINITION)) {
    const name = match[1] ?? match[2] ?? match[3];
    if (name) names.add(name);
  }
  return names;
}

/**
 * The calls' specific names by calling file, and the calling files that import each module (by language and module name): what
 * sinkFileCandidates and forwardFileCandidates look a file up in.
 */
function callIndex(calls: readonly RequestCall[], textOf: (file: string) => string | undefined): { callers: Map<string, Set<string>>; importersOf: (file: string) => string[] } {
  const callers = new Map<string, Set<string>>();
  for (const call of calls) {
    const name = lastName(call.callee);
    if (!isSpecificName(name)) continue;
    const names = callers.get(call.file);
    if (names) names.add(name);
    else callers.set(call.file, new Set([name]));
  }
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
  return { callers, importersOf: (file) => importers.get(key(file, moduleNameOf(file))) ?? [] };
}

/**
 * Whether one of `callers` calls a name of `names` (a file's words or the functions it defines). A pull request is hostile: the
 * checks are set lookups over the smaller side, within `budget` (shared by a whole candidate search); past it, the answer is yes
 * (the probes then run on more files, never on fewer).
 */
function callsOneOf(callers: readonly string[], namesOf: ReadonlyMap<string, Set<string>>, names: ReadonlySet<string>, budget: { left: number }): boolean {
  if (budget.left <= 0) return true;
  return callers.some((caller) => {
    const called = namesOf.get(caller)!;
    const [few, many] = called.size <= names.size ? [called, names] : [names, called];
    budget.left -= few.size;
    for (const name of few) if (many.has(name)) return true;
    return false;
  });
}

/**
 * The files the forwarding probes run on for these calls: a file of the change that defines a called (specific) name and is the
 * calling file or a module it imports (the same language). A chain goes on only from a function a call reaches.
 */
export function forwardFileCandidates(calls: readonly RequestCall[], files: readonly string[], textOf: (file: string) => string | undefined): string[] {
  const { callers, importersOf } = callIndex(calls, textOf);
  if (callers.size === 0) return [];
  const budget = { left: NAME_CHECK_BUDGET };
  return files.filter((file) => {
    const reaching = [...importersOf(file), ...(callers.has(file) ? [file] : [])];
    if (reaching.length === 0) return false;
    const text = textOf(file);
    if (text === undefined) return false;
    return callsOneOf(reaching, callers, definedFunctionNames(text, isPythonPath(file)), budget);
  });
}

/**
 * The files of the change a call with request data may reach: another file of the same language whose module the calling file
 * imports and whose text holds the called name. Only these are scanned with the parameter copies (scan.ts): a parameter that
 * reaches a sink is common (`open(path)` in any helper), a call from another file with request data is not.
 */
export function sinkFileCandidates(calls: readonly RequestCall[], files: readonly string[], textOf: (file: string) => string | undefined): string[] {
  const { callers, importersOf } = callIndex(calls, textOf);
  if (callers.size === 0) return [];
  const budget = { left: NAME_CHECK_BUDGET };
  return files.filter((file) => {
    const importing = importersOf(file);
    if (importing.length === 0) return false;
    const text = textOf(file);
    if (text === undefined) return false;
    // (past the budget the words are not read either)
    return budget.left <= 0 || callsOneOf(importing, callers, new Set(text.match(/[A-Za-z_$][\w$]*/g) ?? []), budget);
  });
}

/** Set lookups a candidate search may spend on names before it takes the imported files as they are. */
const NAME_CHECK_BUDGET = 1_000_000;

const callKey = (callee: string, position: number | undefined, keyword?: string): string =>
  keyword === undefined ? `${callee}\0${position ?? ''}` : `${callee}\0=${keyword}`;

/** How a call of a chain says what it passes. */
function relatedMessage(call: RequestCall, fn: string): string {
  const what = call.keyword === undefined ? `as argument ${call.position + 1}` : `as ${call.keyword}=`;
  return call.forwardedFrom
    ? `The parameter '${call.forwardedFrom.param}' of ${call.forwardedFrom.fn}() is passed on here to ${fn}() ${what}.`
    : `Request data is passed here to ${fn}() ${what}.`;
}

/**
 * The findings of the join: for each sink reached by a parameter, the calls of its function with request data at that
 * parameter's position from another file that imports it, or the last calls of chains of calls (chainCalls) that pass request
 * data on through parameters, from the calling file or one that imports the sink's (a chain crosses a file somewhere). One
 * finding per sink (the first, shortest, chain and then the other calls as related locations); a sink the rule already reports
 * (same rule, file and line: a caller in the same file) is not reported again, nor one whose rule a check of the argument on the
 * way makes safe (a path check before a call, for a path-traversal sink).
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
    const key = callKey(lastName(call.callee), call.position, call.keyword);
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
  // A call reaches a sink file from another file that imports it; the last call of a chain also from the sink's own file, when
  // the chain began in another one.
  const reachesSink = (call: RequestCall, sinkPath: string): boolean =>
    call.file === sinkPath ? call.via !== undefined && chainOf(call).some((c) => c.file !== sinkPath) : reachesFile(call.file, sinkPath, importsOf);
  // The calls of one name and position that reach one sink file (for a rule a guard makes safe, unguarded): the same for every
  // sink of that file, so looked for once.
  const reaching = new Map<string, RequestCall[]>();
  const callsReaching = (key: string, sinkPath: string, guard: GuardClass | undefined): RequestCall[] => {
    const memo = `${key}\0${sinkPath}\0${guard ?? ''}`;
    let found = reaching.get(memo);
    if (found) return found;
    found = [];
    // The first calls are enough (they are related locations): a name called ten thousand times costs no more.
    for (const call of byName.get(key) ?? []) {
      if (guard !== undefined && call.guards?.includes(guard)) continue;
      if (reachesSink(call, sinkPath)) found.push(call);
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
    const guard = Object.hasOwn(GUARDED_RULES, sink.finding.ruleId) ? GUARDED_RULES[sink.finding.ruleId] : undefined;
    // by position, and (Python) by the parameter's name as a keyword; the shortest chains first
    const importing = [
      ...(sink.position === undefined ? [] : callsReaching(callKey(sink.fn, sink.position), sink.finding.path, guard)),
      ...(sink.keyword === undefined ? [] : callsReaching(callKey(sink.fn, undefined, sink.keyword), sink.finding.path, guard)),
    ].sort((a, b) => chainOf(a).length - chainOf(b).length);
    if (importing.length === 0) continue;
    const related: RelatedLocation[] = [];
    const seen = new Set<string>();
    for (const call of importing.flatMap(chainOf)) {
      const place = `${call.file}\0${call.line}\0${call.column}`;
      if (seen.has(place)) continue;
      seen.add(place);
      related.push({
        path: call.file,
        startLine: call.line,
        endLine: call.endLine,
        startColumn: call.column,
        ...(call.endLine === call.line && { endColumn: call.endColumn }),
        message: relatedMessage(call, lastName(call.callee)),
      });
    }
    const chain = chainOf(importing[0]!);
    const first = chain[0]!;
    const through = chain.map((call, i) => `${lastName(call.callee)}()${i < chain.length - 1 ? ` in ${chain[i + 1]!.file}` : ''}`).join(', then ');
    out.set(key, {
      ...sink.finding,
      message: `${sink.finding.message} (request data from ${first.file}:${first.line}, through ${through})`,
      related: [...related.slice(0, Math.max(1, maxRelated)), ...(sink.finding.related ?? [])].slice(0, maxRelated),
    });
  }
  return [...out.values()];
}
