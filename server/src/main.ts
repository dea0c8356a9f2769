import { DEMO_PASSWORD, loadConfig, startServer, StartupRefusal, type EarshotServer } from './app.js';

const config = loadConfig();
let server: EarshotServer;
try {
  server = await startServer(config);
} catch (e) {
  if (!(e instanceof StartupRefusal)) throw e;
  console.error(e.message);
  process.exit(2);
}

const lines = [`Earshot is running at ${server.url}`, `  data: ${server.databasePath}`];
if (server.demoLogins.length > 0) {
  lines.push(`  demo floor created (demo only; set EARSHOT_DEMO=off for a real install). Password for every demo login: ${DEMO_PASSWORD}`);
  for (const l of server.demoLogins.filter((d) => !d.simulated)) lines.push(`    ${l.username.padEnd(20)} ${l.role}`);
  const simulated = server.demoLogins.filter((d) => d.simulated).length;
  if (simulated) lines.push(`    (and ${simulated} simulated agents, sim.<team>.<n>)`);
}
console.log(lines.join('\n'));

const stop = async (signal: string) => {
  console.log(`${signal}: stopping`);
  await server.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
