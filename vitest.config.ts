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
    // Two test files at once on a two-core machine (vitest's default leaves one core idle: most files wait on
    // browsers, servers and sockets more than they compute): the whole run took 544 and 561 s here against
    // 733 s one at a time. A busy file's steps then take up to three times as long as alone, so the hang
    // guards are twice what one file alone needed.
    maxWorkers: 2,
    testTimeout: 40_000,
    hookTimeout: 60_000,
  },
});
