import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/** Every setting the server reads from the environment, built from SETTINGS below. */
export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  /** Browser origins allowed to open a socket; the server's own origin is always allowed. */
  allowedOrigins: string[];
  /** The address the server is reached at, when behind a proxy; adds its origin to the allowed ones. */
  publicUrl: string | null;
  /**
   * Which proxies to believe about the client's address (X-Forwarded-For), as fastify's `trustProxy`
   * takes it: false (none), true (every hop), a hop count, or the proxies' addresses and subnets.
   */
  trustProxy: boolean | number | string[];
  /** The CSP `frame-ancestors` sources: who may show the apps in a frame. */
  frameAncestors: string[];
  demo: boolean;
  sessionTtlMs: number;
  loginMaxFailures: number;
  loginFailureWindowMs: number;
  loginLockoutMs: number;
  /** scrypt cost parameter N for new password hashes. */
  passwordHashCost: number;
  /** Messages a socket may send per second before it is answered RATE_LIMITED. */
  socketRatePerSecond: number;
  /** Bytes waiting to be sent to one control socket past which it is closed as too slow (its client resyncs on reconnect). */
  socketMaxUnsentBytes: number;
  /** Audio of one track sent to a media listener and not read by it, in ms, past which it is closed with 4408. */
  mediaMaxUnreadMs: number;
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** The bearer token `/metrics` asks for; null: no `/metrics` at all (404). */
  metricsToken: string | null;
  /** How long a stop may take (sockets closed, recordings finished, store closed) before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** How long a stop serves on, unready, before it closes anything (SHUTDOWN_DRAIN_SECONDS). */
  shutdownDrainMs: number;
  /** The cap on supervisors on one call. */
  maxSupervisorsPerCall: number;
  /** How long a dropped supervisor or agent connection may take to come back before its sessions end. */
  disconnectGraceMs: number;
  /** Where the recorder writes its WAV files; null: a temporary directory removed at close (an in-memory store). */
  recordingsDir: string | null;
  /**
   * Signs media tokens and recording tickets. A fresh random one each start unless set; several nodes
   * behind one address must share it.
   */
  mediaTokenSecret: string;
  /** Which telephony carries the calls: the embedded simulator (default) or Asterisk through ARI. */
  telephony: 'simulator' | 'asterisk';
  asterisk: {
    /** ARI's base, e.g. `http://127.0.0.1:8088` (http.conf's address; `/ari` is added). */
    url: string;
    user: string;
    password: string;
    /** The Stasis application the dialplan hands calls to. */
    app: string;
    /** The address Asterisk sends External Media RTP to; Earshot's RTP sockets bind to it. */
    rtpAddress: string;
    rtpPorts: { min: number; max: number };
    format: 'ulaw' | 'alaw' | 'slin';
  };
  /** A queue's caller answered within this many milliseconds counts as answered in time (service level). */
  serviceLevelThresholdMs: number;
  /**
   * Signs the audit checkpoints (HMAC). Never stored in DATA_DIR; unset: read from, or on a first start
   * generated into, the key file beside DATA_DIR (`<DATA_DIR>.audit-anchor-key`).
   */
  auditAnchorKey: string | null;
  /** Where the signed checkpoints are appended; null: `<DATA_DIR>.audit-checkpoints`, beside DATA_DIR. */
  auditCheckpointFile: string | null;
  /** A checkpoint after this many audit records ... */
  auditCheckpointRecords: number;
  /** ... or this often when the log moved (and at start and shutdown). */
  auditCheckpointMs: number;
  /** The PostgreSQL store (`postgres://…`) in place of SQLite under DATA_DIR; null: SQLite. */
  databaseUrl: string | null;
  /** Several nodes sharing one floor through Redis; null: one node on its own (the embedded default). */
  cluster: ClusterConfig | null;
  simulator: {
    enabled: boolean;
    /** How many `sim.*` users it drives (default: all of them). */
    agents: number;
    arrivalsPerMinute: number;
    meanHandleSeconds: number;
    queues: string[];
    tickMs: number;
    /** Offer calls to real agents who are available. */
    offerToRealAgents: boolean;
    seed: number;
  };
}

