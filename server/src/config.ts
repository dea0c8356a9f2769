import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** Every setting the server reads from the environment, with its default. README lists the same. */
export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  /** Browser origins allowed to open a socket; the server's own origin is always allowed. */
  allowedOrigins: string[];
  /** The address the server is reached at, when behind a proxy; adds its origin to the allowed ones. */
  publicUrl: string | null;
  demo: boolean;
  sessionTtlMs: number;
  loginMaxFailures: number;
  loginFailureWindowMs: number;
  loginLockoutMs: number;
  /** scrypt cost parameter N for new password hashes. */
  passwordHashCost: number;
  /** Messages a socket may send per second before it is answered RATE_LIMITED. */
  socketRatePerSecond: number;
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
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

const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}, not "${raw}"`);
  return n;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'on', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'off', 'no'].includes(raw)) return false;
  throw new Error(`${name} must be on or off, not "${env[name]}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const level = (env.LOG_LEVEL ?? 'info') as ServerConfig['logLevel'];
  if (!LOG_LEVELS.includes(level)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const dataDir = env.DATA_DIR || './data';
  const secret = env.MEDIA_TOKEN_SECRET || randomBytes(32).toString('base64url');
  if (secret.length < 32) throw new Error('MEDIA_TOKEN_SECRET must be at least 32 characters');
  return {
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 3000),
    dataDir,
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    publicUrl: env.PUBLIC_URL || null,
    demo: flag(env, 'EARSHOT_DEMO', true),
    sessionTtlMs: int(env, 'SESSION_TTL_MINUTES', 720, 1) * 60_000,
    loginMaxFailures: int(env, 'LOGIN_MAX_FAILURES', 5, 1),
    loginFailureWindowMs: int(env, 'LOGIN_FAILURE_WINDOW_SECONDS', 900, 1) * 1000,
    loginLockoutMs: int(env, 'LOGIN_LOCKOUT_SECONDS', 300, 1) * 1000,
    passwordHashCost: int(env, 'PASSWORD_HASH_COST', 16384, 1024),
    socketRatePerSecond: int(env, 'SOCKET_RATE_PER_SECOND', 50, 1),
    logLevel: level,
    maxSupervisorsPerCall: int(env, 'MAX_SUPERVISORS_PER_CALL', 3, 1),
    disconnectGraceMs: int(env, 'DISCONNECT_GRACE_MS', 2000, 0),
    recordingsDir: env.RECORDINGS_DIR || (dataDir === ':memory:' ? null : join(dataDir, 'recordings')),
    mediaTokenSecret: secret,
    simulator: {
      enabled: flag(env, 'SIM_ENABLED', true),
      agents: int(env, 'SIM_AGENTS', 10_000, 0),
      arrivalsPerMinute: int(env, 'SIM_ARRIVALS_PER_MINUTE', 20, 0),
      meanHandleSeconds: int(env, 'SIM_HANDLE_SECONDS', 40, 1),
      queues: (env.SIM_QUEUES ?? 'Billing,Sales,Support').split(',').map((q) => q.trim()).filter(Boolean),
      tickMs: int(env, 'SIM_TICK_MS', 250, 10),
      offerToRealAgents: flag(env, 'SIM_OFFER_TO_REAL_AGENTS', true),
      seed: int(env, 'SIM_SEED', Date.now() % 2 ** 31, 0),
    },
  };
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
    simulator: { ...loadConfig({}).simulator, enabled: false, arrivalsPerMinute: 0, seed: 1, ...overrides.simulator },
  };
}
