/**
 * Which changed files are reviewed: `.gitattributes` linguist attributes (pattern semantics checked against git's own
 * `git check-attr`), the built-in vendored / minified / lock-file defaults, and the classification of files without a patch.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONTENT_SAMPLE_BYTES,
  codeLengthOf,
  contentSkipReasonOf,
  libraryModuleSkips,
  gitattributesPatternToRegExp,
  looksBinary,
  parseLinguistAttributes,
  skipReasonOf,
  type LinguistRule,
} from '../src/collect/file-filter.js';
import type { ChangedFile, SkippedFile } from '../src/types.js';
import { git } from './support/git-fixture.js';
import { materializeHeadTree } from '../src/collect/head-tree.js';

const EMPTY_BLOB = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';

function changed(path: string, overrides: Partial<ChangedFile> = {}): ChangedFile {
  return { path, status: 'modified', additions: 1, deletions: 0, patch: '@@ -1 +1,2 @@\n a\n+b', blobSha: 'a'.repeat(40), ...overrides };
}

/** The reason a file is skipped under `.gitattributes` text, or 'reviewed'. */
function verdict(path: string, attributes = '', overrides: Partial<ChangedFile> = {}): string {
  return skipReasonOf(changed(path, overrides), parseLinguistAttributes(attributes))?.reason ?? 'reviewed';
}

// ---------------------------------------------------------------------------------------------------------------------------------

describe('gitattributes patterns agree with git check-attr', () => {
  let repo = '';
  before(async () => {
    repo = await mkdtemp(join(tmpdir(), 'file-filter-test-'));
    await git(repo, ['init', '-q']);
  });
  after(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  const PATTERNS = [
    '*.js',
    '*.min.*',
    'dir/**',
    '/root-only.js',
    'root-only.js',
    '**/gen/*.ts',
    'gen/*.ts',
    'a/**/b.js',
    'docs/*',
    '/*.md',
    'src/*.pb.go',
    'file?.txt',
    '[abc].js',
    '[!abc].js',
    'dir',
    'x/y',
    '**/node_modules/**',
    'a+b(1).js',
    '$x.js',
    '*',
  ];
  const PATHS = [
    'a.js',
    'b.js',
    'd.js',
    'src/a.js',
    'src/a.ts',
    'app.min.js',
    'lib/app.min.css',
    'dir',
    'dir/a.js',
    'dir/sub/a.js',
    'other/dir/a.js',
    'root-only.js',
    'sub/root-only.js',
    'gen/a.ts',
    'x/gen/a.ts',
    'x/y/gen/a.ts',
    'gen/sub/a.ts',
    'a/b.js',
    'a/x/b.js',
    'a/x/y/b.js',
    'docs/readme.md',
    'docs/sub/readme.md',
    'README.md',
    'src/api.pb.go',
    'file1.txt',
    'file12.txt',
    'x/y',
    'x/y/z.js',
    'q/x/y',
    'node_modules/pkg/index.js',
    'web/node_modules/pkg/index.js',
    'a+b(1).js',
    'aab1.js',
    '$x.js',
    'dir with space/ünï.js',
  ];

  /** Every path and each of its folders, for git to judge. */
  const queried = [...new Set(PATHS.flatMap((path) => path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))))];

  async function gitSet(pattern: string): Promise<Set<string>> {
    await writeFile(join(repo, '.gitattributes'), `${pattern} linguist-generated\n`);
    const output = (await git(repo, ['check-attr', '-z', 'linguist-generated', '--', ...queried])).toString('utf8');
    const fields = output.split('\0');
    const set = new Set<string>();
    for (let i = 0; i + 2 < fields.length; i += 3) if (fields[i + 2] === 'set') set.add(fields[i]!);
    return set;
  }

  for (const pattern of PATTERNS) {
    test(pattern, async () => {
      const byGit = await gitSet(pattern);
      const regexp = gitattributesPatternToRegExp(pattern);
      for (const path of PATHS) {
        // Deliberately more lenient than git: a pattern naming a folder also covers the files inside it.
        const folders = path.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'));
        const expected = byGit.has(path) || folders.some((folder) => byGit.has(folder));
        assert.equal(regexp.test(path), expected, `${pattern} on ${path}`);
      }
    });
  }

  test('the lenient cases themselves: a folder name or a trailing slash covers the folder\'s files', () => {
    assert.equal(verdict('dist/app.js', 'dist linguist-generated'), 'generated');
    assert.equal(verdict('dist/app.js', 'dist/ linguist-generated'), 'generated');
    assert.equal(verdict('web/dist/app.js', 'dist/ linguist-generated'), 'generated');
    assert.equal(verdict('web/dist/app.js', '/dist/ linguist-generated'), 'reviewed');
    assert.equal(verdict('distribution/app.js', 'dist linguist-generated'), 'reviewed');
  });
});

