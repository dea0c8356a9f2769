import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditAnchor, type AnchorKeySource } from './audit/auditAnchor.js';
import { AuditLog } from './audit/auditLog.js';
import { AuthService } from './auth/authService.js';
import { createDemoFloor, type DemoLogin } from './bootstrap/demoFloor.js';
import { installProfiles } from './bootstrap/installProfiles.js';
import { requireWritableDirectory } from './bootstrap/writableDirectory.js';
import type { ServerConfig } from './config.js';
import { createHttpApp } from './http/httpApp.js';
import { ALL_ACTIONS } from './realtime/actions/index.js';
import { localRoomWriter } from './realtime/localRoomWriter.js';
import { createGateway, type EarshotIo } from './realtime/gateway.js';
import type { LiveEffects } from './realtime/liveEffects.js';
import { IdempotencyCache } from './realtime/idempotencyCache.js';
import { LiveFloor } from './live/liveFloor.js';
import { type FloorFeed, startFloorFeed } from './cluster/floorFeed.js';
import { attachMediaEndpoint } from './media/mediaEndpoint.js';
import { DEFAULT_BACKPRESSURE, framesIn } from './media/mediaConsumer.js';
import { MediaPlane } from './media/mediaPlane.js';
import { MediaTokenRedeemer } from './media/mediaToken.js';
import { TokenSigner } from './media/signedToken.js';
import type { RecordingFileOpener } from './media/wavFile.js';
import type { FloorLogger, FloorPublisher } from './live/floorPublisher.js';
import { userRoom } from './realtime/gateway.js';
import type { TelephonyPlatform } from './telephony/platform.js';
import { PlatformBinding } from './telephony/platformBinding.js';
import type { SimulatedAudio } from './telephony/simulatedCallAudio.js';
import { SimulatorPlatform } from './telephony/simulatorPlatform.js';
import { AsteriskPlatform } from './telephony/asterisk/asteriskPlatform.js';
import { originAllowlist } from './realtime/originPolicy.js';
import type { Store } from './store/repositories.js';
import { DATABASE_FILE } from './store/openDatabase.js';
import { followSessionModes, ServerMetrics } from './metrics/serverMetrics.js';
import { openSqliteStore } from './store/sqliteStore.js';
import { ClusterNode } from './cluster/clusterNode.js';
import { openPostgresStore } from './store/postgres/postgresStore.js';

export { loadConfig, testConfig, type ServerConfig } from './config.js';
export { DEMO_PASSWORD } from './bootstrap/demoFloor.js';
export { StartupRefusal } from './bootstrap/writableDirectory.js';

export interface EarshotServer {
  url: string;
  port: number;
  io: EarshotIo;
  store: Store;
  /** The SQLite file, or the PostgreSQL URL without its password. */
  databasePath: string;
  /** The demo logins created on this start (empty when the data directory already existed or the demo is off). */
  demoLogins: DemoLogin[];
  floor: LiveFloor;
  /** With several nodes (`config.cluster`): what this node publishes of its floor and reads of the others'. */
  floorFeed: FloorFeed | null;
  /** The telephony platform behind the floor. */
  platform: TelephonyPlatform;
  /** The embedded simulator, when it is the platform (tests step it by hand). */
  simulator: SimulatorPlatform | null;
  /** Several nodes (`config.cluster`): this node's membership, leases and routing; null for one node alone. */
  cluster: ClusterNode | null;
  media: MediaPlane;
  /** One 20 ms step of audio by hand: the simulator pushes a frame of each call whose audio is wanted, then the media clock pulls. */
  stepAudio(): void;
  /** Where the recorder writes. */
  recordingsDir: string;
  /** The audit chain's anchor outside the database; null for an in-memory store. */
  auditAnchor: { checkpointFile: string; keyFile: string; keySource: AnchorKeySource } | null;
  close(): Promise<void>;
}

export interface ServerOptions {
  now?: () => number;
  /** How the recorder creates its files (tests inject one that fails, as a full disk does). */
  openRecordingFile?: RecordingFileOpener;
  /** The simulator's voices; default: a synthesized caller and agent (tests inject tones). */
  simulatedAudio?: SimulatedAudio;
  /** Another telephony platform in place of the simulator (tests script one). */
  platform?: TelephonyPlatform;
  /** Log for a person at a terminal (pino-pretty) rather than as JSON lines; `npm start` in a terminal does. */
  prettyLogs?: boolean;
  /** Several nodes: how long an action forwarded to the node that owns its agent may take (default 5 s). */
  forwardTimeoutMs?: number;
}

