import { posix } from 'node:path';

/**
 * Where a failing test is, as a repository path and a 1-based line: the report's own file/line first, else a frame of the failure's
 * stack (container paths, `file://` URLs and relative paths mapped back to the repository), else the line that declares the test.
 * Only paths of the head tree are ever returned: a report is written by the pull request's code and may name anything.
 */
/** How many files a declaration is looked for in, at most (a Go package's test files, a classname's candidates). */
const MAX_DECLARATION_FILES = 20;
/** Where a failing test is, as a repository path and 1-based line, or undefined. */
function locateTestCase(tc, ctx) {
    const testFiles = testFilesOf(tc, ctx);
    if (tc.file !== undefined && tc.line !== undefined) {
        const path = toRepositoryPath(tc.file, ctx, tc.suite);
        if (path !== undefined && lineExists(path, tc.line, ctx))
            return { path, line: tc.line, how: 'report' };
    }
    const frames = stackFrames([tc.message, tc.details].filter((text) => text !== undefined).join('\n'), ctx, tc.suite);
    // The frame in the test's own file says which line of the test failed. When the report does not say which file that is (Node's
    // junit), a frame in a file named like a test comes before a helper of the project that threw; the first frame in the repository
    // is still nearer the cause than the declaration.
    const frame = frames.find((candidate) => testFiles.includes(candidate.path)) ??
        (testFiles.length === 0 ? frames.find((candidate) => looksLikeTestFile(candidate.path)) : undefined) ??
        frames[0];
    if (frame)
        return { path: frame.path, line: frame.line, how: 'stack' };
    for (const path of testFiles.slice(0, MAX_DECLARATION_FILES)) {
        const content = ctx.read(path);
        const line = content === undefined ? undefined : declarationLine(content, tc.name);
        if (line !== undefined)
            return { path, line, how: 'declaration' };
    }
    return undefined;
}
/** A path as a report or a stack gives it, as a head-tree path; undefined when it is outside the repository or not in the tree. */
function toRepositoryPath(raw, ctx, packageHint) {
    let path = raw.trim();
    if (path.startsWith('file://')) {
        try {
            path = decodeURIComponent(new URL(path).pathname);
        }
        catch {
            return undefined;
        }
    }
    if (path === '' || path.startsWith('node:') || /(^|\/)node_modules\//.test(path))
        return undefined;
    if (path.startsWith('/')) {
        const root = ctx.workdir.replace(/\/+$/, '');
        const normalised = posix.normalize(path);
        if (!normalised.startsWith(`${root}/`))
            return undefined;
        const relative = normalised.slice(root.length + 1);
        return ctx.files.has(relative) ? relative : undefined;
    }
    const relative = posix.normalize(path);
    if (relative === '..' || relative.startsWith('../'))
        return undefined;
    if (ctx.files.has(relative))
        return relative;
    return bySuffix(relative, ctx.files, packageHint);
}
/**
 * A path relative to something other than the root (Go prints `port_test.go:17` relative to the package): the head-tree file that
 * ends with it, when there is one; among several, the one whose folder the package hint (Go's import path) ends with.
 */
function bySuffix(relative, files, packageHint) {
    const suffix = `/${relative}`;
    const candidates = (filesByName(files).get(posix.basename(relative)) ?? []).filter((file) => file.endsWith(suffix));
    if (candidates.length === 1)
        return candidates[0];
    if (candidates.length === 0 || packageHint === undefined)
        return undefined;
    const hinted = candidates.filter((file) => {
        const folder = posix.dirname(file);
        return packageHint === folder || packageHint.endsWith(`/${folder}`);
    });
    return hinted.length === 1 ? hinted[0] : undefined;
}
/**
 * The head tree's files by base name, built once per tree: a report can name hundreds of relative frames for each of many failing
 * tests, and a scan of every path per frame would multiply them by the size of the repository.
 */
const BY_NAME = new WeakMap();
function filesByName(files) {
    let index = BY_NAME.get(files);
    if (!index) {
        index = new Map();
        for (const file of files) {
            const name = posix.basename(file);
            const list = index.get(name);
            if (list)
                list.push(file);
            else
                index.set(name, [file]);
        }
        BY_NAME.set(files, index);
    }
    return index;
}
function lineExists(path, line, ctx) {
    if (line < 1)
        return false;
    const content = ctx.read(path);
    // Unreadable: the report's word is all there is.
    return content === undefined || line <= content.split('\n').length;
}
/**
 * `path:line` and `path:line:col` as stacks print them: V8's `at f (/abs/file.js:3:9)`, vitest's `❯ src/a.js:3:9`, pytest's
 * `tests/test_x.py:12: AssertionError`, Go's `port_test.go:17: message`, `file:///…` URLs. `node:internal/…` and everything under
 * node_modules or outside the repository fall away in `toRepositoryPath`.
 */
const MAX_FRAMES = 500;
const FRAME = /(?:^|[\s(['"`])((?:file:\/\/)?[^\s()'"`<>[\]]+?):(\d+)(?::\d+)?(?=$|[\s):,\]'"`])/gm;
function stackFrames(text, ctx, packageHint) {
    const frames = [];
    let seen = 0;
    for (const match of text.matchAll(FRAME)) {
        if (++seen > MAX_FRAMES)
            break;
        const line = Number(match[2]);
        if (!Number.isSafeInteger(line) || line < 1)
            continue;
        const path = toRepositoryPath(match[1], ctx, packageHint);
        if (path !== undefined && lineExists(path, line, ctx))
            frames.push({ path, line });
    }
    return frames;
}
/**
 * The files the test may be declared in, best first: the report's `file`, the classname as a path (vitest), a dotted classname as
 * a module path (pytest's `tests.test_x.TestY` → `tests/test_x.py`; JUnit's `com.x.FooTest` → `…/com/x/FooTest.java`), and for a
 * Go test the `_test.go` files of the package its classname (the import path) ends with.
 */
function testFilesOf(tc, ctx) {
    const found = [];
    const add = (path) => {
        if (path !== undefined && !found.includes(path))
            found.push(path);
    };
    if (tc.file !== undefined)
        add(toRepositoryPath(tc.file, ctx, tc.suite));
    const classname = tc.suite?.trim();
    if (classname) {
        if (classname.includes('/') || /\.\w+$/.test(classname))
            add(ctx.files.has(classname) ? classname : undefined);
        if (/^[\w$]+(\.[\w$]+)+$/.test(classname)) {
            const parts = classname.split('.');
            for (let count = parts.length; count >= 1; count--) {
                const stem = parts.slice(0, count).join('/');
                for (const extension of ['.py', '.java', '.kt', '.scala', '.cs', '.rb'])
                    add(pathOrSuffix(`${stem}${extension}`, ctx.files));
            }
        }
        if (/^(Test|Benchmark|Example|Fuzz)/.test(tc.name)) {
            const goFiles = [...ctx.files].filter((file) => {
                if (!file.endsWith('_test.go'))
                    return false;
                const folder = posix.dirname(file);
                return classname === folder || classname.endsWith(`/${folder}`) || (folder === '.' && !classname.includes('/'));
            });
            for (const file of goFiles.sort())
                add(file);
        }
    }
    return found;
}
/** `x.test.js`, `x.spec.ts`, `test_x.py`, `x_test.go`, `XTest.java`, or anything under `test/`, `tests/`, `__tests__/`, `spec/`. */
function looksLikeTestFile(path) {
    return /(^|\/)(__tests__|tests?|spec)\/|[._-](test|spec)\.[^/]+$|(^|\/)test_[^/]+\.py$|_test\.go$|Tests?\.(java|kt|cs)$/.test(path);
}
function pathOrSuffix(path, files) {
    if (files.has(path))
        return path;
    const candidates = [...files].filter((file) => file.endsWith(`/${path}`));
    return candidates.length === 1 ? candidates[0] : undefined;
}
/**
 * The first line that declares the test: `test('name'`, `it("name"`, `describe(…` titles for JavaScript (the name's last segment,
 * or a title the joined name ends with), `def name` for Python, `func Name(` for Go, `void name(` / `fun name(` for the JVM.
 */
function declarationLine(content, name) {
    const lines = content.split(/\r?\n/);
    const segments = name.split(' > ').map((segment) => segment.trim()).filter((segment) => segment !== '');
    const last = segments[segments.length - 1] ?? name.trim();
    // Python parameters (`test_x[case-1]`) and Go subtests (`TestX/case`) are declared by the function's own name.
    const identifier = last.replace(/\[.*\]$/, '').split('/')[0].replace(/^.*[.:]/, '');
    const escaped = identifier.replace(/\$/g, '\\$');
    const codeDeclaration = /^[A-Za-z_$][\w$]*$/.test(identifier)
        ? new RegExp(`^\\s*(?:(?:async\\s+)?def\\s+${escaped}\\s*\\(|func\\s+${escaped}\\s*\\(|(?:.*\\s)?(?:void|fun)\\s+${escaped}\\s*\\()`)
        : undefined;
    let bestSuffix;
    for (let index = 0; index < lines.length; index++) {
        const text = lines[index];
        if (codeDeclaration?.test(text))
            return index + 1;
        for (const match of text.matchAll(/\b(?:test|it|specify|describe|suite)(?:\.[\w$]+)*\s*\(\s*(['"`])((?:\\.|(?!\1).)*)\1/g)) {
            const title = match[2].replace(/\\(.)/g, '$1');
            if (title === '')
                continue;
            if (title === last || title === name)
                return index + 1;
            // jest-junit joins describe titles with spaces: "parsePort with bad input accepts 99999".
            if (name.endsWith(` ${title}`) && title.length > (bestSuffix?.length ?? 0))
                bestSuffix = { line: index + 1, length: title.length };
        }
    }
    return bestSuffix?.line;
}

export { declarationLine, locateTestCase, toRepositoryPath };
