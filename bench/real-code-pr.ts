/**
 * A benchmark pull request made of real code: the sources of a fixed list of npm packages from this repository's lockfile
 * (node_modules after `npm ci`), added under `packages/` as one change. Its critical findings are what the rule pack finds in
 * real, widely used code, not planted ones: the density that decides whether tiering pays.
 *
 * Deterministic for a given lockfile: files are walked in sorted order; tests, type declarations, minified bundles, files over
 * 60 KB or under 200 bytes are left out.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { PullRequestFixtureSpec } from '../__tests__/support/git-fixture.js';

export const REAL_CODE_PACKAGES = [
  '@modelcontextprotocol',
  '@octokit',
  'ajv',
  'body-parser',
  'bottleneck',
  'cross-spawn',
  'debug',
  'esbuild',
  'express',
  'finalhandler',
  'hono',
  'iconv-lite',
  'zod',
] as const;

const SOURCE = /\.(js|mjs|cjs|ts)$/;
const LEFT_OUT = /\.d\.[cm]?ts$|\.min\./;
const SKIPPED_DIRS = new Set(['node_modules', 'test', 'tests', '__tests__']);

export interface RealCodePr {
  spec: PullRequestFixtureSpec;
  /** Packages found in node_modules (a missing one is left out, and named here). */
  packages: string[];
  missing: string[];
  files: number;
  lines: number;
}

/** `packages`: [6] uses REAL_CODE_PACKAGES; [7] (cli-bench.ts) adds two more for ~2,000 files. */
export function realCodePr(root: string, packages: readonly string[] = REAL_CODE_PACKAGES): RealCodePr {
  const head: Record<string, string> = {};
  const found: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) {
        if (!SKIPPED_DIRS.has(name)) walk(path);
      } else if (SOURCE.test(name) && !LEFT_OUT.test(name) && stat.size >= 200 && stat.size <= 60_000) {
        head[`packages/${relative(join(root, 'node_modules'), path).replace(/^@/, '')}`] = readFileSync(path, 'utf8');
      }
    }
  };
  for (const name of packages) {
    const dir = join(root, 'node_modules', name);
    try {
      statSync(dir);
    } catch {
      missing.push(name);
      continue;
    }
    found.push(name);
    walk(dir);
  }
  const lines = Object.values(head).reduce((n, text) => n + text.split('\n').length, 0);
  return { spec: { base: { 'README.md': '# monorepo\n' }, head }, packages: found, missing, files: Object.keys(head).length, lines };
}