/** How this node finds the others (docs/scale-out.md). */
export interface ClusterConfig {
  redisUrl: string;
  /** Every key and stream this floor keeps in Redis starts with it; nodes of one floor share it, tests each take their own. */
  keyPrefix: string;
  /** This node's name among the others; unique per process. */
  nodeId: string;
  /** Where clients and other nodes reach this node (its agents' plugins and its calls' media connect here); null: PUBLIC_URL, else the address it listens on. */
  nodeUrl: string | null;
  /** A node that has not renewed its leases for this long is taken for dead and its agents move. */
  leaseMs: number;
}

// --- how one environment string is read -------------------------------------------------------------

const wholeNumber = (min: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { error: `must be a whole number of at least ${min}` })
    .transform(Number)
    .refine((n) => n >= min, { error: `must be a whole number of at least ${min}` });

const onOff = () =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['1', 'true', 'on', 'yes', '0', 'false', 'off', 'no'], { error: 'must be on or off' }))
    .transform((v) => ['1', 'true', 'on', 'yes'].includes(v));

const list = () =>
  z.string().transform((s) =>
    s
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  );

const text = () => z.string().trim().min(1, { error: 'must not be blank' });

const serviceUrl = (schemes: string[], example: string) =>
  z
    .string()
    .trim()
    .refine((s) => URL.canParse(s) && schemes.includes(new URL(s).protocol), { error: `must be a URL like ${example}` });

const url = () =>
  z
    .string()
    .trim()
    .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), { error: 'must be an http(s) URL' });

// proxy-addr's named ranges, or an IPv4/IPv6 address with an optional /prefix.
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isProxyAddress = (s: string) => {
  if (PROXY_NAMES.has(s)) return true;
  const [ip, prefix, ...rest] = s.split('/');
  if (rest.length || !ip || !isIP(ip)) return false;
  return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (isIP(ip) === 4 ? 32 : 128));
};
const trustProxy = () =>
  z
    .string()
    .trim()
    .transform((s, ctx): boolean | number | string[] => {
      const v = s.toLowerCase();
      if (['0', 'false', 'off', 'no'].includes(v)) return false;
      if (['true', 'on', 'yes'].includes(v)) return true;
      if (/^\d+$/.test(v)) return Number(v);
      const addresses = s
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean);
      const bad = addresses.filter((a) => !isProxyAddress(a));
      if (addresses.length && !bad.length) return addresses;
      ctx.addIssue({ code: 'custom', message: `must be off, on, a number of hops, or proxy addresses/subnets (not ${bad.join(', ') || 'empty'})` });
      return z.NEVER;
    });

const portRange = () =>
  z
    .string()
    .trim()
    .regex(/^\d+-\d+$/, { error: 'must be a range of ports like 40000-40999' })
    .transform((s) => {
      const [min, max] = s.split('-').map(Number) as [number, number];
      return { min, max };
    })
    .refine((r) => r.min >= 1 && r.max <= 65535 && r.max > r.min, { error: 'must be a range of at least two ports between 1 and 65535' });

// A frame-ancestors source: 'self', or an origin (scheme and host, wildcards and a port allowed); 'none' only alone.
const frameSource = (s: string) => s === "'self'" || /^https?:\/\/[a-z0-9*.-]+(:(\d+|\*))?$/i.test(s);
const frameAncestors = () =>
  list().refine((sources) => (sources.length === 1 && sources[0] === "'none'") || (sources.length > 0 && sources.every(frameSource)), {
    error: "must be 'none', or 'self' and/or origins such as https://desk.example.com, comma-separated",
  });

// --- the settings --------------------------------------------------------------------------------------

/** A simulated call's mean talk time: a contact center's, and the demo's, where a first-time user tries every control on one call. */
const HANDLE_SECONDS = 40;
const DEMO_HANDLE_SECONDS = 300;

interface Setting<T extends z.ZodType<unknown, string>> {
  /** How the value is read. */
  schema: T;
  /** The value used when the variable is unset or empty, read by the same schema; none: `shownDefault` says what happens. */
  default?: string;
  /** What the README and --help show as the default when it is not a fixed value. */
  shownDefault?: string;
  description: string;
  /** Its value never appears in an error message. */
  secret?: boolean;
}
const setting = <T extends z.ZodType<unknown, string>>(s: Setting<T>) => s;

