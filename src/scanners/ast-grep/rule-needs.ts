/**
 * What text a file must contain for a rule to be able to match in it, read from the rule itself: the words of its patterns and the
 * literals its regexes require, through `all`, `any`, `has`/`inside`/`follows`/`precedes` and `matches` (every node a match
 * touches is text of the same file). ast-grep compiles every rule it is given before it reads a file, and on a small change that
 * compilation is most of the scan; a rule whose needs the changed files do not meet cannot report anything there and is not
 * started. Only what is certain counts: anything not understood (an object pattern, a strictness other than the default, a regex
 * construct outside the simple subset below) adds no condition, so the rule runs.
 */

/** A literal the text must contain; `ignoreCase` when its regex is case-insensitive. */
export interface Literal {
  text: string;
  ignoreCase: boolean;
}

/** The text contains at least one of the literals. */
export type Clause = Literal[];

/** Every clause holds (an empty list: nothing is known, the rule always runs). */
export type Needs = Clause[];

/** At most this many alternatives in one clause, and strings in an expanded regex alternation: beyond, the clause is dropped. */
const MAX_ALTERNATIVES = 64;
/** At most this many clauses per rule (the most selective kept): each costs a search of the files. */
const MAX_CLAUSES = 4;

// ---------------------------------------------------------------------------------------------------------------------------------
// Regexes (Rust `regex` syntax, as ast-grep reads it)

type RegexNode =
  | { t: 'lit'; s: string }
  | { t: 'any' }
  | { t: 'cat'; items: RegexNode[] }
  | { t: 'alt'; items: RegexNode[] }
  | { t: 'rep'; node: RegexNode; min: number; max: number };

class Unsupported extends Error {}

const ANY: RegexNode = { t: 'any' };
const EMPTY: RegexNode = { t: 'lit', s: '' };

/** Parses the subset of the syntax this reads; throws Unsupported on anything else. */
class RegexParser {
  private i = 0;
  /** Set when a part of the regex is case-insensitive. */
  ignoreCase = false;
  constructor(private readonly src: string) {}

  parse(): RegexNode {
    const node = this.alternation();
    if (this.i < this.src.length) throw new Unsupported('unbalanced');
    return node;
  }

  private alternation(): RegexNode {
    const items = [this.concatenation()];
    while (this.src[this.i] === '|') {
      this.i++;
      items.push(this.concatenation());
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  private concatenation(): RegexNode {
    const items: RegexNode[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      items.push(this.quantified(this.atom()));
    }
    return items.length === 1 ? items[0]! : { t: 'cat', items };
  }

  private quantified(node: RegexNode): RegexNode {
    for (;;) {
      const c = this.src[this.i];
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, Infinity];
      else if (c === '+') [min, max] = [1, Infinity];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
        if (!m) throw new Unsupported('brace');
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        this.i += m[0].length - 1;
      } else return node;
      this.i++;
      if (this.src[this.i] === '?') this.i++; // lazy
      node = { t: 'rep', node, min, max };
    }
  }

  private atom(): RegexNode {
    const c = this.src[this.i]!;
    if (c === '(') return this.group();
    if (c === '[') {
      this.skipClass();
      return ANY;
    }
    this.i++;
    if (c === '.') return ANY;
    if (c === '^' || c === '$') return EMPTY;
    if (c === '\\') return this.escape();
    if (c === '*' || c === '+' || c === '?' || c === '{') throw new Unsupported('quantifier without atom');
    return { t: 'lit', s: c };
  }