/** Opens the store, installs what a new data directory needs, and starts HTTP and socket.io on one port. */
export async function startServer(given: ServerConfig, options: ServerOptions = {}): Promise<EarshotServer> {
  const now = options.now ?? Date.now;
  // This node's own copy: with several nodes, the URL it is reached at is known once it listens.
  const config: ServerConfig = given.cluster ? { ...given, cluster: { ...given.cluster } } : given;
  // On PostgreSQL, DATA_DIR holds no database: it is still where this node's audit anchor sits beside.
  const databaseFiles = config.databaseUrl === null ? [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`] : [];
  if (config.dataDir !== ':memory:') requireWritableDirectory('DATA_DIR', config.dataDir, databaseFiles);
  if (config.recordingsDir !== null) requireWritableDirectory('RECORDINGS_DIR', config.recordingsDir);
  const { store, created, path } = config.databaseUrl === null ? openSqliteStore(config.dataDir) : openPostgresStore(config.databaseUrl);
  let anchor: AuditAnchor | null = null;
  if (config.dataDir !== ':memory:') {
    try {
      anchor = new AuditAnchor(store.audit, {
        dataDir: config.dataDir,
        envKey: config.auditAnchorKey,
        checkpointFile: config.auditCheckpointFile,
        everyRecords: config.auditCheckpointRecords,
        everyMs: config.auditCheckpointMs,
        now,
        syncToDisk: () => store.syncNow(),
        whenDurable: () => store.durable(),
      });
      anchor.check();
    } catch (e) {
      store.close();
      throw e;
    }
  }
  await installProfiles(store, now());
  const demoLogins = created && config.demo ? await createDemoFloor(store, now(), config.passwordHashCost) : [];

  const audit = new AuditLog(anchor ? anchor.watching(store.audit) : store.audit, now);
  // Set up further down, once its sources exist; only when something may scrape it (METRICS_TOKEN).
  let metrics: ServerMetrics | null = null;
  const auth = new AuthService(store, audit, config, now, () => metrics?.loginLockedOut());
  // An in-memory store gets throwaway recordings too: a temporary directory, removed at close.
  const recordingsDir = config.recordingsDir ?? mkdtempSync(join(tmpdir(), 'earshot-recordings-'));
  mkdirSync(recordingsDir, { recursive: true });
  const signer = new TokenSigner(config.mediaTokenSecret);
  let live: LiveEffects | null = null;
  let closing = false;
  const allowedOrigins = originAllowlist(config.allowedOrigins, config.publicUrl);
  const http = await createHttpApp({
    auth,
    live: () => live!,
    logLevel: config.logLevel,
    prettyLogs: options.prettyLogs,
    trustProxy: config.trustProxy,
    frameAncestors: config.frameAncestors,
    originAllowlist: allowedOrigins,
    recordings: { auth, store, audit, recordingsDir, signer, now, answered: (...a) => metrics?.actionAnswered(...a) },
    // Ready while not shutting down and the store answers.
    readiness: async () => {
      if (closing) return 'shutting down';
      await store.profiles.list();
      return null;
    },
    metrics: config.metricsToken === null ? null : { token: config.metricsToken, scrape: () => metrics! },
  });
  const logError = (err: unknown, where: string) => http.log.error({ err, action: where }, 'action failed');
  const logger: FloorLogger = {
    info: (m, fields) => http.log.info(fields ?? {}, m),
    warn: (m, fields) => http.log.warn(fields ?? {}, m),
    debug: (m, fields) => http.log.debug(fields ?? {}, m),
    error: (err, m, fields) => http.log.error({ ...fields, err }, m),
  };
  anchor?.start(logger);

  let io: EarshotIo | null = null;
  let sendNow = () => {};
  const cluster = config.cluster
    ? await ClusterNode.connect({ ...config.cluster, forwardTimeoutMs: options.forwardTimeoutMs ?? 5000 }, logger).catch(async (e: unknown) => {
        await anchor?.close();
        store.close();
        throw e;
      })
    : null;
  const toLocalRoom = localRoomWriter(() => io);
  const publisher: FloorPublisher = cluster
    ? cluster.publisher(
        () => io,
        () => sendNow(),
      )
    : {
        // Alone, a user's sockets are all this node's: written as a local room's are.
        toUser: (userId, event, payload, exceptSocket) => toLocalRoom(userRoom(userId), event, payload, exceptSocket),
        toLocalRoom,
        join: (socketId, room) => io?.local.in(socketId).socketsJoin(room),
        leave: (socketId, room) => io?.local.in(socketId).socketsLeave(room),
        sendNow: () => sendNow(),
      };
  const simulator = options.platform || config.telephony === 'asterisk' ? null : new SimulatorPlatform(config.simulator, now, options.simulatedAudio);
  const platform: TelephonyPlatform = options.platform ?? simulator ?? new AsteriskPlatform(config.asterisk, logger, now);
  const floor = new LiveFloor(store, publisher, audit, logger, now, {
    maxSupervisorsPerCall: config.maxSupervisorsPerCall,
    disconnectGraceMs: config.disconnectGraceMs,
    queues: { queues: config.simulator.queues, thresholdMs: config.serviceLevelThresholdMs },
    platform: platform.capabilities,
    nodeId: config.cluster?.nodeId ?? null,
    helpLedger: cluster?.helpLedger ?? null,
  });
  const supervisionModes = followSessionModes(floor.events);
  await floor.init();
  // Several nodes: this node's boards show the whole floor (docs/decisions/floor-feed.md).
  const floorFeed = config.cluster ? await startFloorFeed(floor, config.cluster, logger) : null;
  const media = new MediaPlane({
    floor,
    recordings: store.recordings,
    recordingsDir,
    now,
    log: logger,
    openRecordingFile: options.openRecordingFile,
    backpressure: { ...DEFAULT_BACKPRESSURE, maxUnreadPerTrack: framesIn(config.mediaMaxUnreadMs) },
    platform,
  });
  await media.init();
  const telephony = new PlatformBinding(floor, platform, media, logger, cluster ? (id) => cluster.homedHere(id) : undefined);

  const gateway = createGateway(http.server, {
    store,
    audit,
    config,
    now,
    auth,
    logError,
    floor,
    telephony: platform,
    idempotency: new IdempotencyCache(),
    actions: ALL_ACTIONS,
    originAllowlist: allowedOrigins,
    logInfo: logger.info,
    metrics: { actionAnswered: (...a) => metrics?.actionAnswered(...a) },
    route: cluster?.route,
    homes: cluster ?? undefined,
    floorRightsChanged: cluster
      ? async () => {
          await floor.rightsChanged();
          cluster.tellRightsChanged();
        }
      : undefined,
  });
  live = gateway.live;
  io = gateway.io;
  if (cluster) io.adapter(cluster.adapter());
  sendNow = gateway.sendNow;
  const mediaEndpoint = attachMediaEndpoint(http.server, {
    media,
    redeemer: new MediaTokenRedeemer(signer),
    originAllowlist: allowedOrigins,
    now,
    log: logger,
  });
  if (config.metricsToken !== null) {
    metrics = new ServerMetrics({
      controlSockets: () => [...gateway.io.of('/').sockets.values()].map((s) => s.data.client),
      mediaSockets: () => mediaEndpoint.connections(),
      supervisionModes,
      media: () => media.stats(),
    });
  }
  const startTelephony = async () => {
    await telephony.start();
    if (simulator && config.simulator.enabled) {
      media.start();
      logger.info('telephony simulator started', {
        agents: simulator.drivenAgents,
        callsPerMinute: config.simulator.arrivalsPerMinute,
        queues: config.simulator.queues.join(','),
      });
    } else if (!simulator) {
      media.start();
      logger.info('telephony platform started', { platform: platform.name });
    }
  };
  // Several nodes: the telephony drives the agents this node is home to, known once it has joined the others.
  if (!cluster) await startTelephony();

  await http.listen({ port: config.port, host: config.host });
  const port = (http.server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  if (cluster && config.cluster) {
    config.cluster.nodeUrl ??= config.publicUrl ?? `http://${shownHost}:${port}`;
    await cluster.start(
      floor,
      floorFeed,
      publisher,
      gateway.io,
      config.cluster.nodeUrl,
      (action, respond) => void gateway.runForwarded(action.event, action.caller, action.payload, respond),
    );
    await startTelephony();
  }

  return {
    url: `http://${shownHost}:${port}`,
    port,
    io: gateway.io,
    store,
    databasePath: path,
    demoLogins,
    floor,
    floorFeed,
    platform,
    simulator,
    cluster,
    media,
    stepAudio() {
      simulator?.pushAudio();
      media.pump();
    },
    recordingsDir,
    auditAnchor: anchor && { checkpointFile: anchor.checkpointFile, keyFile: anchor.keyFile, keySource: anchor.keySource },
    async close() {
      closing = true;
      // A load balancer polls /api/ready every few seconds: keep serving, unready, until it has seen the 503.
      if (config.shutdownDrainMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
      await telephony.stop();
      await media.close();
      mediaEndpoint.close();
      await floorFeed?.close();
      floor.close();
      await gateway.io.close();
      await cluster?.close();
      await http.close();
      // The last checkpoint names the last record: a clean stop leaves nothing unanchored.
      await anchor?.close();
      store.close();
      if (config.recordingsDir === null) rmSync(recordingsDir, { recursive: true, force: true });
    },
  };
}
