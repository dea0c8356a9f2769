/**
 * `npm start`'s server, whose stop stalls where a stalled disk would hold it (finishing the recordings):
 * the shutdown tests run it as a child process to see the time limit and the second signal end it.
 */
import { loadConfig, startServer } from '../../server/src/app.js';
import { stopOnSignals } from '../../server/src/shutdown.js';

const config = loadConfig();
const server = await startServer(config);
server.media.close = () => new Promise<void>(() => undefined);
stopOnSignals(server, config.shutdownTimeoutMs, { info: (m) => console.log(m), error: (m) => console.error(m) });
console.log(`Earshot is running at ${server.url}`);