describe('linguist attributes', () => {
  test('*.js at any depth; dir/** only under the root folder; /root-only only at the root; **/gen/*.ts at any depth', () => {
    const attributes = ['*.gen.js linguist-generated', 'api/** linguist-generated', '/schema.ts linguist-generated', '**/gen/*.ts linguist-generated'].join('\n');
    assert.equal(verdict('a.gen.js', attributes), 'generated');
    assert.equal(verdict('deep/er/a.gen.js', attributes), 'generated');
    assert.equal(verdict('api/client/index.ts', attributes), 'generated');
    assert.equal(verdict('src/api/client.ts', attributes), 'reviewed');
    assert.equal(verdict('schema.ts', attributes), 'generated');
    assert.equal(verdict('src/schema.ts', attributes), 'reviewed');
    assert.equal(verdict('gen/a.ts', attributes), 'generated');
    assert.equal(verdict('pkg/x/gen/a.ts', attributes), 'generated');
    assert.equal(verdict('pkg/gen/sub/a.ts', attributes), 'reviewed');
  });

  test('-linguist-generated on a later line overrides an earlier rule', () => {
    const attributes = 'src/** linguist-generated\nsrc/handwritten.js -linguist-generated\n';
    assert.equal(verdict('src/other.js', attributes), 'generated');
    assert.equal(verdict('src/handwritten.js', attributes), 'reviewed');
  });

  test('the last matching rule wins, in either direction', () => {
    assert.equal(verdict('gen/a.js', 'gen/** linguist-generated=false\ngen/** linguist-generated\n'), 'generated');
    assert.equal(verdict('gen/a.js', 'gen/** linguist-generated\ngen/** linguist-generated=false\n'), 'reviewed');
    assert.equal(verdict('gen/a.js', '*.js linguist-generated=true\n'), 'generated');
  });

  test('linguist-vendored=false un-vendors a vendor/ folder (minified files in it stay skipped)', () => {
    assert.equal(verdict('vendor/ours.js'), 'vendored');
    assert.equal(verdict('vendor/ours.js', 'vendor/** linguist-vendored=false\n'), 'reviewed');
    assert.equal(verdict('vendor/ours.js', 'vendor/** -linguist-vendored\n'), 'reviewed');
    assert.equal(verdict('vendor/ours.min.js', 'vendor/** linguist-vendored=false\n'), 'minified');
  });

  test('linguist-generated=false reviews a file the defaults would skip', () => {
    assert.equal(verdict('lib/app.min.js', 'lib/app.min.js linguist-generated=false'), 'reviewed');
    assert.equal(verdict('package-lock.json', 'package-lock.json -linguist-generated'), 'reviewed');
  });

  test('!linguist-generated makes the attribute unspecified again: the defaults apply', () => {
    const attributes = '*.js linguist-generated\napp.min.js !linguist-generated\nsrc/*.js !linguist-generated\n';
    assert.equal(verdict('app.min.js', attributes), 'minified');
    assert.equal(verdict('src/a.js', attributes), 'reviewed');
    assert.equal(verdict('lib/a.js', attributes), 'generated');
  });

  test('an explicit linguist-vendored marks any folder third-party; vendored wins over generated', () => {
    assert.equal(verdict('external/lib.js', 'external/** linguist-vendored'), 'vendored');
    assert.equal(verdict('external/lib.js', 'external/** linguist-vendored linguist-generated'), 'vendored');
  });

  test('comments, blank lines, CRLF, macros and other attributes are ignored', () => {
    const rules = parseLinguistAttributes(
      '# generated code\r\n\r\n*.gen.ts linguist-generated\r\n[attr]gen linguist-generated\r\n*.png binary\r\n*.sh text eol=lf\r\n',
    );
    assert.deepEqual(
      rules.map((r: LinguistRule) => [r.source, r.generated, r.vendored]),
      [['*.gen.ts', true, undefined]],
    );
  });
});

