import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the tests use: trust auth for user postgres on the loopback. */
export const TEST_POSTGRES = 'postgres://postgres@127.0.0.1:5432';

export const START_POSTGRES = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${TEST_POSTGRES}/postgres`, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Whether the tests' PostgreSQL answers. Missing in CI (CI=true) it is a failure, not a skip: the answer
 * then throws. Elsewhere it is false, with a line saying how to start it.
 */
export async function postgresAvailable(): Promise<boolean> {
  try {
    await admin((c) => c.query('SELECT 1'));
    return true;
  } catch (e) {
    const why = `PostgreSQL at ${TEST_POSTGRES} does not answer (${(e as Error).message})`;
    if (process.env.CI === 'true') throw new Error(`${why}: CI needs it`);
    console.warn(`${why}: its tests are skipped. Start it with: ${START_POSTGRES}`);
    return false;
  }
}

/** A new, empty database of its own (earshot_t_<random>); `drop` removes it, whoever is still connected. */
export async function createTestDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `earshot_t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    url: `${TEST_POSTGRES}/${name}`,
    name,
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