/** The settings, in the order the README and --help list them. README's configuration table is checked against this. */
export const SETTINGS = {
  PORT: setting({ schema: wholeNumber(0), default: '3000', description: 'HTTP and socket.io port (`0`: any free port)' }),
  HOST: setting({ schema: text(), default: '127.0.0.1', description: 'address to listen on; `0.0.0.0` to serve other machines' }),
  DATA_DIR: setting({
    schema: text(),
    default: './data',
    description:
      "where the SQLite store lives (`:memory:` for a throwaway one); with `DATABASE_URL`, the node's own directory, beside which its audit anchor sits",
  }),
  ALLOWED_ORIGINS: setting({
    schema: list(),
    default: '',
    shownDefault: '*(none)*',
    description:
      "comma-separated browser origins allowed to open a socket and to call the HTTP API (CORS), besides the server's own: the pages that embed the agent plugin",
  }),
  PUBLIC_URL: setting({
    schema: url(),
    shownDefault: '*(none)*',
    description: 'the address users reach the server at (behind a proxy); its origin is allowed',
  }),
  TRUST_PROXY: setting({
    schema: trustProxy(),
    default: 'off',
    description:
      "take the client's address from `X-Forwarded-For` (login throttling and the audit log count by it): `on` (every hop; only when nothing reaches the server but the proxy), a number of proxy hops, or the proxies' addresses/subnets, comma-separated",
  }),
  FRAME_ANCESTORS: setting({
    schema: frameAncestors(),
    default: "'self'",
    description:
      "who may show the apps in a frame (CSP `frame-ancestors`): `'self'` and/or the origins of desktops that embed the agent page, comma-separated; `'none'` for nobody",
  }),
  EARSHOT_DEMO: setting({ schema: onOff(), default: 'on', description: 'create the demo floor when the data directory is new (`off` for production)' }),
  SESSION_TTL_MINUTES: setting({ schema: wholeNumber(1), default: '720', description: 'how long a login token lasts' }),
  LOGIN_MAX_FAILURES: setting({
    schema: wholeNumber(1),
    default: '5',
    description: 'failed logins (per username; four times that per address) before a lockout',
  }),
  LOGIN_FAILURE_WINDOW_SECONDS: setting({ schema: wholeNumber(1), default: '900', description: 'the window those failures are counted in' }),
  LOGIN_LOCKOUT_SECONDS: setting({ schema: wholeNumber(1), default: '300', description: 'how long a lockout lasts' }),
  PASSWORD_HASH_COST: setting({
    schema: wholeNumber(1024).refine((n) => (n & (n - 1)) === 0, { error: 'must be a power of two' }),
    default: '16384',
    description: 'scrypt N for password hashes (a power of two); a login whose stored hash has another cost stores it again at this one',
  }),
  SOCKET_RATE_PER_SECOND: setting({
    schema: wholeNumber(1),
    default: '50',
    description: 'messages one socket may send a second before it is answered `RATE_LIMITED`',
  }),
  SOCKET_MAX_UNSENT_BYTES: setting({
    schema: wholeNumber(65536),
    default: '8388608',
    description:
      "bytes waiting to be sent to one socket.io connection (in the server, past the kernel's buffers) past which it is closed as too slow and logged; its client reconnects and resyncs. At least a board snapshot of your largest scope (about 300 bytes an agent)",
  }),
  MEDIA_MAX_UNREAD_MS: setting({
    schema: wholeNumber(100),
    default: '1000',
    description:
      "audio of one track sent to a media listener and not yet read by it (shown by its answers to the server's pings) past which the listener is closed with 4408 and logged",
  }),
  LOG_LEVEL: setting({
    schema: z
      .string()
      .trim()
      .pipe(z.enum(['silent', 'error', 'warn', 'info', 'debug'], { error: 'must be silent, error, warn, info or debug' })),
    default: 'info',
    description: '`silent`, `error`, `warn`, `info` or `debug`',
  }),
  METRICS_TOKEN: setting({
    schema: z.string().trim().min(16, { error: 'must be at least 16 characters' }),
    shownDefault: '*(none: no `/metrics`)*',
    secret: true,
    description:
      'the bearer token (at least 16 characters) a Prometheus scraper sends to `GET /metrics` (`Authorization: Bearer <token>`); unset, `/metrics` answers 404',
  }),
  SHUTDOWN_TIMEOUT_SECONDS: setting({
    schema: wholeNumber(1),
    default: '10',
    description:
      'how long a stop (SIGINT, SIGTERM) may take to close the sockets, finish the recordings and close the store before the process exits anyway; a second signal exits at once',
  }),
  SHUTDOWN_DRAIN_SECONDS: setting({
    schema: wholeNumber(0),
    default: '0',
    description:
      'how long a stop keeps serving while `/api/ready` answers 503, so a load balancer takes the server out of rotation before its port closes; part of SHUTDOWN_TIMEOUT_SECONDS, so it must be shorter',
  }),
  MAX_SUPERVISORS_PER_CALL: setting({ schema: wholeNumber(1), default: '3', description: 'the cap on supervisors on one call' }),
  DISCONNECT_GRACE_MS: setting({
    schema: wholeNumber(0),
    default: '2000',
    description: 'how long a dropped supervisor or agent connection may take to come back before its sessions end',
  }),
  SERVICE_LEVEL_SECONDS: setting({
    schema: wholeNumber(1),
    default: '20',
    description:
      "a queue's service-level threshold: callers answered within it count as answered in time, and a caller waiting longer makes the queue stand out",
  }),
  SIM_ENABLED: setting({ schema: onOff(), default: 'on', description: 'run the embedded telephony simulator' }),
  SIM_AGENTS: setting({ schema: wholeNumber(0), default: '10000', description: 'the most `sim.*` users it drives (all of them by default)' }),
  SIM_ARRIVALS_PER_MINUTE: setting({ schema: wholeNumber(0), default: '20', description: 'simulated calls arriving a minute, over all queues' }),
  SIM_HANDLE_SECONDS: setting({
    schema: wholeNumber(1),
    shownDefault: `\`${DEMO_HANDLE_SECONDS}\` with \`EARSHOT_DEMO=on\`, else \`${HANDLE_SECONDS}\``,
    description: "mean talk time of a simulated call; the demo's calls last long enough to try monitor, coach, barge and record on one",
  }),
  SIM_QUEUES: setting({
    schema: list().refine((q) => q.length > 0, { error: 'must name at least one queue' }),
    default: 'Billing,Sales,Support',
    description: 'queue names',
  }),
  SIM_TICK_MS: setting({ schema: wholeNumber(10), default: '250', description: 'how often the simulator steps' }),
  SIM_OFFER_TO_REAL_AGENTS: setting({ schema: onOff(), default: 'on', description: 'offer calls to real agents who are available in the desktop agent' }),
  SIM_SEED: setting({ schema: wholeNumber(0), shownDefault: '*(time)*', description: "seed of the simulator's random numbers, for a repeatable floor" }),
  RECORDINGS_DIR: setting({ schema: text(), shownDefault: '`$DATA_DIR/recordings`', description: 'where call recordings (stereo WAV) are written' }),
  MEDIA_TOKEN_SECRET: setting({
    schema: z.string().min(32, { error: 'must be at least 32 characters' }),
    shownDefault: '*(random per start)*',
    secret: true,
    description: "key that signs the short-lived media tokens (at least 32 characters); set it when several processes must accept each other's tokens",
  }),
  TELEPHONY: setting({
    schema: z
      .string()
      .trim()
      .pipe(z.enum(['simulator', 'asterisk'], { error: 'must be simulator or asterisk' })),
    default: 'simulator',
    description:
      '`asterisk` to supervise the calls of an Asterisk PBX through ARI and External Media ([docs/telephony/asterisk.md](docs/telephony/asterisk.md))',
  }),
  ASTERISK_ARI_URL: setting({ schema: url(), default: 'http://127.0.0.1:8088', description: "Asterisk's HTTP server (http.conf); `/ari` is added" }),
  ASTERISK_ARI_USER: setting({ schema: text(), default: 'earshot', description: 'the ARI user (ari.conf)' }),
  ASTERISK_ARI_PASSWORD: setting({ schema: z.string(), shownDefault: '*(none)*', secret: true, description: 'its password' }),
  ASTERISK_APP: setting({ schema: text(), default: 'earshot', description: 'the Stasis application the dialplan hands calls to' }),
  ASTERISK_RTP_ADDRESS: setting({
    schema: text().refine((s) => isIP(s) !== 0, { error: 'must be an IP address' }),
    default: '127.0.0.1',
    description: "the address Asterisk sends External Media RTP to; Earshot's RTP sockets bind to it",
  }),
  ASTERISK_RTP_PORTS: setting({
    schema: portRange(),
    default: '40000-40999',
    description: 'the UDP ports Earshot takes that RTP on (two per supervised call); open them from Asterisk to Earshot',
  }),
  ASTERISK_RTP_FORMAT: setting({
    schema: z
      .string()
      .trim()
      .pipe(z.enum(['ulaw', 'alaw', 'slin'], { error: 'must be ulaw, alaw or slin' })),
    default: 'ulaw',
    description: "External Media's format: `ulaw`, `alaw` or `slin` (8 kHz signed linear)",
  }),
  DATABASE_URL: setting({
    schema: serviceUrl(['postgres:', 'postgresql:'], 'postgres://user@host:5432/earshot'),
    shownDefault: '*(none: SQLite under `DATA_DIR`)*',
    secret: true,
    description:
      'the PostgreSQL store (`postgres://user:password@host:5432/earshot`) in place of SQLite; every node of a floor shares it ([docs/scale-out.md](docs/scale-out.md))',
  }),
  REDIS_URL: setting({
    schema: serviceUrl(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
    shownDefault: '*(none: one node)*',
    secret: true,
    description: 'Redis that several nodes share one floor through (`redis://host:6379`); needs `DATABASE_URL`',
  }),
  REDIS_KEY_PREFIX: setting({
    schema: text(),
    default: 'earshot:',
    description: "the start of every key this floor keeps in Redis; one floor's nodes share it",
  }),
  NODE_ID: setting({
    schema: text().pipe(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { error: 'must be 1 to 64 letters, digits, dots, dashes or underscores' })),
    shownDefault: '*(host name and process id)*',
    description: "this node's name among the others; unique per process",
  }),
  NODE_URL: setting({
    schema: url(),
    shownDefault: '`PUBLIC_URL`, else the address it listens on',
    description: "where clients reach this node: its agents' plugins and its calls' media connect here",
  }),
  NODE_LEASE_SECONDS: setting({
    schema: wholeNumber(1),
    default: '5',
    description: 'a node that has not renewed its leases for this long is taken for dead: its supervisions end and its agents move to another node',
  }),
  AUDIT_ANCHOR_KEY: setting({
    schema: z.string().min(32, { error: 'must be at least 32 characters' }),
    shownDefault: '*(the key file)*',
    secret: true,
    description:
      'key (at least 32 characters) that signs the audit checkpoints; never kept in `DATA_DIR`. Unset: read from `<DATA_DIR>.audit-anchor-key` beside the data directory (e.g. `./data.audit-anchor-key`), generated there on a first start',
  }),
  AUDIT_CHECKPOINT_FILE: setting({
    schema: text(),
    shownDefault: '`<DATA_DIR>.audit-checkpoints`',
    description: "the append-only file of signed checkpoints of the audit log's head, outside the database (e.g. `./data.audit-checkpoints`)",
  }),
  AUDIT_CHECKPOINT_RECORDS: setting({ schema: wholeNumber(1), default: '100', description: 'a checkpoint after this many audit records ...' }),
  AUDIT_CHECKPOINT_SECONDS: setting({
    schema: wholeNumber(1),
    default: '5',
    description: '... or this often while the log moves; and one at every start and stop',
  }),
};

