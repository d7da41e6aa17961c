/**
 * Flows across files: a source-to-sink rule that follows request data into a helper of the same file also reports a sink reached
 * by a parameter of a function in one file when another file of the change calls that function with request data at that
 * position (a route handler and the DAO it calls).
 *
 * Two kinds of matches feed the join, both from the same ast-grep run as the rules:
 * - the parameter copy of a rule marked `cross-file: true` (id `<rule>@param`, built with the pack): its source is a parameter of
 *   the enclosing named function, and it binds `$HELPER_FN` (the function's name), `$HELPER_PARAM` and `$HELPER_PARAMS` (the list);
 * - the call probe `js/request-argument-probe`: an argument that is request data, with `$CALLEE` and `$CALL_ARGS`.
 * Neither is a finding. A pair joins when the names and the argument position agree, the files differ, the name is specific
 * enough (not `get`, `find`, `query`, …) and the calling file imports the sink's module by its file name. The finding is the
 * rule's own (its id, message and severity) at the sink, with the call as a related location.
 */
import { basename, extname, posix } from 'node:path';
import type { Finding, RelatedLocation } from '../../types.js';

/** Suffix of the parameter copies' ids. */
export const PARAM_COPY_SUFFIX = '@param';
/** The call probe's id. */
export const CALL_PROBE_ID = 'js/request-argument-probe';

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
    'list search index show new edit destroy insert select where count sort keys values toString valueOf'
  ).split(' '),
);

/** Whether a function name is specific enough to join a call with a definition by name alone (with the import). */
export function isSpecificName(name: string): boolean {
  return name.length >= 4 && !GENERIC_NAMES.has(name);
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

/** The module name a file is imported by: its base name without extension, or its folder's for an index file. */
function moduleNameOf(path: string): string {
  const name = basename(path, extname(path));
  return name === 'index' ? basename(posix.dirname(path)) : name;
}

/** The module names a file's text imports by a relative path (`require('./data/allocations-dao')`, `from '../dao/user.js'`). */
export function importedModules(text: string): Set<string> {
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
  position: number;
}

interface RequestCall {
  file: string;
  callee: string;
  position: number;
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
  const argsStart = args?.range?.byteOffset?.start;
  const argStart = match.range.byteOffset?.start;
  if (typeof callee !== 'string' || typeof args?.text !== 'string' || argsStart === undefined || argStart === undefined) return undefined;
  const position = argumentPosition(args.text, argStart - argsStart);
  if (position === undefined) return undefined;
  return {
    file: match.file,
    callee,
    position,
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
  const position = parameterPosition(params, param);
  return position === undefined ? undefined : { finding, fn: lastName(fn), position };
}

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
    const key = `${call.callee}\0${call.position}`;
    const list = byName.get(key);
    if (list) list.push(call);
    else byName.set(key, [call]);
  }
  const imports = new Map<string, Set<string>>();
  const importsOf = (file: string): Set<string> => {
    let names = imports.get(file);
    if (!names) imports.set(file, (names = importedModules(textOf(file) ?? '')));
    return names;
  };
  const out = new Map<string, Finding>();
  for (const sink of sinks) {
    if (!isSpecificName(sink.fn)) continue;
    const key = `${sink.finding.ruleId}\0${sink.finding.path}\0${sink.finding.startLine}`;
    if (already.has(key) || out.has(key)) continue;
    const moduleName = moduleNameOf(sink.finding.path);
    // The first calls are enough (they are related locations): a name called ten thousand times costs no more.
    const importing: RequestCall[] = [];
    for (const call of byName.get(`${sink.fn}\0${sink.position}`) ?? []) {
      if (call.file !== sink.finding.path && importsOf(call.file).has(moduleName)) importing.push(call);
      if (importing.length >= Math.max(1, maxRelated)) break;
    }
    if (importing.length === 0) continue;
    const related: RelatedLocation[] = importing.map((call) => ({
      path: call.file,
      startLine: call.line,
      endLine: call.endLine,
      startColumn: call.column,
      ...(call.endLine === call.line && { endColumn: call.endColumn }),
      message: `Request data is passed here to ${sink.fn}() as argument ${sink.position + 1}.`,
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
