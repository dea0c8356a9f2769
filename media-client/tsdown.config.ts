import { defineConfig } from 'tsdown';

/**
 * Two outputs: the library (ESM), and the audio worklet as one self-contained file. No declarations: the
 * package is internal to this repository, whose projects read its types from source (`exports.types`);
 * `@earshot/agent-client` bundles it and ships the declarations.
 * The worklet is its own build so that nothing it needs is split into a chunk it would have to import: a
 * bundler that copies `media-worklet.js` beside its bundle copies that one file only.
 */
export default defineConfig([
  {
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    dts: false,
    clean: true,
    fixedExtension: false,
  },
  {
    entry: { 'media-worklet': 'src/mediaWorklet.ts' },
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    dts: false,
    clean: false,
    fixedExtension: false,
    deps: { alwaysBundle: [/.*/] },
  },
]);