export type SettingName = keyof typeof SETTINGS;
type Parsed = { [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']> | undefined };

/** A setting's default as the README and --help show it. */
export function shownDefault(name: SettingName): string {
  const s: Setting<z.ZodType<unknown, string>> = SETTINGS[name];
  return s.shownDefault ?? `\`${s.default}\``;
}

/** Every problem with the environment at once, each naming its variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The environment as one schema: each variable optional (its default is filled in before parsing). */
export const EnvSchema = z.object(
  Object.fromEntries(Object.entries(SETTINGS).map(([name, s]) => [name, s.schema.optional()])) as {
    [K in SettingName]: z.ZodOptional<(typeof SETTINGS)[K]['schema']>;
  },
);

function readSettings(env: NodeJS.ProcessEnv): Parsed {
  const raw: Record<string, string | undefined> = {};
  for (const [name, s] of Object.entries(SETTINGS) as [SettingName, Setting<z.ZodType<unknown, string>>][]) {
    // An empty variable counts as unset, as a shell's `VAR= npm start` means.
    raw[name] = (env[name] === '' ? undefined : env[name]) ?? s.default;
  }
  const result = EnvSchema.safeParse(raw);
  if (result.success) return result.data as Parsed;
  const byName = new Map<string, string[]>();
  for (const issue of result.error.issues) {
    const name = String(issue.path[0]);
    byName.set(name, [...(byName.get(name) ?? []), issue.message]);
  }
  const shown = (name: string) =>
    (SETTINGS as Record<string, Setting<z.ZodType<unknown, string>>>)[name]?.secret
      ? `(${raw[name]?.length ?? 0} characters, not shown)`
      : JSON.stringify(raw[name]);
  throw new ConfigError([...byName].map(([name, messages]) => `${name}=${shown(name)}: ${messages.join('; ')}`));
}

/** Reads the environment; throws a ConfigError listing every bad variable. Creates nothing. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const s = readSettings(env);
  // The drain is spent inside the stop's time limit: a drain as long as the limit would always end in exit 1.
  if (s.SHUTDOWN_DRAIN_SECONDS! >= s.SHUTDOWN_TIMEOUT_SECONDS!) {
    throw new ConfigError([
      `SHUTDOWN_DRAIN_SECONDS=${JSON.stringify(String(s.SHUTDOWN_DRAIN_SECONDS))}: must be shorter than SHUTDOWN_TIMEOUT_SECONDS (${s.SHUTDOWN_TIMEOUT_SECONDS} s)`,
    ]);
  }
  if (s.REDIS_URL !== undefined && s.DATABASE_URL === undefined) {
    throw new ConfigError(['REDIS_URL: several nodes share one store: set DATABASE_URL to their PostgreSQL too']);
  }
  const dataDir = s.DATA_DIR!;
  return {
    host: s.HOST!,
    port: s.PORT!,
    dataDir,
    allowedOrigins: s.ALLOWED_ORIGINS!,
    publicUrl: s.PUBLIC_URL ?? null,
    trustProxy: s.TRUST_PROXY!,
    frameAncestors: s.FRAME_ANCESTORS!,
    demo: s.EARSHOT_DEMO!,
    sessionTtlMs: s.SESSION_TTL_MINUTES! * 60_000,
    loginMaxFailures: s.LOGIN_MAX_FAILURES!,
    loginFailureWindowMs: s.LOGIN_FAILURE_WINDOW_SECONDS! * 1000,
    loginLockoutMs: s.LOGIN_LOCKOUT_SECONDS! * 1000,
    passwordHashCost: s.PASSWORD_HASH_COST!,
    socketRatePerSecond: s.SOCKET_RATE_PER_SECOND!,
    socketMaxUnsentBytes: s.SOCKET_MAX_UNSENT_BYTES!,
    mediaMaxUnreadMs: s.MEDIA_MAX_UNREAD_MS!,
    logLevel: s.LOG_LEVEL!,
    metricsToken: s.METRICS_TOKEN ?? null,
    shutdownTimeoutMs: s.SHUTDOWN_TIMEOUT_SECONDS! * 1000,
    shutdownDrainMs: s.SHUTDOWN_DRAIN_SECONDS! * 1000,
    maxSupervisorsPerCall: s.MAX_SUPERVISORS_PER_CALL!,
    disconnectGraceMs: s.DISCONNECT_GRACE_MS!,
    recordingsDir: s.RECORDINGS_DIR ?? (dataDir === ':memory:' ? null : join(dataDir, 'recordings')),
    mediaTokenSecret: s.MEDIA_TOKEN_SECRET ?? randomBytes(32).toString('base64url'),
    telephony: s.TELEPHONY!,
    asterisk: {
      url: s.ASTERISK_ARI_URL!,
      user: s.ASTERISK_ARI_USER!,
      password: s.ASTERISK_ARI_PASSWORD ?? '',
      app: s.ASTERISK_APP!,
      rtpAddress: s.ASTERISK_RTP_ADDRESS!,
      rtpPorts: s.ASTERISK_RTP_PORTS!,
      format: s.ASTERISK_RTP_FORMAT!,
    },
    serviceLevelThresholdMs: s.SERVICE_LEVEL_SECONDS! * 1000,
    auditAnchorKey: s.AUDIT_ANCHOR_KEY ?? null,
    auditCheckpointFile: s.AUDIT_CHECKPOINT_FILE ?? null,
    auditCheckpointRecords: s.AUDIT_CHECKPOINT_RECORDS!,
    auditCheckpointMs: s.AUDIT_CHECKPOINT_SECONDS! * 1000,
    databaseUrl: s.DATABASE_URL ?? null,
    cluster:
      s.REDIS_URL === undefined
        ? null
        : {
            redisUrl: s.REDIS_URL,
            keyPrefix: s.REDIS_KEY_PREFIX!,
            nodeId: s.NODE_ID ?? `${hostname()}-${process.pid}`,
            nodeUrl: s.NODE_URL ?? null,
            leaseMs: s.NODE_LEASE_SECONDS! * 1000,
          },
    simulator: {
      enabled: s.SIM_ENABLED!,
      agents: s.SIM_AGENTS!,
      arrivalsPerMinute: s.SIM_ARRIVALS_PER_MINUTE!,
      meanHandleSeconds: s.SIM_HANDLE_SECONDS ?? (s.EARSHOT_DEMO ? DEMO_HANDLE_SECONDS : HANDLE_SECONDS),
      queues: s.SIM_QUEUES!,
      tickMs: s.SIM_TICK_MS!,
      offerToRealAgents: s.SIM_OFFER_TO_REAL_AGENTS!,
      seed: s.SIM_SEED ?? Date.now() % 2 ** 31,
    },
  };
}

/** The settings as a markdown table: the README's configuration table is exactly this. */
export function settingsTable(): string {
  const rows = (Object.keys(SETTINGS) as SettingName[]).map((name) => `| \`${name}\` | ${shownDefault(name)} | ${SETTINGS[name].description} |`);
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** The settings for `--help`: name, default, meaning. */
export function settingsHelp(): string {
  const plain = (s: string) => s.replace(/`/g, '').replace(/\*\(([^)]*)\)\*/g, '($1)');
  const names = Object.keys(SETTINGS) as SettingName[];
  const width = Math.max(...names.map((n) => n.length));
  return names.map((n) => `  ${n.padEnd(width)}  ${plain(shownDefault(n))}\n  ${' '.repeat(width)}  ${plain(SETTINGS[n].description)}`).join('\n');
}

/** Defaults for tests and embedding: in memory, quiet, ephemeral port. */
export function testConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    ...loadConfig({}),
    port: 0,
    dataDir: ':memory:',
    recordingsDir: null,
    demo: false,
    passwordHashCost: 1024,
    logLevel: 'silent',
    disconnectGraceMs: 300,
    ...overrides,
    // Tests drive the simulator by hand (tick) unless they say otherwise.
    // The simulator as a production floor has it (EARSHOT_DEMO off): the demo's long calls are for people.
    simulator: { ...loadConfig({ EARSHOT_DEMO: 'off' }).simulator, enabled: false, arrivalsPerMinute: 0, seed: 1, ...overrides.simulator },
  };
}
