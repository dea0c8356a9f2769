import { DEMO_PASSWORD, loadConfig, startServer, StartupRefusal, type EarshotServer } from './app.js';
import { stopOnSignals } from './shutdown.js';
import { ConfigError, settingsHelp, settingsTable, type ServerConfig } from './config.js';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(
    `Earshot: live call supervision.\n\nusage: node server/dist/main.js\n\nEvery setting is an environment variable (default, then meaning):\n\n${settingsHelp()}`,
  );
  process.exit(0);
}
if (process.argv.includes('--settings-table')) {
  console.log(settingsTable());
  process.exit(0);
}

let config: ServerConfig;
try {
  config = loadConfig();
} catch (e) {
  // A bad setting stops the start before anything is created: no data directory, no port.
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(2);
}
let server: EarshotServer;
try {
  // Readable lines in a terminal; JSON, one object a line, for anything that collects them.
  server = await startServer(config, { prettyLogs: process.stdout.isTTY === true });
} catch (e) {
  if (!(e instanceof StartupRefusal)) throw e;
  console.error(e.message);
  process.exit(2);
}

const lines = [
  `Earshot is running at ${server.url}`,
  `  supervisor app: ${server.url}/`,
  `  desktop agent (for agents): ${server.url}/agent/`,
  `  data: ${server.databasePath}`,
];
if (server.auditAnchor) {
  const { checkpointFile, keyFile, keySource } = server.auditAnchor;
  const key =
    keySource === 'AUDIT_ANCHOR_KEY'
      ? 'key from AUDIT_ANCHOR_KEY'
      : keySource === 'generated'
        ? `key generated into ${keyFile} (outside DATA_DIR; keep it, or set AUDIT_ANCHOR_KEY)`
        : `key from ${keyFile}`;
  lines.push(`  audit anchor: checkpoints in ${checkpointFile}, ${key}`);
}
if (server.demoLogins.length > 0) {
  lines.push(`  demo floor created (demo only; set EARSHOT_DEMO=off for a real install). Password for every demo login: ${DEMO_PASSWORD}`);
  for (const l of server.demoLogins.filter((d) => !d.simulated))
    lines.push(`    ${l.username.padEnd(20)} ${l.role}${l.extension ? ` (phone ${l.extension})` : ''}`);
  const simulated = server.demoLogins.filter((d) => d.simulated).length;
  if (simulated) lines.push(`    (and ${simulated} simulated agents, sim.<team>.<n>)`);
}
console.log(lines.join('\n'));

stopOnSignals(server, config.shutdownTimeoutMs, { info: (m) => console.log(m), error: (m) => console.error(m) });
