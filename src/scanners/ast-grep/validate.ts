import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { mapLimit } from '../../util/concurrency.js';
import { runAstGrep } from './process.js';
import {
  configErrorReason,
  explainRuleError,
  writeEffectiveConfig,
  type EffectiveConfig,
  type RuleDocument,
  type RuleExclusion,
} from './rules.js';

/**
 * Finding the rules ast-grep refuses. ast-grep stops at the first rule that does not load, so when a configuration fails, every
 * rule is loaded alone (a few milliseconds each, a bounded number at a time) next to the utils; the ones that fail are named with
 * ast-grep's own reason. This runs only when the whole configuration failed: the common case costs nothing.
 */
export interface ValidateOptions {
  binary: string;
  /** A folder of our own for the single-rule configurations. */
  scratchDir: string;
  /** Per ast-grep process. */
  timeoutMs: number;
  signal?: AbortSignal;
  concurrency?: number;
  customLanguages: ReadonlySet<string>;
}

export type LoadOutcome = { ok: true } | { ok: false; reason: string; stderr: string };

/** Exit 1 is "error-level findings", not a failure; ast-grep says so on stderr. */
export function isSuccessfulExit(exitCode: number | null, stderr: string): boolean {
  return exitCode === 0 || (exitCode === 1 && /Scan succeeded/i.test(stderr));
}

/** Loads `config` by scanning an empty folder. */
export async function checkConfigLoads(config: EffectiveConfig, options: ValidateOptions): Promise<LoadOutcome> {
  const emptyDir = join(options.scratchDir, 'empty');
  await mkdir(emptyDir, { recursive: true });
  const run = await runAstGrep({
    binary: options.binary,
    args: ['scan', '-c', config.configPath, '--json=stream', '--custom-languages', 'ignore', '--color', 'never', '--', emptyDir],
    cwd: options.scratchDir,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
  if (run.spawnError) return { ok: false, reason: `ast-grep could not be started: ${run.spawnError.message}`, stderr: '' };
  if (run.timedOut) {
    return { ok: false, reason: `ast-grep did not load it within ${Math.round(options.timeoutMs / 1000)} s`, stderr: run.stderr };
  }
  if (run.aborted) return { ok: false, reason: 'cancelled', stderr: run.stderr };
  return isSuccessfulExit(run.exitCode, run.stderr) ? { ok: true } : { ok: false, reason: configErrorReason(run.stderr), stderr: run.stderr };
}

async function checkAlone(
  rules: RuleDocument[],
  utils: RuleDocument[],
  base: EffectiveConfig,
  options: ValidateOptions,
  utilsDir?: string,
): Promise<LoadOutcome> {
  const dir = await mkdtemp(join(options.scratchDir, 'check-'));
  const config = await writeEffectiveConfig(dir, rules, utils, base.languageGlobs, { utilsDir });
  return checkConfigLoads(config, options);
}

export interface BrokenRules {
  exclusions: RuleExclusion[];
  /** `languageGlobs` without the entries ast-grep refuses. */
  languageGlobs: Record<string, string[]>;
  /** One line per refused `languageGlobs` entry. */
  globProblems: string[];
}

/** The rules, utils and `languageGlobs` entries of `config` that ast-grep refuses, each with its reason. */
export async function findBrokenRules(given: EffectiveConfig, options: ValidateOptions): Promise<BrokenRules> {
  const concurrency = options.concurrency ?? 8;
  const exclusions: RuleExclusion[] = [];
  await mkdir(options.scratchDir, { recursive: true });

  // languageGlobs first: an entry ast-grep refuses (an unknown language) would otherwise be blamed on every rule.
  const globProblems: string[] = [];
  const languageGlobs: Record<string, string[]> = {};
  if (Object.keys(given.languageGlobs).length > 0) {
    const withGlobs = { ...given, rules: [], utils: [] };
    if ((await checkAlone([], [], withGlobs, options)).ok) {
      Object.assign(languageGlobs, given.languageGlobs);
    } else {
      const perLanguage = await mapLimit(Object.entries(given.languageGlobs), concurrency, async ([language, globs]) => ({
        language,
        globs,
        outcome: await checkAlone([], [], { ...given, languageGlobs: { [language]: globs } }, options),
      }));
      for (const { language, globs, outcome } of perLanguage) {
        if (outcome.ok) languageGlobs[language] = globs;
        else globProblems.push(`languageGlobs entry ${language} was ignored: ${outcome.reason}`);
      }
    }
  }
  const config: EffectiveConfig = { ...given, languageGlobs };

  // Utils first: a broken util breaks every rule, and ast-grep does not say which util file it was.
  let utils = config.utils;
  if (utils.length > 0) {
    const together = await checkAlone([], utils, config, options);
    if (!together.ok) {
      const alone = await mapLimit(utils, concurrency, async (util) => ({ util, outcome: await checkAlone([], [util], config, options) }));
      const good: RuleDocument[] = [];
      for (const { util, outcome } of alone) {
        if (outcome.ok) good.push(util);
        else exclusions.push({ doc: util, kind: 'util', reason: explainRuleError(util, outcome.reason, options.customLanguages) });
      }
      // Utils that only fail together (one refers to another that was dropped): drop them all rather than guess.
      const rest = good.length > 0 ? await checkAlone([], good, config, options) : ({ ok: true } as const);
      if (!rest.ok) {
        for (const util of good) exclusions.push({ doc: util, kind: 'util', reason: rest.reason });
        utils = [];
      } else {
        utils = good;
      }
    }
  }

  let sharedUtils: string | undefined;
  if (utils.length > 0) {
    const written = await writeEffectiveConfig(await mkdtemp(join(options.scratchDir, 'utils-')), [], utils, config.languageGlobs);
    sharedUtils = join(written.dir, 'utils');
  }
  const perRule = await mapLimit(config.rules, concurrency, async (rule) => ({
    rule,
    outcome: await checkAlone([rule], [], config, options, sharedUtils),
  }));
  for (const { rule, outcome } of perRule) {
    if (!outcome.ok) exclusions.push({ doc: rule, kind: 'rule', reason: explainRuleError(rule, outcome.reason, options.customLanguages) });
  }
  return { exclusions, languageGlobs, globProblems };
}