describe('built-in defaults', () => {
  test('third-party folders at any depth, and only as folders', () => {
    for (const path of ['node_modules/x/index.js', 'web/node_modules/x/index.js', 'vendor/a.go', 'src/vendor/a.go', 'third_party/a.c', '.yarn/releases/yarn.cjs', 'Pods/A/a.m', 'venv/lib/a.py', 'lib/python3.12/site-packages/a.py']) {
      assert.equal(verdict(path), 'vendored', path);
    }
    for (const path of ['src/vendors.js', 'myvendor/a.js', 'vendor.js', 'src/third_party.py']) {
      assert.equal(verdict(path), 'reviewed', path);
    }
  });

  test('library folders under a served static folder (public/, static/, assets/, wwwroot/ at any depth): browser files only', () => {
    for (const path of [
      'public/plugins/daterangepicker/website.js',
      'public/plugins/daterangepicker/example/amd/main.js',
      'public/plugins/raphael/dev/raphael.vml.js',
      'public/plugins/datatables-buttons/js/buttons.print.js',
      'app/static/js/lib/chart.js',
      'shop/static/shop/libs/select2/select2.css',
      'wwwroot/lib/bootstrap/dist/js/bootstrap.js',
      'assets/external/widget/index.html',
      'web/public/assets/js/third-party/ui.mjs',
    ]) {
      assert.equal(verdict(path), 'vendored', path);
    }
    const skip = skipReasonOf(changed('public/plugins/flot-old/excanvas.js'), []);
    assert.deepEqual(skip, { path: 'public/plugins/flot-old/excanvas.js', reason: 'vendored', detail: 'library folder under a served static folder (public/plugins/)' });
    for (const path of [
      // an app's own browser code beside the libraries
      'static/js/app.js',
      'public/javascripts/main.js',
      'app/static/app/js/plugins.js',
      'public/js/libraries/own.js',
      // library folders that are not served as they are: server code, an API description
      'src/plugins/auth.js',
      'lib/plugins/loader.js',
      'public/openapi/write/admin/plugins/pluginId.yaml',
      'static/lib/settings.py',
      'static_src/js/lib/helpers.js',
    ]) {
      assert.equal(verdict(path), 'reviewed', path);
    }
    assert.equal(verdict('public/plugins/widget/widget.js', 'public/plugins/widget/** -linguist-vendored'), 'reviewed');
  });

  test('jQuery plugin file names (jquery.<plugin>.js) and jQuery builds are vendored; other names with jquery in them are not', () => {
    for (const path of ['taskManager/static/js/backend/jquery.sparkline.js', 'js/jquery.dcjqaccordion.2.7.js', 'jquery.parallax-1.1.3.js', 'vendorless/jquery-ui-1.13.2.js']) {
      assert.equal(skipReasonOf(changed(path), [])?.detail, 'file name of a jQuery plugin (jquery.<plugin>.js)', path);
    }
    for (const path of ['src/jqueryHelpers.js', 'src/jquery.ts', 'static/js/my-jquery.js', 'src/jquery/index.js', 'jquery.js']) {
      assert.equal(verdict(path), 'reviewed', path);
    }
    assert.equal(verdict('lib/jquery-min.js'), 'minified');
    assert.equal(verdict('static/jquery.tags.js', 'static/jquery.tags.js linguist-vendored=false'), 'reviewed');
  });

  test('minified and bundled files', () => {
    for (const path of ['app.min.js', 'dist/app.min.mjs', 'css/site.min.css', 'lib/jquery-min.js', 'dist/main.bundle.js', 'dist/3.chunk.js']) {
      assert.equal(verdict(path), 'minified', path);
    }
    for (const path of ['admin.js', 'src/min.js', 'terminal.css', 'minify.js']) {
      assert.equal(verdict(path), 'reviewed', path);
    }
  });

  test('lock files and generated code', () => {
    for (const path of [
      'package-lock.json',
      'web/yarn.lock',
      'pnpm-lock.yaml',
      'npm-shrinkwrap.json',
      'Cargo.lock',
      'go.sum',
      'poetry.lock',
      'uv.lock',
      'Gemfile.lock',
      'composer.lock',
      'dist/app.js.map',
      'api/service.pb.go',
      'proto/api_pb2.py',
      'proto/api_pb2_grpc.py',
      'src/schema.generated.ts',
      'lib/model.g.dart',
    ]) {
      assert.equal(verdict(path), 'generated', path);
    }
    for (const path of ['package.json', 'go.mod', 'src/lock.js', 'Cargo.toml', 'api/pb2.py', 'src/generated.ts']) {
      assert.equal(verdict(path), 'reviewed', path);
    }
  });

  test('a removed file is "removed" before anything else', () => {
    assert.deepEqual(skipReasonOf(changed('vendor/x.js', { status: 'removed', patch: '@@ -1 +0,0 @@\n-x' }), []), {
      path: 'vendor/x.js',
      reason: 'removed',
      detail: 'deleted in this pull request',
    });
  });
});

