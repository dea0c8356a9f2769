import type { AddressInfo } from 'node:net';
import { AuditLog } from './audit/auditLog.js';
import { AuthService } from './auth/authService.js';
import { createDemoFloor, type DemoLogin } from './bootstrap/demoFloor.js';
import { installProfiles } from './bootstrap/installProfiles.js';
import type { ServerConfig } from './config.js';
import { createHttpApp } from './http/httpApp.js';
import { ALL_ACTIONS } from './realtime/actions/index.js';
import { createGateway, type EarshotIo } from './realtime/gateway.js';
import type { LiveEffects } from './realtime/liveEffects.js';
import { IdempotencyCache } from './realtime/idempotencyCache.js';
import { LiveFloor } from './live/liveFloor.js';
import type { FloorLogger, FloorPublisher } from './live/floorPublisher.js';
import { userRoom } from './realtime/gateway.js';
import { SimulatorDriver } from './telephony/simulatorDriver.js';
import { originAllowlist } from './realtime/originPolicy.js';
import type { Store } from './store/repositories.js';
import { openSqliteStore } from './store/sqliteStore.js';

export { loadConfig, testConfig, type ServerConfig } from './config.js';
export { DEMO_PASSWORD } from './bootstrap/demoFloor.js';

export interface EarshotServer {
  url: string;
  port: number;
  io: EarshotIo;
  store: Store;
  databasePath: string;
  /** The demo logins created on this start (empty when the data directory already existed or the demo is off). */
  demoLogins: DemoLogin[];
  floor: LiveFloor;
  telephony: SimulatorDriver;
  close(): Promise<void>;
}

export interface ServerOptions {
  now?: () => number;
}

/** Opens the store, installs what a new data directory needs, and starts HTTP and socket.io on one port. */
export async function startServer(config: ServerConfig, options: ServerOptions = {}): Promise<EarshotServer> {
  const now = options.now ?? Date.now;
  const { store, created, path } = openSqliteStore(config.dataDir);
  await installProfiles(store, now());
  const demoLogins = created && config.demo ? await createDemoFloor(store, now(), config.passwordHashCost) : [];

  const audit = new AuditLog(store.audit, now);
  const auth = new AuthService(store, audit, config, now);
  let live: LiveEffects | null = null;
  const http = await createHttpApp({ auth, live: () => live!, logLevel: config.logLevel });
  const logError = (err: unknown, where: string) => http.log.error({ err }, `action failed: ${where}`);
  const logger: FloorLogger = { info: (m) => http.log.info(m), error: (err, m) => http.log.error({ err }, m) };

  let io: EarshotIo | null = null;
  const emit = (room: string, event: string, payload: unknown) => (io?.to(room).emit as ((e: string, p: unknown) => void) | undefined)?.(event, payload);
  const publisher: FloorPublisher = {
    toUser: (userId, event, payload) => emit(userRoom(userId), event, payload),
    toSocket: (socketId, event, payload) => emit(socketId, event, payload),
  };
  const floor = new LiveFloor(store, publisher, audit, logger, now, {
    maxSupervisorsPerCall: config.maxSupervisorsPerCall,
    disconnectGraceMs: config.disconnectGraceMs,
  });
  await floor.init();
  const telephony = new SimulatorDriver(floor, config.simulator, logger, now);
  const driven = telephony.driveUsers(await store.users.list());

  const gateway = createGateway(http.server, {
    store, audit, config, now, auth, logError, floor,
    idempotency: new IdempotencyCache(),
    actions: ALL_ACTIONS,
    originAllowlist: originAllowlist(config.allowedOrigins, config.publicUrl),
  });
  live = gateway.live;
  io = gateway.io;
  if (config.simulator.enabled) {
    telephony.start();
    logger.info(`telephony simulator drives ${driven} agents; ${config.simulator.arrivalsPerMinute} calls a minute over ${config.simulator.queues.join(', ')}`);
  }

  await http.listen({ port: config.port, host: config.host });
  const port = (http.server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;

  return {
    url: `http://${shownHost}:${port}`,
    port,
    io: gateway.io,
    store,
    databasePath: path,
    demoLogins,
    floor,
    telephony,
    async close() {
      telephony.stop();
      floor.close();
      await gateway.io.close();
      await http.close();
      store.close();
    },
  };
}
