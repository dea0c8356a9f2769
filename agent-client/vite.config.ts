import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The demo desktop agent, served by the Earshot server at /agent/ (server/src/http/staticApps.ts). */
export default defineConfig({
  base: '/agent/',
  plugins: [react()],
  resolve: {
    // The wire package from source: no separate build of shared before this one.
    alias: { '@earshot/shared': fileURLToPath(new URL('../shared/src/index.ts', import.meta.url)) },
  },
  // The library build (tsdown) owns dist/; the demo is an app beside it.
  build: { outDir: 'demo-dist', emptyOutDir: true },
  server: {
    // `npm run dev -w @earshot/agent-client` next to `npm start`: the page talks to the running server.
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
      // The media plane's WebSocket (MEDIA_PATH): the call's audio.
      '/media': { target: 'http://127.0.0.1:3000', ws: true },
    },
  },
});