describe('files without a patch', () => {
  const noPatch = (path: string, overrides: Partial<ChangedFile>): SkippedFile | undefined =>
    skipReasonOf(changed(path, { patch: undefined, additions: 0, deletions: 0, ...overrides }), []);

  test('no line counts and no patch: binary', () => {
    assert.deepEqual(noPatch('logo.png', {}), { path: 'logo.png', reason: 'binary', detail: 'binary file' });
    assert.deepEqual(noPatch('logo.png', { status: 'added' }), { path: 'logo.png', reason: 'binary', detail: 'binary file' });
  });

  test('renamed or copied without content changes', () => {
    assert.deepEqual(noPatch('new.js', { status: 'renamed', previousPath: 'old.js' }), {
      path: 'new.js',
      reason: 'no-patch',
      detail: 'renamed without content changes',
    });
    assert.deepEqual(noPatch('copy.js', { status: 'copied', previousPath: 'orig.js' }), {
      path: 'copy.js',
      reason: 'no-patch',
      detail: 'copied without content changes',
    });
  });

  test('an empty file is not called binary', () => {
    assert.deepEqual(noPatch('pkg/__init__.py', { status: 'added', blobSha: EMPTY_BLOB }), {
      path: 'pkg/__init__.py',
      reason: 'empty',
      detail: 'empty file',
    });
  });

  test('lines changed but no patch: GitHub left it out (too large)', () => {
    assert.deepEqual(noPatch('huge.js', { additions: 25_000 }), {
      path: 'huge.js',
      reason: 'no-patch',
      detail: 'GitHub sent no patch (diff too large to show)',
    });
  });

  test('what a file is comes before how its diff looks (a vendored or -diff generated file is not "binary")', () => {
    assert.equal(noPatch('vendor/logo.png', {})?.reason, 'vendored');
    assert.equal(skipReasonOf({ path: 'dist/index.js', status: 'modified', additions: 0, deletions: 0 }, parseLinguistAttributes('dist/** -diff linguist-generated\n'))?.reason, 'generated');
    assert.equal(noPatch('assets/logo.png', {})?.reason, 'binary');
  });
});

describe('looksBinary', () => {
  test('a NUL byte in the first 8000 bytes, as git decides', () => {
    assert.equal(looksBinary(Buffer.from('plain text\n')), false);
    assert.equal(looksBinary(Buffer.alloc(0)), false);
    assert.equal(looksBinary(Buffer.from([0x41, 0x00, 0x42])), true);
    assert.equal(looksBinary(Buffer.concat([Buffer.alloc(7999, 0x41), Buffer.from([0])])), true);
    assert.equal(looksBinary(Buffer.concat([Buffer.alloc(8000, 0x41), Buffer.from([0])])), false);
    assert.equal(looksBinary(Buffer.from('héllo wörld ✓', 'utf8')), false);
  });
});

/**
 * Vendored and minified by content. The headers below are synthetic: they have the shape of the banners and preambles that
 * libraries and bundlers write (name, version, license line, bootstrap function), followed by made-up code, not library code.
 */
