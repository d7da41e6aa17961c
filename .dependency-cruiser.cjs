// Dependency guard for src/ (DESIGN.md §7 Layout): dependencies point one way, and no import cycle, type-only ones included.
// Run with `npm run lint:deps` (part of `npm run lint`). Paths are relative to the working directory, so the same file guards
// any tree laid out like src/ (__tests__/dependency-guard.test.ts runs it against small trees of its own).
// Every rule is an error: depcruise exits non-zero on any of them.

/** A folder of src/ (`src/name/…`), as a path pattern. */
const folder = (name) => `^src/${name}/`;
/** The shared contracts: `src/types.ts`, or a `src/types/` folder should it ever be split. */
const TYPES = '^src/types(?:\\.ts$|/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Import cycle among src/ files. Type-only imports count (options.tsPreCompilationDeps): a cycle through types is still ' +
        'a cycle of the design. Move what both sides need to a neutral home (src/types.ts, src/text/).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'scanners-not-to-report-publish-models',
      severity: 'error',
      comment: 'Scanners return a ScanReport; rendering, publishing and model wording come later in the pipeline.',
      from: { path: folder('scanners') },
      to: { path: `${folder('(?:report|publish|models)')}` },
    },
    {
      name: 'models-not-to-report-publish',
      severity: 'error',
      comment: 'Models return text, never post: the report and publish stages use models, not the other way round.',
      from: { path: folder('models') },
      to: { path: folder('(?:report|publish)') },
    },
    {
      name: 'report-not-to-models',
      severity: 'error',
      comment: 'Renderers receive drafted/verified findings (src/types.ts); they do not call or import the model stage.',
      from: { path: folder('report') },
      to: { path: folder('models') },
    },
    {
      name: 'runtime-not-to-scanners',
      severity: 'error',
      comment: 'Runtime (docker, gateway, model runner, sandbox) serves the scanners; it must not know them.',
      from: { path: folder('runtime') },
      to: { path: folder('scanners') },
    },
    {
      name: 'config-not-to-runtime',
      severity: 'error',
      comment: 'Config is pure parsing and validation of inputs; it starts nothing.',
      from: { path: folder('config') },
      to: { path: folder('runtime') },
    },
    {
      name: 'github-not-to-scanners',
      severity: 'error',
      comment: 'The GitHub layer (context, REST client, diff mapping) is below the scanners, not above them.',
      from: { path: folder('github') },
      to: { path: folder('scanners') },
    },
    {
      name: 'text-only-to-types-and-text',
      severity: 'error',
      comment: 'src/text/ holds neutral helpers used by everyone: it may import src/types.ts and src/text/ only.',
      from: { path: folder('text') },
      to: { path: '^src/', pathNot: [TYPES, folder('text')] },
    },
    {
      name: 'types-not-to-src',
      severity: 'error',
      comment: 'src/types.ts holds the contracts between stages and depends on nothing in src/.',
      from: { path: TYPES },
      to: { path: '^src/', pathNot: TYPES },
    },
    {
      name: 'src-not-to-tests-or-bench',
      severity: 'error',
      comment: 'Production code must not import tests, fixtures or benchmarks (they are not bundled, and it inverts the layers).',
      from: { path: '^src/' },
      to: { path: '^(?:__tests__|bench)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'An import the guard cannot resolve is an edge no rule can see: fail instead of passing silently. (A relative ' +
        '`./x.js` must resolve to `./x.ts`, as tsc does under NodeNext.)',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      severity: 'error',
      comment: 'An npm package imported from src/ must be declared in package.json (else it works only by hoisting luck).',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    // Edges into packages are recorded (for no-non-package-json) but the packages themselves are not crawled.
    doNotFollow: { path: ['node_modules'] },
    // Keep `import type` / `import { type X }` edges: TypeScript erases them at compile time, the design does not.
    tsPreCompilationDeps: true,
    // Resolution as tsc does it under NodeNext: a relative `./x.js` that does not exist on disk (always the case in src/) is
    // retried by dependency-cruiser as `./x.ts` / `.tsx` / `.d.ts`; packages through their `exports`, `import` first.
    // not-to-unresolvable above fails the run if this ever stops resolving, and the test checks it on a tree of its own.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'types', 'default', 'require'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
