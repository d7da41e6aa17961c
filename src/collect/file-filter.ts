import type { ChangedFile, SkippedFile } from '../types.js';

/**
 * Decides which changed files are reviewed. Vendored, generated and minified files are skipped by default — findings there are noise
 * the PR author cannot act on — and every skipped file is listed with its reason.
 */

/** Folders whose content is third-party by convention (a subset of GitHub Linguist's vendor list that is unambiguous). */
const VENDOR_DIRS = /(^|\/)(node_modules|bower_components|jspm_packages|vendor|vendors|third_party|third-party|thirdparty|\.yarn|Pods|Carthage|\.venv|venv|site-packages)\//;
const MINIFIED = /(\.|-)min\.(js|mjs|cjs|css)$|\.bundle\.js$|\.chunk\.js$/;
const GENERATED_NAMES =
  /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Pipfile\.lock|uv\.lock|Cargo\.lock|composer\.lock|Gemfile\.lock|go\.sum)$|\.(map|pb\.go|pb\.ts|generated\.ts|g\.dart)$|_pb2(_grpc)?\.py$/;

/** The sha git gives every empty file. */
const EMPTY_BLOB_SHA = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';

export interface LinguistRule {
  pattern: RegExp;
  source: string;
  /** `null`: the rule makes the attribute unspecified again (`!linguist-vendored`), so the built-in defaults apply. */
  vendored?: boolean | null;
  generated?: boolean | null;
}

/** Parses the `linguist-vendored` / `linguist-generated` attributes of a `.gitattributes` file. */
export function parseLinguistAttributes(text: string): LinguistRule[] {
  const rules: LinguistRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [pattern, ...attributes] = line.split(/\s+/);
    if (!pattern || pattern.startsWith('[attr]')) continue;
    const rule: LinguistRule = { pattern: gitattributesPatternToRegExp(pattern), source: pattern };
    for (const attribute of attributes) {
      const match = /^([-!]?)(linguist-vendored|linguist-generated)(?:=(.*))?$/.exec(attribute);
      if (!match) continue;
      const [, prefix, name, value] = match;
      const enabled = prefix === '!' ? null : prefix === '' && (value === undefined || value === 'true' || value === 'set');
      if (name === 'linguist-vendored') rule.vendored = enabled;
      else rule.generated = enabled;
    }
    if (rule.vendored !== undefined || rule.generated !== undefined) rules.push(rule);
  }
  return rules;
}

/**
 * gitattributes patterns follow gitignore's: a pattern without a slash matches a name at any depth; with a slash it is anchored at
 * the root; `**` spans folders; `*` and `?` stay inside one folder.
 */
export function gitattributesPatternToRegExp(pattern: string): RegExp {
  // A trailing slash only says "a folder"; a slash anywhere else anchors the pattern at the root.
  let glob = pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
  const anchored = glob.includes('/');
  if (glob.startsWith('/')) glob = glob.slice(1);
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob.charAt(i);
    if (char === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        source += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else {
        source += '[^/]*';
      }
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) {
        source += '\\[';
      } else {
        source += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else {
      source += char.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  const prefix = anchored ? '^' : '(?:^|/)';
  // A pattern naming a folder also covers what is inside it.
  return new RegExp(`${prefix}${source}(?:$|/)`);
}

export interface FileFilterOptions {
  linguist: LinguistRule[];
  /** Largest file (bytes) that is scanned; larger ones are listed as too large. */
  maxFileBytes?: number;
}

/** The last matching rule wins for each attribute, as in git. */
function linguistAttributes(path: string, rules: LinguistRule[]): { vendored?: boolean; generated?: boolean } {
  const result: { vendored?: boolean; generated?: boolean } = {};
  for (const rule of rules) {
    if (!rule.pattern.test(path)) continue;
    if (rule.vendored !== undefined) result.vendored = rule.vendored ?? undefined;
    if (rule.generated !== undefined) result.generated = rule.generated ?? undefined;
  }
  return result;
}

/** Why a changed file is not reviewed, or undefined when it is. Content-based checks (size) happen after download. */
export function skipReasonOf(file: ChangedFile, linguist: LinguistRule[]): SkippedFile | undefined {
  const path = file.path;
  if (file.status === 'removed') return { path, reason: 'removed', detail: 'deleted in this pull request' };
  // What a file is (vendored, generated) says more than how its diff looks: `-diff` in .gitattributes hides a generated file's
  // patch, and "binary" would be the wrong reason to give.
  const attributes = linguistAttributes(path, linguist);
  if (attributes.vendored === true) return { path, reason: 'vendored', detail: 'linguist-vendored in .gitattributes' };
  if (attributes.generated === true) return { path, reason: 'generated', detail: 'linguist-generated in .gitattributes' };
  if (attributes.vendored !== false && VENDOR_DIRS.test(path)) {
    return { path, reason: 'vendored', detail: 'third-party folder' };
  }
  if (attributes.generated !== false && MINIFIED.test(path)) return { path, reason: 'minified', detail: 'minified or bundled file' };
  if (attributes.generated !== false && GENERATED_NAMES.test(path)) {
    return { path, reason: 'generated', detail: 'lock file or generated code' };
  }
  if (file.patch === undefined) {
    if (file.additions + file.deletions === 0) {
      if (file.status === 'renamed' || file.status === 'copied') {
        return { path, reason: 'no-patch', detail: `${file.status} without content changes` };
      }
      // An empty file has no patch either (an empty __init__.py is common): it is not binary, there is just nothing to read.
      if (file.blobSha === EMPTY_BLOB_SHA) return { path, reason: 'empty', detail: 'empty file' };
      return { path, reason: 'binary', detail: 'binary file' };
    }
    return { path, reason: 'no-patch', detail: 'GitHub sent no patch (diff too large to show)' };
  }
  return undefined;
}

/** A NUL byte in the first 8000 bytes is git's own test for binary content. */
export function looksBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}
