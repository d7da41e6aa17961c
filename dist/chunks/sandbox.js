import { realpathSync, lstatSync, openSync, constants, fstatSync, readSync, closeSync } from 'node:fs';
import { realpath, mkdir, link, copyFile, writeFile } from 'node:fs/promises';
import { resolve, join, isAbsolute, posix, dirname, sep } from 'node:path';
import { E as ExternalServiceError, g as getErrorMessage } from './errors.js';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';

/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order. */
async function mapLimit(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await fn(items[index], index);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return results;
}

/**
 * Thin wrappers over the git CLI. Git only ever reads here: no hooks, no filters, no pager, no external diff driver — the repository
 * may be a pull request's checkout, and its config must not run anything.
 */
const SAFE_GIT_ARGS = ['--no-pager', '-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false'];
const SAFE_GIT_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' };
/** git with the safe arguments and environment above; for callers that stream its output (`git archive`). */
function spawnGit(cwd, args) {
    return spawn('git', [...SAFE_GIT_ARGS, ...args], { cwd, env: { ...process.env, ...SAFE_GIT_ENV }, stdio: ['pipe', 'pipe', 'pipe'] });
}
async function runGit(cwd, args, input) {
    return new Promise((resolve, reject) => {
        const child = spawnGit(cwd, args);
        const out = [];
        const err = [];
        child.stdout.on('data', (chunk) => out.push(chunk));
        child.stderr.on('data', (chunk) => err.push(chunk));
        child.on('error', (error) => reject(new ExternalServiceError(`git could not start: ${error.message}`, 'git')));
        child.on('close', (code) => {
            if (code === 0)
                resolve(Buffer.concat(out));
            else {
                const stderr = Buffer.concat(err).toString('utf8').trim();
                reject(new ExternalServiceError(`git ${args.slice(0, 3).join(' ')} failed (exit ${code}): ${stderr}`, 'git', code ?? undefined));
            }
        });
        // git may exit before reading its input (not a repository, bad arguments): the exit code reports that; an EPIPE on stdin
        // must not become an uncaught exception.
        child.stdin.on('error', () => undefined);
        child.stdin.end(input);
    });
}
async function gitText(cwd, args, input) {
    return (await runGit(cwd, args, input)).toString('utf8');
}
/** Reads many objects with one `git cat-file --batch`; missing objects are absent from the map. */
async function readObjects(cwd, shas) {
    const result = new Map();
    if (shas.length === 0)
        return result;
    const unique = [...new Set(shas)];
    const output = await runGit(cwd, ['cat-file', '--batch'], Buffer.from(unique.join('\n') + '\n'));
    let offset = 0;
    for (const sha of unique) {
        const newline = output.indexOf(0x0a, offset);
        if (newline === -1)
            break;
        const header = output.subarray(offset, newline).toString('utf8');
        offset = newline + 1;
        // "<sha> <type> <size>" or "<name> missing"
        const parts = header.split(' ');
        if (parts[1] === 'missing' || parts.length < 3)
            continue;
        const size = Number(parts[2]);
        result.set(sha, output.subarray(offset, offset + size));
        offset += size + 1;
    }
    return result;
}
/** Sizes of many objects with one `git cat-file --batch-check`, without reading them; missing objects are absent. */
async function readObjectSizes(cwd, shas) {
    const result = new Map();
    if (shas.length === 0)
        return result;
    const unique = [...new Set(shas)];
    const output = await gitText(cwd, ['cat-file', '--batch-check'], Buffer.from(unique.join('\n') + '\n'));
    for (const line of output.split('\n')) {
        // "<sha> <type> <size>" or "<name> missing"
        const [sha, type, size] = line.split(' ');
        if (sha && type && type !== 'missing' && size !== undefined)
            result.set(sha, Number(size));
    }
    return result;
}
/** The sha git gives a blob with this content; compares a checked-out file with the head commit without git. */
function gitBlobSha(content) {
    return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/**
 * Decides which changed files are reviewed. Vendored, generated and minified files are skipped by default — findings there are noise
 * the PR author cannot act on — and every skipped file is listed with its reason.
 */
/** Folders whose content is third-party by convention (a subset of GitHub Linguist's vendor list that is unambiguous). */
const VENDOR_DIRS = /(^|\/)(node_modules|bower_components|jspm_packages|vendor|vendors|third_party|third-party|thirdparty|\.yarn|Pods|Carthage|\.venv|venv|site-packages)\//;
const MINIFIED = /(\.|-)min\.(js|mjs|cjs|css)$|\.bundle\.js$|\.chunk\.js$/;
/**
 * A folder of libraries inside the folder a web server serves as it is (`public/plugins/daterangepicker/`, `static/js/lib/`,
 * `wwwroot/lib/`, `assets/vendors/`): what is copied there is someone else's browser code. Only browser files: an API spec or a
 * server module that happens to sit in such a folder is still reviewed.
 */
const STATIC_LIBRARY_DIRS = /(^|\/)(public|static|assets|wwwroot)\/(?:[^/]+\/)*?(plugins|vendors?|libs?|bower_components|third[-_]party|external)\//;
const BROWSER_FILE = /\.(js|mjs|cjs|jsx|css|html?)$/i;
/** The file names of jQuery plugins and jQuery's own builds: `jquery.sparkline.js`, `jquery.dcjqaccordion.2.7.js`, `jquery-ui-1.13.2.js`. */
const JQUERY_FAMILY = /(^|\/)jquery[.-][^/]+\.js$/i;
const GENERATED_NAMES = /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Pipfile\.lock|uv\.lock|Cargo\.lock|composer\.lock|Gemfile\.lock|go\.sum)$|\.(map|pb\.go|pb\.ts|generated\.ts|g\.dart)$|_pb2(_grpc)?\.py$/;
/** The sha git gives every empty file. */
const EMPTY_BLOB_SHA = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';
/** Parses the `linguist-vendored` / `linguist-generated` attributes of a `.gitattributes` file. */
function parseLinguistAttributes(text) {
    const rules = [];
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            continue;
        const [pattern, ...attributes] = line.split(/\s+/);
        if (!pattern || pattern.startsWith('[attr]'))
            continue;
        const rule = { pattern: gitattributesPatternToRegExp(pattern), source: pattern };
        for (const attribute of attributes) {
            const match = /^([-!]?)(linguist-vendored|linguist-generated)(?:=(.*))?$/.exec(attribute);
            if (!match)
                continue;
            const [, prefix, name, value] = match;
            const enabled = prefix === '!' ? null : prefix === '' && (value === undefined || value === 'true' || value === 'set');
            if (name === 'linguist-vendored')
                rule.vendored = enabled;
            else
                rule.generated = enabled;
        }
        if (rule.vendored !== undefined || rule.generated !== undefined)
            rules.push(rule);
    }
    return rules;
}
/**
 * gitattributes patterns follow gitignore's: a pattern without a slash matches a name at any depth; with a slash it is anchored at
 * the root; `**` spans folders; `*` and `?` stay inside one folder.
 */