describe('vendored or minified by content', () => {
  const BODY = 'function add(a, b) {\n  return a + b;\n}\n'.repeat(20);
  const byContent = (path: string, text: string, attributes = ''): string => {
    const skip = contentSkipReasonOf(path, Buffer.from(text), parseLinguistAttributes(attributes));
    return skip ? `${skip.reason}: ${skip.detail ?? ''}` : 'reviewed';
  };

  const vendored: [string, string, string][] = [
    ['public/js/jquery.js', '/*! jQuery v3.6.0 | (c) OpenJS Foundation and other contributors | jquery.org/license */\n', 'license banner of jQuery'],
    ['static/bootstrap.js', '/*!\n  * Bootstrap v5.3.0 (https://getbootstrap.com/)\n  * Licensed under MIT\n  */\n', 'license banner of Bootstrap'],
    ['public/three.js', '/**\n * @license\n * Copyright 2010-2023 Three.js Authors\n * SPDX-License-Identifier: MIT\n */\n', 'license banner of three.js'],
    ['public/js/materialize.js', '/*!\n * Materialize v1.0.0 (http://materializecss.com)\n * Copyright 2014-2017 Materialize\n */\n', 'license banner of Materialize'],
    ['assets/lodash.js', '/**\n * @license\n * Lodash <https://lodash.com/>\n * Released under MIT license\n */\n', 'license banner of Lodash'],
    ['assets/moment.js', '//! moment.js\n//! version : 2.29.4\n//! license : MIT\n', 'license banner of Moment.js'],
    ['lib/widget.js', '/*! tiny-widget v1.2.3 | MIT */\n', 'library banner with version 1.2.3: /*! tiny-widget v1.2.3 | MIT */'],
    ['lib/react-thing.js', "'use strict';\n/** @license react-thing 0.14.2\n * MIT */\n", 'library banner with version 0.14.2'],
    ['css/theme.css', '/*! theme-kit v4.1.0 | MIT License */\n.a{color:red}\n', 'library banner with version 4.1.0: /*! theme-kit v4.1.0 | MIT License */'],
    ['js/html5shiv.js', '/**\n* @preserve HTML5 Shiv 3.6.2pre | @afarkas @jdalton @jon_neal @rem | MIT/GPL2 Licensed\n*/\n', 'license banner of HTML5 Shiv'],
    ['js/shiv.js', '/** @preserve shiv-kit 3.6.2pre | MIT */\n', 'library banner with version 3.6.2pre'],
    // a plain opening comment: a release number and a license statement together
    [
      'static/js/html5shiv.js',
      '/*\n HTML5 Shiv v3.6.2pre | @afarkas @jdalton @jon_neal @rem | MIT/GPL2 Licensed\n*/\n',
      'library header with version 3.6.2pre and a license: /* HTML5 Shiv v3.6.2pre | @afarkas',
    ],
    ['static/js/spark.js', '/**\n*\n* spark.js\n*\n* v2.1.2\n* (c) Someone\n*\n* License: New BSD License\n*/\n', 'library header with version 2.1.2 and a license'],
    ['public/carousel.js', '// Carousel 1.3.2\n// Released under the MIT license\n', 'library header with version 1.3.2 and a license'],
  ];
  for (const [path, header, detail] of vendored) {
    test(`${path}: vendored (${detail})`, () => {
      const verdictText = byContent(path, header + BODY);
      assert.ok(verdictText.startsWith(`vendored: ${detail}`), verdictText);
    });
  }

  test('bundles: webpack, esbuild and UMD preambles are minified/bundled', () => {
    assert.equal(byContent('dist/app.js', '/******/ (() => { // webpackBootstrap\n/******/ \tvar __webpack_modules__ = ({});\n' + BODY), 'minified: webpack bundle');
    assert.equal(
      byContent('public/app.js', '"use strict";\nvar __create = Object.create;\nvar __defProp = Object.defineProperty;\n' + BODY),
      'minified: esbuild bundle',
    );
    assert.equal(
      byContent(
        'public/lib.js',
        "(function (global, factory) {\n  typeof exports === 'object' && typeof module !== 'undefined' ? module.exports = factory() :\n  typeof define === 'function' && define.amd ? define(factory) : global.Lib = factory();\n}(this, (function () {\n" + BODY,
      ),
      'minified: UMD bundle (rollup)',
    );
  });

  test('minified: one very long line, or long lines on average', () => {
    const oneLine = 'var a=1;'.repeat(400);
    assert.match(byContent('public/app.js', oneLine), /^minified: a line of 3200\+ characters of code in the first 8 KiB$/);
    const dense = ('x'.repeat(300) + '\n').repeat(20);
    assert.match(byContent('public/app.css', dense), /^minified: 300 characters of code per line on average in the first 8 KiB$/);
  });

  test('minified: output wrapped at about 500 characters after a license comment of short lines (the average stays low)', () => {
    const license = '!function(){/*\n' + ' Licensed under the Apache License, Version 2.0 (the "License");\n'.repeat(30) + '*/\n';
    const wrapped = ('var a=b.c(d,e);'.repeat(34) + '\n').repeat(8);
    assert.match(byContent('assets/js/pretty.js', license + wrapped), /^minified: 8 lines of 400\+ characters of code in the first 8 KiB$/);
    // a few long lines (data URIs, long strings) in hand-written code are not minification
    const someLong = BODY + `const icon = "data:image/png;base64,${'A'.repeat(600)}";\n`.repeat(3) + BODY;
    assert.equal(byContent('src/icons.js', someLong), 'reviewed');
  });

  test('a long string written by hand (a data URI in a test) is not minification; minified code with strings still is', () => {
    const dataUri = `\tconst goodImage = 'data:image/png;base64,${'iVBORw0KGgo'.repeat(600)}';\n`;
    assert.equal(byContent('test/user.js', BODY + dataUri + BODY), 'reviewed');
    // nor does a string that fills the whole sample make a file of ours look minified on average
    assert.equal(byContent('src/app.js', `module.exports = "${'x'.repeat(CONTENT_SAMPLE_BYTES)}";\n`), 'reviewed');
    // escaped quotes stay inside their string
    assert.equal(codeLengthOf(`a = 'it\\'s' + "say \\"hi\\"";`), `a = '' + "";`.length);
    const minified = 'function f(a){return a.replace("x","y")+`${a}`+\'z\'};'.repeat(60);
    assert.match(byContent('public/app.js', minified), /^minified: a line of \d+\+ characters of code in the first 8 KiB$/);
  });

  test('only the first 8 KiB is read: a long line further down does not count', () => {
    const text = BODY.repeat(Math.ceil((CONTENT_SAMPLE_BYTES * 2) / BODY.length)) + 'x'.repeat(5000);
    assert.equal(byContent('src/app.js', text), 'reviewed');
  });

  test('hand-written code is reviewed: doc comments with versions, license headers without a version, other languages', () => {
    assert.equal(byContent('src/app.js', '/**\n * Speaks version 1.2.3 of the protocol.\n */\n' + BODY), 'reviewed');
    assert.equal(byContent('src/app.js', '/**\n * @license MIT\n * Copyright the authors\n */\n' + BODY), 'reviewed');
    // an opening comment needs both a release number and a license statement; the Apache header's "Version 2.0" is not a release
    assert.equal(byContent('static/js/app.js', '/*\n * Copyright 2020 Acme. Licensed under the Apache License, Version 2.0.\n */\n' + BODY), 'reviewed');
    assert.equal(byContent('static/js/app.js', '/*\n * Needs the API 2.3.1 of the server.\n */\n' + BODY), 'reviewed');
    assert.equal(byContent('static/js/app.js', '/* Licensed under the MIT license */\nconst v = "1.2.3";\n/* 1.2.3 */\n' + BODY), 'reviewed');
    assert.equal(byContent('src/app.js', '// jQuery v3.6.0 is loaded by the page before this script\n' + BODY), 'reviewed');
    assert.equal(byContent('src/app.js', `const banner = "${'='.repeat(120)}";\n` + BODY), 'reviewed');
    assert.equal(byContent('src/app.py', '"""/*! jQuery v3.6.0 */"""\n' + 'x = 1;'.repeat(1000)), 'reviewed');
    assert.equal(byContent('src/app.ts', 'var a=1;'.repeat(400)), 'reviewed');
    assert.equal(byContent('src/contest.js', ''), 'reviewed');
  });

  test('.gitattributes wins: linguist-vendored=false and linguist-generated=false keep the file reviewed', () => {
    const jquery = '/*! jQuery v3.6.0 | (c) OpenJS Foundation */\n' + BODY;
    assert.equal(byContent('public/jquery.js', jquery, 'public/jquery.js -linguist-vendored'), 'reviewed');
    assert.equal(byContent('public/app.js', 'var a=1;'.repeat(400), 'public/*.js linguist-generated=false'), 'reviewed');
  });

  test('materializeHeadTree lists such files as skipped with the signal, and does not put them in the tree', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'file-filter-content-'));
    after(() => rm(dir, { recursive: true, force: true }));
    const contents: Record<string, string> = {
      'public/js/three.js': '/**\n * @license\n * Copyright 2010-2023 Three.js Authors\n */\n' + BODY,
      'public/app.js': 'var a=1;'.repeat(400),
      'src/app.js': BODY,
    };
    const files = Object.keys(contents).map((path) => changed(path));
    const result = await materializeHeadTree({
      candidates: files,
      source: { readHeadFiles: (asked) => Promise.resolve(new Map(asked.map((f) => [f.path, Buffer.from(contents[f.path] ?? '')]))) },
      checkoutDir: undefined,
      tempDir: dir,
      maxFileBytes: 1_000_000,
      contentCheck: (path, content) => contentSkipReasonOf(path, content, []),
    });
    assert.deepEqual(result.tree.files, ['src/app.js']);
    assert.deepEqual(result.skipped, [
      { path: 'public/js/three.js', reason: 'vendored', detail: 'license banner of three.js' },
      { path: 'public/app.js', reason: 'minified', detail: 'a line of 3200+ characters of code in the first 8 KiB' },
    ]);
  });
});

