import { readFileSync } from 'node:fs';
import { defineConfig, type UserConfig } from 'tsdown';

/** `import css from './x.css?inline'`: the stylesheet as a string (what Vite does), for the elements. */
const inlineCss = {
  name: 'earshot:inline-css',
  resolveId(id: string, importer?: string) {
    if (!id.endsWith('.css?inline') || !importer) return null;
    // Not ending in .css, so no CSS handling claims it.
    return `\0inline-css:${new URL(id.slice(0, -'?inline'.length), `file://${importer}`).pathname}.js`;
  },
  load(id: string) {
    if (!id.startsWith('\0inline-css:')) return null;
    return `export default ${JSON.stringify(readFileSync(id.slice('\0inline-css:'.length, -'.js'.length), 'utf8'))};`;
  },
};

/** The workspaces this package is made of: bundled in, so a host installs this one package. */
const INTERNAL = [/^@earshot\/(shared|media-client)(\/|$)/];

const common: UserConfig = {
  platform: 'browser',
  target: 'es2022',
  tsconfig: 'tsconfig.lib.json',
  fixedExtension: false,
  plugins: [inlineCss],
};

/**
 * The library build (`npm run build` here; the demo app is `vite build`, into demo-dist/):
 * - ESM with bundled declarations, one file per entry. React, react-dom, socket.io-client and zod stay
 *   imports (peer and ordinary dependencies); the wire (`@earshot/shared`) and the browser audio
 *   (`@earshot/media-client`) are bundled, declarations too.
 * - `earshot-agent.js`: the one script for a page without a bundler (global `EarshotAgent`), everything
 *   inside, React included.
 * - `media-worklet.js` (the audio worklet, one file) and `plugin.css` beside them.
 */
export default defineConfig([
  {
    ...common,
    entry: { index: 'src/sdk/index.ts', react: 'src/react/index.ts', audio: 'src/audio/index.ts', elements: 'src/elements/index.ts' },
    format: 'esm',
    dts: true,
    clean: true,
    deps: { alwaysBundle: INTERNAL },
    copy: [
      { from: 'src/react/plugin.css', to: 'dist' },
      { from: '../media-client/dist/media-worklet.js', to: 'dist' },
    ],
  },
  {
    ...common,
    entry: { 'earshot-agent': 'src/elements/standalone.ts' },
    format: 'iife',
    outputOptions: { entryFileNames: '[name].js' },
    globalName: 'EarshotAgent',
    dts: false,
    clean: false,
    minify: true,
    // React's production build; the media-client's `import.meta.url` default is never used here (the
    // standalone entry names the worklet beside the script), so it becomes undefined instead of `{}`.
    define: { 'process.env.NODE_ENV': '"production"', 'import.meta.url': 'undefined' },
    deps: { alwaysBundle: [/.*/] },
  },
]);