  private escape(): RegexNode {
    const c = this.src[this.i++];
    if (c === undefined) throw new Unsupported('trailing backslash');
    // Assertions: word boundaries (also `\b{start}`), `\<` and `\>` (word start and end in Rust's regex), text start and end.
    if ('bB'.includes(c) && this.src[this.i] === '{') this.i = this.src.indexOf('}', this.i) + 1 || this.src.length;
    if ('bBAz<>'.includes(c)) return EMPTY;
    const controls: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v' };
    if (controls[c] !== undefined) return { t: 'lit', s: controls[c] };
    if ('dDwWsS'.includes(c)) return ANY;
    if ('xuUpP'.includes(c)) {
      if (this.src[this.i] === '{') {
        const end = this.src.indexOf('}', this.i);
        if (end < 0) throw new Unsupported('escape');
        this.i = end + 1;
      } else this.i += c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 1;
      return ANY;
    }
    if (/[A-Za-z0-9]/.test(c)) throw new Unsupported(`escape \\${c}`);
    return { t: 'lit', s: c };
  }

  private group(): RegexNode {
    this.i++; // (
    if (this.src[this.i] === '?') {
      const rest = this.src.slice(this.i + 1);
      const named = /^P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(rest);
      // Flags, for the rest of the group `(?i)` or for a group `(?is:…)`, `(?-i:…)`: a case-insensitive part makes the whole
      // regex read as case-insensitive (a looser test, never a stricter one); `x` changes what spaces mean and is not read.
      const flags = /^([imsUR]*)(-[imsUR]*)?(\)|:)/.exec(rest);
      if (named) this.i += 1 + named[0].length;
      else if (flags) {
        if (flags[1]!.includes('i')) this.ignoreCase = true;
        this.i += 1 + flags[0].length;
        if (flags[3] === ')') return EMPTY;
      } else throw new Unsupported('flags or lookaround');
    }
    const node = this.alternation();
    if (this.src[this.i] !== ')') throw new Unsupported('unclosed group');
    this.i++;
    return node;
  }

  /** `[...]`, nested classes and escapes included. */
  private skipClass(): void {
    let depth = 0;
    while (this.i < this.src.length) {
      const c = this.src[this.i]!;
      if (c === '\\') {
        this.i += 2;
      } else if (c === '[') {
        depth++;
        this.i++;
        if (this.src[this.i] === '^') this.i++;
        if (this.src[this.i] === ']') this.i++; // a leading ] is a literal
      } else if (c === ']') {
        depth--;
        this.i++;
        if (depth === 0) return;
      } else this.i++;
    }
    throw new Unsupported('unclosed class');
  }
}

/** The finite set of strings a node matches exactly, or undefined (unbounded, unknown, or too many). */
function exactStrings(node: RegexNode): string[] | undefined {
  switch (node.t) {
    case 'lit':
      return [node.s];
    case 'any':
      return undefined;
    case 'alt': {
      const all: string[] = [];
      for (const item of node.items) {
        const strings = exactStrings(item);
        if (!strings) return undefined;
        all.push(...strings);
      }
      return all.length <= MAX_ALTERNATIVES ? [...new Set(all)] : undefined;
    }
    case 'cat':
      return product(node.items.map(exactStrings));
    case 'rep': {
      if (node.max > 1) return undefined;
      const inner = exactStrings(node.node);
      if (!inner) return undefined;
      return node.min === 1 ? inner : node.max === 0 ? [''] : [...new Set(['', ...inner])];
    }
  }
}

function product(sets: (string[] | undefined)[]): string[] | undefined {
  let out = [''];
  for (const set of sets) {
    if (!set || out.length * set.length > MAX_ALTERNATIVES * 4) return undefined;
    const next: string[] = [];
    for (const a of out) for (const b of set) next.push(a + b);
    if (next.length > MAX_ALTERNATIVES) return undefined;
    out = [...new Set(next)];
  }
  return out;
}

/** Of two candidate sets, the one that says more: its shortest string longer, then fewer strings. */
function better(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a) return b;
  if (!b) return a;
  const shortest = (set: string[]): number => Math.min(...set.map((s) => s.length));
  if (shortest(a) !== shortest(b)) return shortest(a) > shortest(b) ? a : b;
  return a.length <= b.length ? a : b;
}

const useful = (set: string[] | undefined): string[] | undefined => (set && set.length > 0 && set.every((s) => s.length > 0) ? set : undefined);

