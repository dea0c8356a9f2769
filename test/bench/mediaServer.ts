/**
 * The Earshot server as the media bench measures it: the real server (server/dist, or server/src when
 * BENCH_SERVER_ENTRY=source) with the bench's feed platform in place of the simulator, settings from the
 * environment like `main.js`. Prints `media bench server on <port> feed <port>`.
 */
import type * as App from '../../server/src/app.js';
import { FeedPlatform } from './feedPlatform.js';
import type { CounterTree } from './mediaFeed.js';

const entry = process.env.BENCH_SERVER_ENTRY === 'source' ? '../../server/src/app.ts' : '../../server/dist/app.js';
const { loadConfig, startServer } = (await import(entry)) as typeof App;

// The media plane's stats are numbers and groups of numbers (MediaStats).
let media: { stats(): object } | null = null;
const platform = new FeedPlatform(() => ({ ...(media?.stats() ?? {}) }) as CounterTree);
const server = await startServer(loadConfig(), { platform });
media = server.media;
const feedPort = await platform.listen();
console.log(`media bench server on ${server.port} feed ${feedPort}`);

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
