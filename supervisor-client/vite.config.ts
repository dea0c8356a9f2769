import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const server = process.env.EARSHOT_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  // The server serves this app at `/` (server/src/http/staticApps.ts).
  base: '/',
  plugins: [react()],
  resolve: {
    // The wire is read from source: one declaration of every message, shared with the server.
    alias: { '@earshot/shared': fileURLToPath(new URL('../shared/src/index.ts', import.meta.url)) },
  },
  // Source maps for error tracking, not referenced from the scripts; the server never serves them.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: 'hidden' },
  // `npm run dev -w @earshot/supervisor-client` next to a running server; the server must allow the dev
  // origin (ALLOWED_ORIGINS=http://localhost:5173) since sockets check Origin.
  server: {
    proxy: {
      '/api': server,
      '/socket.io': { target: server, ws: true },
      // The media plane's WebSocket (MEDIA_PATH): the sessions' audio.
      '/media': { target: server, ws: true },
    },
  },
});
