// Bundles the action's entry points into dist/ (committed: GitHub runs dist/, with no install step).
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';

/** @type {import('rollup').RollupOptions} */
const config = {
  input: { index: 'src/index.ts', post: 'src/post.ts', cli: 'src/cli.ts' },
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name].js',
    sourcemap: false,
    generatedCode: 'es2015',
    // Load a chunk only when it is imported: hoisting would load what dynamic imports keep for later (the YAML library, the
    // Docker and model clients) at every start.
    hoistTransitiveImports: false,
  },
  plugins: [
    typescript({
      tsconfig: './tsconfig.json',
      include: ['src/**/*.ts'],
      noEmitOnError: true,
      compilerOptions: { noEmit: false, outDir: 'dist', declaration: false, sourceMap: false },
    }),
    nodeResolve({ preferBuiltins: true, exportConditions: ['node', 'import', 'default'] }),
    commonjs(),
    json(),
  ],
  onwarn(warning, warn) {
    // Module-level `this` in CJS shims and circular imports inside dependencies are harmless once bundled.
    if (['THIS_IS_UNDEFINED', 'CIRCULAR_DEPENDENCY', 'INVALID_ANNOTATION'].includes(warning.code ?? '')) return;
    warn(warning);
  },
};

export default config;