/** Strings one of which is in every text the node matches (each non-empty), or undefined. */
function requiredStrings(node: RegexNode): string[] | undefined {
  switch (node.t) {
    case 'lit':
      return useful([node.s]);
    case 'any':
      return undefined;
    case 'rep':
      return node.min >= 1 ? requiredStrings(node.node) : undefined;
    case 'alt': {
      const all: string[] = [];
      for (const item of node.items) {
        const strings = requiredStrings(item) ?? useful(exactStrings(item));
        if (!strings) return undefined;
        all.push(...strings);
      }
      return all.length <= MAX_ALTERNATIVES ? [...new Set(all)] : undefined;
    }
    case 'cat': {
      let best: string[] | undefined;
      // Runs of items with exact strings are text in a row: their product is required (split where it grows too large).
      let run: string[] = [''];
      const flush = (): void => {
        best = better(best, useful(run));
        run = [''];
      };
      for (const item of node.items) {
        best = better(best, requiredStrings(item));
        const strings = exactStrings(item);
        if (!strings) {
          flush();
          continue;
        }
        const next = product([run, strings]);
        if (next) run = next;
        else {
          flush();
          run = strings;
        }
      }
      flush();
      return best;
    }
  }
}

const regexClauses = new Map<string, Clause | undefined>();

/** What a rule `regex` requires of the matched node's text (a substring of the file): one clause, or undefined. */
export function regexClause(source: string): Clause | undefined {
  if (!regexClauses.has(source)) regexClauses.set(source, readRegexClause(source));
  return regexClauses.get(source);
}