describe('modules of a vendored library', () => {
  const vendoredMain: SkippedFile = { path: 'static/js/foundation/foundation.js', reason: 'vendored', detail: 'library header with version 4.0.0' };

  test('a <library>.<module>.js next to a vendored <library>.js is vendored; other files of the folder and other folders are not', () => {
    const skips = libraryModuleSkips(
      [
        'static/js/foundation/foundation.forms.js',
        'static/js/foundation/foundation.orbit.js',
        'static/js/foundation/app.js',
        'static/js/other/foundation.forms.js',
        'static/js/foundation/foundationx.forms.js',
        'src/foundation.service.ts',
      ],
      [vendoredMain],
      [],
    );
    assert.deepEqual(
      skips.map((skip) => [skip.path, skip.reason]),
      [
        ['static/js/foundation/foundation.forms.js', 'vendored'],
        ['static/js/foundation/foundation.orbit.js', 'vendored'],
      ],
    );
    assert.match(skips[0]?.detail ?? '', /static\/js\/foundation\/foundation\.js/);
  });

  test('a main file that was reviewed, or skipped for another reason, makes no module vendored; linguist-vendored=false wins', () => {
    const modules = ['public/app.forms.js'];
    assert.deepEqual(libraryModuleSkips(modules, [], []), []);
    assert.deepEqual(libraryModuleSkips(modules, [{ path: 'public/app.js', reason: 'minified', detail: 'webpack bundle' }], []), []);
    assert.deepEqual(
      libraryModuleSkips(['static/js/foundation/foundation.forms.js'], [vendoredMain], parseLinguistAttributes('static/js/foundation/foundation.forms.js -linguist-vendored')),
      [],
    );
  });

  test('materializeHeadTree leaves the modules out of the tree and lists them as skipped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'file-filter-modules-'));
    after(() => rm(dir, { recursive: true, force: true }));
    const contents: Record<string, string> = {
      'static/js/foundation/foundation.js': '/*\n * Foundation Responsive Library 4.0.0\n * Free to use under the MIT license.\n*/\nvar Foundation = {};\n',
      'static/js/foundation/foundation.forms.js': ';(function ($) { $list.append(html); })(jQuery);\n',
      'static/js/app.js': 'document.title = "x";\n',
    };
    const result = await materializeHeadTree({
      candidates: Object.keys(contents).map((path) => changed(path)),
      source: { readHeadFiles: (asked) => Promise.resolve(new Map(asked.map((f) => [f.path, Buffer.from(contents[f.path] ?? '')]))) },
      checkoutDir: undefined,
      tempDir: dir,
      maxFileBytes: 1_000_000,
      contentCheck: (path, content) => contentSkipReasonOf(path, content, []),
      siblingCheck: (reviewable, skipped) => libraryModuleSkips(reviewable, skipped, []),
    });
    assert.deepEqual(result.tree.files, ['static/js/app.js']);
    assert.deepEqual(
      result.skipped.map((skip) => skip.path),
      ['static/js/foundation/foundation.js', 'static/js/foundation/foundation.forms.js'],
    );
  });
});

