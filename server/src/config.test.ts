import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SETTINGS, settingsTable, shownDefault, type SettingName } from './config.js';

const README = new URL('../../README.md', import.meta.url);

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('loadConfig accepted the environment');
}

/** The README's configuration table: variable → [default, meaning]. */
function readmeRows(): Map<string, [string, string]> {
  const text = readFileSync(README, 'utf8');
  const section = text.slice(text.indexOf('## Configuration'), text.indexOf('\n## ', text.indexOf('## Configuration') + 1));
  const rows = new Map<string, [string, string]>();
  for (const line of section.split('\n')) {
    const m = /^\| `([A-Z0-9_]+)` \| (.*?) \| (.*) \|$/.exec(line);
    if (m) rows.set(m[1]!, [m[2]!, m[3]!]);
  }
  return rows;
}

describe('configuration', () => {
  it('the defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      dataDir: './data',
      allowedOrigins: [],
      publicUrl: null,
      trustProxy: false,
      demo: true,
      sessionTtlMs: 720 * 60_000,
      loginMaxFailures: 5,
      passwordHashCost: 16384,
      logLevel: 'info',
      recordingsDir: 'data/recordings',
    });
    expect(c.simulator).toMatchObject({ enabled: true, queues: ['Billing', 'Sales', 'Support'], tickMs: 250 });
    expect(c.mediaTokenSecret.length).toBeGreaterThanOrEqual(32);
  });

  it("the demo's simulated calls last five minutes on average, a production floor's 40 s; a set value wins", () => {
    expect(loadConfig({}).simulator.meanHandleSeconds).toBe(300);
    expect(loadConfig({ EARSHOT_DEMO: 'off' }).simulator.meanHandleSeconds).toBe(40);
    expect(loadConfig({ SIM_HANDLE_SECONDS: '60' }).simulator.meanHandleSeconds).toBe(60);
    expect(loadConfig({ SIM_HANDLE_SECONDS: '', EARSHOT_DEMO: 'off' }).simulator.meanHandleSeconds).toBe(40);
  });

  it('reads each kind of value; an empty variable counts as unset', () => {
    const c = loadConfig({
      PORT: '0',
      EARSHOT_DEMO: 'off',
      SIM_QUEUES: ' A , B ,',
      ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      LOG_LEVEL: '',
      DATA_DIR: ':memory:',
    });
    expect(c).toMatchObject({ port: 0, demo: false, allowedOrigins: ['https://a.example', 'https://b.example'], logLevel: 'info', recordingsDir: null });
    expect(c.simulator.queues).toEqual(['A', 'B']);
  });

  it('TRUST_PROXY: off, on, a hop count, or proxy addresses', () => {
    expect(loadConfig({ TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'on' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16, ::1, loopback' }).trustProxy).toEqual(['10.0.0.1', '192.168.0.0/16', '::1', 'loopback']);
    expect(problemsOf({ TRUST_PROXY: '10.0.0.1, proxy.local' })).toEqual([
      'TRUST_PROXY="10.0.0.1, proxy.local": must be off, on, a number of hops, or proxy addresses/subnets (not proxy.local)',
    ]);
  });

  it("FRAME_ANCESTORS: 'self' and origins, or 'none' alone", () => {
    expect(loadConfig({}).frameAncestors).toEqual(["'self'"]);
    expect(loadConfig({ FRAME_ANCESTORS: "'self', https://desk.example.com, https://*.crm.example:8443" }).frameAncestors).toEqual([
      "'self'",
      'https://desk.example.com',
      'https://*.crm.example:8443',
    ]);
    expect(loadConfig({ FRAME_ANCESTORS: "'none'" }).frameAncestors).toEqual(["'none'"]);
    const message = "must be 'none', or 'self' and/or origins such as https://desk.example.com, comma-separated";
    expect(problemsOf({ FRAME_ANCESTORS: "'none', https://desk.example.com" })).toEqual([`FRAME_ANCESTORS="'none', https://desk.example.com": ${message}`]);
    expect(problemsOf({ FRAME_ANCESTORS: 'https://desk.example.com; script-src *' })).toEqual([
      `FRAME_ANCESTORS="https://desk.example.com; script-src *": ${message}`,
    ]);
  });

  it('a bad environment names every bad variable and its problem at once', () => {
    expect(
      problemsOf({
        PORT: 'eighty',
        HOST: '0.0.0.0',
        LOG_LEVEL: 'loud',
        EARSHOT_DEMO: 'maybe',
        PASSWORD_HASH_COST: '3000',
        SIM_TICK_MS: '5',
        PUBLIC_URL: 'earshot.example',
      }),
    ).toEqual([
      'PORT="eighty": must be a whole number of at least 0',
      'PUBLIC_URL="earshot.example": must be an http(s) URL',
      'EARSHOT_DEMO="maybe": must be on or off',
      'PASSWORD_HASH_COST="3000": must be a power of two',
      'LOG_LEVEL="loud": must be silent, error, warn, info or debug',
      'SIM_TICK_MS="5": must be a whole number of at least 10',
    ]);
  });

  it('SHUTDOWN_DRAIN_SECONDS: none by default; it must fit inside SHUTDOWN_TIMEOUT_SECONDS', () => {
    expect(loadConfig({}).shutdownDrainMs).toBe(0);
    expect(loadConfig({ SHUTDOWN_DRAIN_SECONDS: '5', SHUTDOWN_TIMEOUT_SECONDS: '30' })).toMatchObject({ shutdownDrainMs: 5000, shutdownTimeoutMs: 30_000 });
    expect(problemsOf({ SHUTDOWN_DRAIN_SECONDS: '10' })).toEqual(['SHUTDOWN_DRAIN_SECONDS="10": must be shorter than SHUTDOWN_TIMEOUT_SECONDS (10 s)']);
  });

  it('a secret never appears in the message about it', () => {
    const problems = problemsOf({ MEDIA_TOKEN_SECRET: 'hunter2-hunter2' });
    expect(problems).toEqual(['MEDIA_TOKEN_SECRET=(15 characters, not shown): must be at least 32 characters']);
  });

  it('the README has a row for every setting, with its default and meaning, and no row for a setting that does not exist', () => {
    const rows = readmeRows();
    for (const name of Object.keys(SETTINGS) as SettingName[]) {
      expect(rows.get(name), `README row for ${name} (regenerate with node server/dist/main.js --settings-table)`).toEqual([
        shownDefault(name),
        SETTINGS[name].description,
      ]);
    }
    expect([...rows.keys()].sort()).toEqual(Object.keys(SETTINGS).sort());
    expect(readFileSync(README, 'utf8')).toContain(settingsTable());
  });
});
