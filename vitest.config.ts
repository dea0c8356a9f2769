import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests read the wire package from source, so a change to a schema needs no rebuild first.
    alias: {
      '@earshot/shared': fileURLToPath(new URL('./shared/src/index.ts', import.meta.url)),
      '@earshot/media-client/testing': fileURLToPath(new URL('./media-client/src/testing/index.ts', import.meta.url)),
      '@earshot/media-client': fileURLToPath(new URL('./media-client/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: [
      'shared/src/**/*.test.ts',
      'server/src/**/*.test.ts',
      'media-client/src/**/*.test.ts',
      'agent-client/src/**/*.test.{ts,tsx}',
      'supervisor-client/src/**/*.test.{ts,tsx}',
      'test/**/*.test.{ts,tsx}',
    ],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