function gitattributesPatternToRegExp(pattern) {
    // A trailing slash only says "a folder"; a slash anywhere else anchors the pattern at the root.
    let glob = pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
    const anchored = glob.includes('/');
    if (glob.startsWith('/'))
        glob = glob.slice(1);
    let source = '';
    for (let i = 0; i < glob.length; i++) {
        const char = glob.charAt(i);
        if (char === '*') {
            if (glob[i + 1] === '*') {
                const slashAfter = glob[i + 2] === '/';
                source += slashAfter ? '(?:.*/)?' : '.*';
                i += slashAfter ? 2 : 1;
            }
            else {
                source += '[^/]*';
            }
        }
        else if (char === '?') {
            source += '[^/]';
        }
        else if (char === '[') {
            const end = glob.indexOf(']', i + 1);
            if (end === -1) {
                source += '\\[';
            }
            else {
                source += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
                i = end;
            }
        }
        else {
            source += char.replace(/[.+^${}()|\\]/g, '\\$&');
        }
    }
    const prefix = anchored ? '^' : '(?:^|/)';
    // A pattern naming a folder also covers what is inside it.
    return new RegExp(`${prefix}${source}(?:$|/)`);
}
/** The last matching rule wins for each attribute, as in git. */
function linguistAttributes(path, rules) {
    const result = {};
    for (const rule of rules) {
        if (!rule.pattern.test(path))
            continue;
        if (rule.vendored !== undefined)
            result.vendored = rule.vendored ?? undefined;
        if (rule.generated !== undefined)
            result.generated = rule.generated ?? undefined;
    }
    return result;
}
/** Why a changed file is not reviewed, or undefined when it is. Content-based checks (size) happen after download. */
function skipReasonOf(file, linguist) {
    const path = file.path;
    if (file.status === 'removed')
        return { path, reason: 'removed', detail: 'deleted in this pull request' };
    // What a file is (vendored, generated) says more than how its diff looks: `-diff` in .gitattributes hides a generated file's
    // patch, and "binary" would be the wrong reason to give.
    const attributes = linguistAttributes(path, linguist);
    if (attributes.vendored === true)
        return { path, reason: 'vendored', detail: 'linguist-vendored in .gitattributes' };
    if (attributes.generated === true)
        return { path, reason: 'generated', detail: 'linguist-generated in .gitattributes' };
    if (attributes.vendored !== false && VENDOR_DIRS.test(path)) {
        return { path, reason: 'vendored', detail: 'third-party folder' };
    }
    if (attributes.generated !== false && MINIFIED.test(path))
        return { path, reason: 'minified', detail: 'minified or bundled file' };
    if (attributes.vendored !== false && BROWSER_FILE.test(path)) {
        const folder = STATIC_LIBRARY_DIRS.exec(path);
        if (folder)
            return { path, reason: 'vendored', detail: `library folder under a served static folder (${folder[0].replace(/^\//, '')})` };
        if (JQUERY_FAMILY.test(path))
            return { path, reason: 'vendored', detail: 'file name of a jQuery plugin (jquery.<plugin>.js)' };
    }
    if (attributes.generated !== false && GENERATED_NAMES.test(path)) {
        return { path, reason: 'generated', detail: 'lock file or generated code' };
    }
    if (file.patch === undefined) {
        if (file.additions + file.deletions === 0) {
            if (file.status === 'renamed' || file.status === 'copied') {
                return { path, reason: 'no-patch', detail: `${file.status} without content changes` };
            }
            // An empty file has no patch either (an empty __init__.py is common): it is not binary, there is just nothing to read.
            if (file.blobSha === EMPTY_BLOB_SHA)
                return { path, reason: 'empty', detail: 'empty file' };
            return { path, reason: 'binary', detail: 'binary file' };
        }
        return { path, reason: 'no-patch', detail: 'GitHub sent no patch (diff too large to show)' };
    }
    return undefined;
}
/** A NUL byte in the first 8000 bytes is git's own test for binary content. */
function looksBinary(content) {
    return content.subarray(0, 8000).includes(0);
}
/** How much of a file the content checks read: a banner or a bundle preamble is at the top, and minified code shows at once. */
const CONTENT_SAMPLE_BYTES = 8 * 1024;
/** Where a library's banner may stand: after a shebang, `'use strict'` or a short comment, within the first kilobyte. */
const BANNER_BYTES = 1024;
/** The file types whose copies are vendored or minified in web projects (Python and TypeScript are not shipped minified). */
const WEB_ASSET = /\.(js|mjs|cjs|jsx|css)$/i;
/** Names in the banners of libraries that are commonly copied into a repository (`public/js/`, `static/`, `assets/`). */
const KNOWN_LIBRARIES = [
    ['jQuery', /\bjQuery\b(?: UI)?(?: JavaScript Library)? v?\d/i],
    ['Bootstrap', /\bBootstrap v?\d+\.\d+/i],
    ['Materialize', /\bMaterialize v?\d+\.\d+/i],
    ['three.js', /@license[\s\S]{0,200}\bThree\.js Authors|\bthree\.js\b[\s\S]{0,80}@license|@license[\s\S]{0,80}\bthree\.js\b/i],
    ['Lodash', /@license[\s\S]{0,120}\bLodash\b|\bLodash <https:\/\/lodash\.com\/>|\blodash\.com\/license/i],
    ['Underscore.js', /\bUnderscore\.js \d+\.\d+/i],
    ['Moment.js', /\/\/! moment\.js|\bmoment\.js\b[\s\S]{0,40}\bversion\s*:\s*\d/i],
    ['React', /@license React v?\d+\.\d+|@license React\b/],
    ['Vue.js', /\bVue\.js v\d+\.\d+/],
    ['AngularJS', /@license AngularJS v\d+\.\d+/],
    ['D3', /\bd3js\.org v?\d+\.\d+|https:\/\/d3js\.org Version \d/i],
    ['Chart.js', /\bChart\.js v\d+\.\d+/i],
    ['Popper.js', /@popperjs\/core v\d|\bPopper\.js v?\d/i],
    ['Font Awesome', /\bFont Awesome (Free|Pro) \d+\.\d+/i],
    ['Handlebars', /@license\s+handlebars v\d|\bhandlebars v\d+\.\d+/i],
    ['Backbone.js', /\bBackbone\.js \d+\.\d+/i],
    ['Socket.IO', /\bSocket\.IO v\d+\.\d+/i],
    ['HTML5 Shiv', /\bHTML5 Shiv\b/i],
];
/** A version number in a banner: `v1.2.3`, `1.2.3`, `version : 2.29.4`. */
const BANNER_VERSION = /(?:^|[\s(@])(?:v|version\s*:?\s*)?(\d+\.\d+\.\d+(?:-?(?:pre|alpha|beta|rc|dev)\.?\d*)?)\b/i;
/** A license statement: `MIT/GPL2 Licensed`, `Licensed under the MIT license`, `License: New BSD License`, `MIT License`. */
const LICENSE_STATEMENT = /\blicen[cs]ed\b|\blicen[cs]e\s*:|\b(?:MIT|BSD|GPL\w*|LGPL\w*|ISC|MPL[\w.-]*)\s+licen[cs]e\b/i;
/**
 * The comments a library puts at the top of its file for the world to keep: `/*! … *\/` (the minifiers' convention), a block
 * comment with `@license` or `@preserve`, and `//!` lines. Ordinary comments are passed over, so a file of ours that mentions
 * `jQuery v3.6.0` in a plain comment is not taken for jQuery.
 */
function bannerOf(head) {
    let rest = afterPreamble(head);
    const kept = [];
    for (;;) {
        rest = rest.trimStart();
        const block = /^\/\*[\s\S]*?\*\//.exec(rest)?.[0];
        if (block !== undefined) {
            if (block.startsWith('/*!') || /@license|@preserve/.test(block))
                kept.push(block);
            rest = rest.slice(block.length);
            continue;
        }
        const line = /^\/\/[^\n]*/.exec(rest)?.[0];
        if (line === undefined)
            break;
        if (line.startsWith('//!') || /@license|@preserve/.test(line))
            kept.push(line);
        rest = rest.slice(line.length);
    }
    return kept.join('\n');
}
/** What is left of the head once a shebang and `'use strict'` are passed over. */
function afterPreamble(head) {
    return head
        .slice(0, BANNER_BYTES)
        .replace(/^#![^\n]*\n/, '')
        .replace(/^\s*(['"])use strict\1;?/, '');
}
/**
 * The comment a file opens with (one block comment, or a run of `//` lines): where a library copied without a `/*!` banner still
 * names itself (`/*\n HTML5 Shiv v3.6.2pre | … | MIT/GPL2 Licensed\n*\/`, `jquery.sparkline.js … v2.1.2 … License: New BSD`).
 */
function leadingCommentOf(head) {
    const rest = afterPreamble(head).trimStart();
    const block = /^\/\*[\s\S]*?\*\//.exec(rest)?.[0];
    if (block !== undefined)
        return block;
    return /^(?:\/\/[^\n]*(?:\n[ \t]*|$))+/.exec(rest)?.[0] ?? '';
}
/** What bundlers put at the top of their output. */
const BUNDLE_PREAMBLES = [
    ['webpack bundle', /webpackBootstrap|__webpack_require__|\/\*{6}\/ \(/],
    ['browserify bundle', /^\(function\(\)\{function r\(e,n,t\)|^require=\(function e\(t,n,r\)/],
    ['parcel bundle', /\bparcelRequire\b/],
    ['esbuild bundle', /^(?:"use strict";\s*)?var __create = Object\.create;\s*var __defProp = Object\.defineProperty;/],
    ['UMD bundle (rollup)', /^(?:\/\*[\s\S]{0,600}?\*\/\s*)?\(function \(global, factory\) \{\s*typeof exports === 'object' && typeof module !== 'undefined' \? (?:module\.exports = )?factory\(/],
];
/** A line this long in the first 8 KiB is generated, not written: hand-written code stays far below. */
const MINIFIED_LINE_CHARS = 2000;
/** Or this many characters per line on average over at least 4 KiB. */
const MINIFIED_AVERAGE_CHARS = 250;
/**
 * Or this many lines of at least `WRAPPED_LINE_CHARS`: minifiers that wrap their output (Closure Compiler's ~500-character lines)
 * after a license comment of short lines, which keeps the average low. Hand-written code has a long line now and then (a data
 * URI, a long string), not eight of them in 8 KiB.
 */
const WRAPPED_LINES = 8;
const WRAPPED_LINE_CHARS = 400;
/**
 * Vendored or minified by content, for JavaScript and CSS files that no path rule caught (a library copied into `public/js/three.js`,
 * a bundle committed as `static/app.js`). Reads at most the first 8 KiB. An explicit `linguist-vendored=false` /
 * `linguist-generated=false` in `.gitattributes` keeps the file reviewed.
 */
function contentSkipReasonOf(path, content, linguist) {
    if (!WEB_ASSET.test(path))
        return undefined;
    const attributes = linguistAttributes(path, linguist);
    const head = content.subarray(0, CONTENT_SAMPLE_BYTES).toString('utf8');
    if (attributes.vendored !== false) {
        const banner = bannerOf(head);
        for (const [name, pattern] of KNOWN_LIBRARIES) {
            if (pattern.test(banner))
                return { path, reason: 'vendored', detail: `license banner of ${name}` };
        }
        const version = BANNER_VERSION.exec(banner);
        if (version)
            return { path, reason: 'vendored', detail: `library banner with version ${version[1] ?? ''}: ${oneLineOf(banner)}` };
        // A plain opening comment is the file's own more often than not: it takes a release number and a license statement together.
        const opening = leadingCommentOf(head);
        const release = BANNER_VERSION.exec(opening);
        if (release && LICENSE_STATEMENT.test(opening)) {
            return { path, reason: 'vendored', detail: `library header with version ${release[1] ?? ''} and a license: ${oneLineOf(opening)}` };
        }
    }
    if (attributes.generated === false)
        return undefined;
    for (const [name, pattern] of BUNDLE_PREAMBLES) {
        if (pattern.test(head))
            return { path, reason: 'minified', detail: name };
    }
    // A long string (a data URI, a fixture) is written by hand too: only the code around the strings counts. The last line may be
    // cut by the sample: it still counts, it is at least that long.
    const code = head.replace(/\n$/, '').split('\n').map(codeLengthOf);
    const longest = Math.max(...code);
    if (longest >= MINIFIED_LINE_CHARS)
        return { path, reason: 'minified', detail: `a line of ${longest}+ characters of code in the first 8 KiB` };
    const average = code.reduce((sum, n) => sum + n, 0) / code.length;
    if (head.length >= 4096 && average >= MINIFIED_AVERAGE_CHARS) {
        return { path, reason: 'minified', detail: `${Math.round(average)} characters of code per line on average in the first 8 KiB` };
    }
    const wrapped = code.filter((n) => n >= WRAPPED_LINE_CHARS).length;
    if (wrapped >= WRAPPED_LINES)
        return { path, reason: 'minified', detail: `${wrapped} lines of ${WRAPPED_LINE_CHARS}+ characters of code in the first 8 KiB` };
    return undefined;
}
/**
 * The characters of a line outside its string literals (`'…'`, `"…"`, `` `…` ``; the quotes count). A line cut by the sample, or
 * a literal left open, counts up to where it is cut. Linear: the line can be the whole 8 KiB sample.
 */
function codeLengthOf(line) {
    let code = 0;
    let quote = '';
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quote !== '') {
            if (c === '\\')
                i++;
            else if (c === quote) {
                quote = '';
                code++;
            }
            continue;
        }
        code++;
        if (c === '"' || c === "'" || c === '`')
            quote = c;
    }
    return code;
}
function oneLineOf(text) {
    const line = text.replace(/\s+/g, ' ').trim();
    return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}
/** `<folder>/<library>.<module>.js`: a module of a library split into files named after it (`foundation/foundation.forms.js`). */
const LIBRARY_MODULE = /^((?:[^/]*\/)*)([A-Za-z][\w-]*)\.[\w.-]+\.(js|mjs|cjs|css)$/;
/**
 * Files of a library that ships as `<library>.js` plus modules named `<library>.<module>.js` in the same folder (Foundation 4,
 * Raphaël, Flot): only the main file carries the banner, so a module is taken as vendored when `<library>.js` (or `.css`) in its
 * folder was skipped as vendored. An explicit `linguist-vendored=false` keeps the module reviewed.
 */
function libraryModuleSkips(reviewable, skipped, linguist) {
    const vendored = new Set();
    for (const skip of skipped)
        if (skip.reason === 'vendored')
            vendored.add(skip.path);
    if (vendored.size === 0)
        return [];
    const out = [];
    for (const path of reviewable) {
        const match = LIBRARY_MODULE.exec(path);
        if (!match)
            continue;
        const [, folder = '', library = '', extension = ''] = match;
        const main = [`${folder}${library}.${extension}`, `${folder}${library}.js`].find((candidate) => vendored.has(candidate));
        if (main === undefined || linguistAttributes(path, linguist).vendored === false)
            continue;
        out.push({ path, reason: 'vendored', detail: `module of the vendored library next to it (${main})` });
    }
    return out;
}

/** A repository-relative path from the change that cannot leave its root once joined. */
function isSafeRelativePath(path) {
    return (path !== '' &&
        !isAbsolute(path) &&
        !path.includes('\0') &&
        !path.includes('\\') &&
        !path.split('/').some((part) => part === '..' || part === '.' || part === ''));
}
/** `root/relative`, or undefined when `relative` could escape `root`. */
function safeJoin(root, relative) {
    if (!isSafeRelativePath(relative))
        return undefined;
    const target = resolve(root, relative);
    return target.startsWith(resolve(root) + sep) ? target : undefined;
}
/**
 * Reads one file of the checkout without following symlinks: its folders must resolve to themselves (no symlinked folder), the file
 * must be a regular file (checked on the open descriptor), at most `maxBytes`, with the head's blob sha.
 */
function checkInPlace(checkout, file, maxBytes, contentCheck) {
    if (!file.blobSha)
        return { kind: 'absent' };
    const full = safeJoin(checkout.root, file.path);
    if (!full)
        return { kind: 'absent' };
    const folder = posix.dirname(file.path);
    if (!checkout.folders.has(folder))
        checkout.folders.set(folder, realpathOrUndefined(dirname(full)));
    const expected = folder === '.' ? checkout.realRoot : join(checkout.realRoot, folder);
    if (checkout.folders.get(folder) !== expected)
        return { kind: 'absent' };
    const read = readRegularFile(full, maxBytes);
    if ('tooLarge' in read)
        return { kind: 'too-large', size: read.tooLarge };
    if (!('bytes' in read))
        return { kind: 'absent' };
    const bytes = read.bytes;
    if (gitBlobSha(bytes) !== file.blobSha)
        return { kind: 'absent' };
    const binary = looksBinary(bytes);
    const skip = binary ? undefined : contentCheck?.(file.path, bytes);
    return skip ? { kind: 'in-place', full, size: bytes.length, binary, skip } : { kind: 'in-place', full, size: bytes.length, binary };
}
function readRegularFile(full, maxBytes) {
    const stat = lstatSync(full, { throwIfNoEntry: false });
    if (!stat)
        return { not: 'missing' };
    if (stat.isSymbolicLink())
        return { not: 'symlink' };
    if (!stat.isFile())
        return { not: 'special' };
    let fd;
    try {
        fd = openSync(full, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    }
    catch (error) {
        return { error: getErrorMessage(error) };
    }
    try {
        const opened = fstatSync(fd);
        if (!opened.isFile())
            return { not: 'special' };
        if (opened.size > maxBytes)
            return { tooLarge: opened.size };
        const content = Buffer.allocUnsafe(opened.size);
        let read = 0;
        while (read < content.length) {
            const n = readSync(fd, content, read, content.length - read, read);
            if (n === 0)
                break;
            read += n;
        }
        return { bytes: content.subarray(0, read) };
    }
    catch (error) {
        return { error: getErrorMessage(error) };
    }
    finally {
        closeSync(fd);
    }
}
function realpathOrUndefined(path) {
    try {
        return realpathSync(path);
    }
    catch {
        return undefined;
    }
}
async function materializeHeadTree(input) {
    const { candidates, maxFileBytes: maxBytes } = input;
    const skipped = [];
    const tooLarge = (path, size) => ({ path, reason: 'too-large', detail: `${size} bytes (limit ${maxBytes})` });
    const safe = [];
    for (const file of candidates) {
        if (isSafeRelativePath(file.path))
            safe.push(file);
        else
            skipped.push({ path: file.path, reason: 'unreadable', detail: 'unsafe path' });
    }
    const inPlace = new Map();
    if (input.checkoutDir !== undefined) {
        const root = resolve(input.checkoutDir);
        const realRoot = await realpath(root).catch(() => undefined);
        if (realRoot !== undefined) {
            const checkout = { root, realRoot, folders: new Map() };
            // Synchronous on purpose: a few small system calls per file, thousands of files; through the thread pool and promises the
            // same work took ten times as long (nothing else runs while the change is collected).
            for (const file of safe)
                inPlace.set(file.path, checkInPlace(checkout, file, maxBytes, input.contentCheck));
        }
    }
    // What the checkout does not hold: sizes first where the source knows them, then the content of what fits.
    const elsewhere = safe.filter((file) => inPlace.get(file.path)?.kind !== 'in-place');
    const sizes = elsewhere.length > 0 && input.source.headBlobSizes ? await input.source.headBlobSizes(elsewhere) : new Map();
    const toRead = elsewhere.filter((file) => (sizes.get(file.path) ?? 0) <= maxBytes);
    const contents = toRead.length > 0 ? await input.source.readHeadFiles(toRead) : new Map();
    const reviewable = [];
    const linked = [];
    const written = [];
    for (const file of safe) {
        const local = inPlace.get(file.path);
        if (local?.kind === 'in-place') {
            if (local.binary)
                skipped.push({ path: file.path, reason: 'binary', detail: 'binary content' });
            else if (local.skip)
                skipped.push(local.skip);
            else {
                reviewable.push(file);
                linked.push({ path: file.path, from: local.full });
            }
            continue;
        }
        const size = sizes.get(file.path);
        if (size !== undefined && size > maxBytes) {
            skipped.push(tooLarge(file.path, size));
            continue;
        }
        const content = contents.get(file.path);
        if (!content) {
            // The checkout's copy was too large, but it may not be the head's: only the head's own size counts.
            skipped.push({ path: file.path, reason: 'unreadable', detail: 'head content unavailable' });
        }
        else if (content.length > maxBytes)
            skipped.push(tooLarge(file.path, content.length));
        else if (looksBinary(content))
            skipped.push({ path: file.path, reason: 'binary', detail: 'binary content' });
        else {
            const skip = input.contentCheck?.(file.path, content);
            if (skip) {
                skipped.push(skip);
                continue;
            }
            reviewable.push(file);
            written.push({ path: file.path, content });
        }
    }
    const late = input.siblingCheck?.(reviewable.map((file) => file.path), skipped);
    if (late && late.length > 0) {
        const dropped = new Set(late.map((skip) => skip.path));
        skipped.push(...late);
        for (const list of [reviewable, linked, written]) {
            for (let i = list.length - 1; i >= 0; i--)
                if (dropped.has(list[i].path))
                    list.splice(i, 1);
        }
    }
    const files = reviewable.map((file) => file.path);
    if (written.length === 0 && input.checkoutDir !== undefined) {
        return { tree: { root: resolve(input.checkoutDir), files, inPlace: true }, reviewable, skipped, inPlaceCount: linked.length };
    }
    const root = join(input.tempDir, 'head');
    await mkdir(root, { recursive: true });
    const folders = new Map();
    const folderOf = (path) => {
        const folder = dirname(path);
        let made = folders.get(folder);
        if (!made) {
            made = mkdir(folder, { recursive: true });
            folders.set(folder, made);
        }
        return made;
    };
    await mapLimit([...linked, ...written], 16, async (file) => {
        const target = join(root, file.path);
        await folderOf(target);
        if ('content' in file)
            return writeFile(target, file.content);
        // Same bytes without a copy where the file system allows it.
        await link(file.from, target).catch(() => copyFile(file.from, target));
    });
    return { tree: { root, files, inPlace: false }, reviewable, skipped, inPlaceCount: linked.length };
}
/**
 * A folder that holds exactly the tree's files (hard links, copies across file systems): what a container may mount when the tree is
 * the checkout, which also holds files that were not reviewed (too large, vendored, binary) and must not be scanned.
 */
async function isolateHeadTree(tree, dir) {
    if (!tree.inPlace)
        return tree;
    await mkdir(dir, { recursive: true });
    await mapLimit(tree.files, 16, async (path) => {
        const target = join(dir, path);
        await mkdir(dirname(target), { recursive: true });
        const from = join(tree.root, path);
        await link(from, target).catch(() => copyFile(from, target));
    });
    return { root: dir, files: tree.files, inPlace: false };
}

/**
 * The sandbox seam: where a pull request's code runs (its tests, the stdio MCP servers it adds), never on the host. The scanners that
 * need it declare `sandbox: true` in the registry; the runtime hands them a backend (`docker-sandbox.ts` today; a Kubernetes Job
 * backend is designed in docs/sandbox-kubernetes.md). DESIGN.md §5 "Running untrusted tests in a container" and §6 list what a
 * backend must enforce.
 */
/** Inside the sandbox: the head tree is copied to `SANDBOX_WORKDIR`, the user's home is `SANDBOX_HOME` (both on the run's scratch volume). */
const SANDBOX_ROOT = '/sandbox';
const SANDBOX_WORKDIR = '/sandbox/repo';
const SANDBOX_HOME = '/sandbox/home';
/** The non-root user the commands run as (numeric: the image need not know it). */
const SANDBOX_UID = 1000;
const SANDBOX_GID = 1000;

export { SANDBOX_ROOT as S, SANDBOX_GID as a, SANDBOX_UID as b, SANDBOX_WORKDIR as c, SANDBOX_HOME as d, gitText as e, runGit as f, gitattributesPatternToRegExp as g, readObjectSizes as h, isSafeRelativePath as i, skipReasonOf as j, materializeHeadTree as k, libraryModuleSkips as l, mapLimit as m, contentSkipReasonOf as n, safeJoin as o, parseLinguistAttributes as p, isolateHeadTree as q, readObjects as r, spawnGit as s, readRegularFile as t };