function readRegexClause(source: string): Clause | undefined {
  const parser = new RegexParser(source);
  let strings: string[] | undefined;
  try {
    strings = requiredStrings(parser.parse());
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  return strings?.map((text) => ({ text, ignoreCase: parser.ignoreCase }));
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Rules

/** Words of a pattern that are not metavariables (`$A`, `$$$ARGS`, `$_`); each must appear as written in a match. */
function patternWords(pattern: string): string[] {
  return [...pattern.matchAll(/(?<![$\w])[A-Za-z_]\w*/g)].map((m) => m[0]);
}

/**
 * One rule's context: its local utils (which share its metavariables), the global utils (which do not), and its `constraints`
 * (metavariable → rule), checked on every metavariable a match captured.
 */
interface RuleContext {
  local: Record<string, unknown>;
  global: ReadonlyMap<string, unknown>;
  constraints: Record<string, unknown>;
  memo: Map<string, Needs>;
  visiting: Set<string>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** How much a clause says: its shortest literal first, then how few alternatives it has. */
const weight = (clause: Clause): number => Math.min(...clause.map((l) => l.text.length)) * 1000 - clause.length;

/** The single clause that says the most, for an `any` branch. */
function strongest(needs: Needs): Clause | undefined {
  return needs.reduce<Clause | undefined>((best, clause) => (!best || weight(clause) > weight(best) ? clause : best), undefined);
}

/** Single metavariables (`$A`, not `$$$A` nor `$_`) of a pattern. */
function patternMetavariables(pattern: string): string[] {
  return [...pattern.matchAll(/(?<![$\w])\$([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!).filter((name) => name !== '_');
}

function ruleNeeds(rule: unknown, context: RuleContext): Needs {
  if (!isRecord(rule)) return [];
  const needs: Needs = [];
  if (typeof rule.pattern === 'string') {
    const words = [...new Set(patternWords(rule.pattern))].sort((a, b) => b.length - a.length).slice(0, 2);
    for (const text of words) needs.push([{ text, ignoreCase: false }]);
    // A match through this pattern captured its metavariables, so their constraints hold on text of the same file.
    for (const name of patternMetavariables(rule.pattern)) {
      if (Object.hasOwn(context.constraints, name)) needs.push(...utilNeeds(`constraint ${name}`, context.constraints[name], context));
    }
  }
  if (typeof rule.regex === 'string') {
    const clause = regexClause(rule.regex);
    if (clause) needs.push(clause);
  }
  for (const relation of ['has', 'inside', 'follows', 'precedes']) needs.push(...ruleNeeds(rule[relation], context));
  if (Array.isArray(rule.all)) for (const item of rule.all) needs.push(...ruleNeeds(item, context));
  if (Array.isArray(rule.any)) {
    const union: Literal[] = [];
    let known = rule.any.length > 0;
    for (const item of rule.any) {
      const clause = strongest(ruleNeeds(item, context));
      if (!clause) {
        known = false;
        break;
      }
      union.push(...clause);
    }
    const distinct = [...new Map(union.map((l) => [`${l.ignoreCase ? 'i' : 's'}${l.text}`, l])).values()];
    if (known && distinct.length <= MAX_ALTERNATIVES) needs.push(distinct);
  }
  if (typeof rule.matches === 'string') {
    const name = rule.matches;
    if (Object.hasOwn(context.local, name)) needs.push(...utilNeeds(`util ${name}`, context.local[name], context));
    else if (context.global.has(name)) {
      // A global util has metavariables of its own: the rule's constraints do not apply inside it.
      needs.push(...utilNeeds(`global ${name}`, context.global.get(name), { ...context, constraints: {} }));
    }
  }
  return needs;
}

/** The needs of a util or constraint, once per rule (the shared flow refers to the same utils many times); none for a cycle. */
function utilNeeds(key: string, rule: unknown, context: RuleContext): Needs {
  const known = context.memo.get(key);
  if (known) return known;
  if (context.visiting.has(key)) return [];
  context.visiting.add(key);
  const needs = ruleNeeds(rule, context);
  context.visiting.delete(key);
  context.memo.set(key, needs);
  return needs;
}

/**
 * What a rule document (parsed: `rule`, `utils`, `constraints`) needs of a file's text; `globalUtils` maps the configuration's util
 * ids to their rules. An empty list when nothing certain is known.
 */
export function needsOfRule(content: Record<string, unknown> | undefined, globalUtils: ReadonlyMap<string, unknown>): Needs {
  if (!content) return [];
  const context: RuleContext = {
    local: isRecord(content.utils) ? content.utils : {},
    global: globalUtils,
    constraints: isRecord(content.constraints) ? content.constraints : {},
    memo: new Map(),
    visiting: new Set(),
  };
  const needs = ruleNeeds(content.rule, context);
  // The most selective first; a few are enough.
  return needs.sort((a, b) => weight(b) - weight(a)).slice(0, MAX_CLAUSES);
}

const foldCase = (text: string): string => text.toLowerCase().replace(/\u017f/g, 's');

/**
 * The files' texts, searched for the literals of rules' needs. A clause may be met in one file and the next clause in another: a
 * looser test than one file meeting all (a rule matches within one file), never a stricter one. Each literal is searched once.
 */
export class TextPool {
  private readonly text: string;
  private lower: string | undefined;
  private readonly found = new Map<string, boolean>();
  private readonly foundIgnoringCase = new Map<string, boolean>();

  constructor(texts: readonly string[]) {
    this.text = texts.join('\n\0\n');
  }

  private has(literal: Literal): boolean {
    const cache = literal.ignoreCase ? this.foundIgnoringCase : this.found;
    let found = cache.get(literal.text);
    if (found === undefined) {
      // Rust's case-insensitive regexes fold with Unicode: ſ (U+017F) matches s; toLowerCase already maps the Kelvin sign to k.
      found = literal.ignoreCase ? (this.lower ??= foldCase(this.text)).includes(foldCase(literal.text)) : this.text.includes(literal.text);
      cache.set(literal.text, found);
    }
    return found;
  }

  /** Whether the texts meet every clause. */
  meets(needs: Needs): boolean {
    return needs.every((clause) => clause.some((literal) => this.has(literal)));
  }
}
