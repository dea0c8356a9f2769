import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { hashParameters } from '../../server/src/store/passwords.js';
import { loginHttp, startTestServer, type TestServer } from '../support/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'earshot-rehash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const costOf = async (username: string) => hashParameters((await server!.store.users.credentials(username))!.passwordHash)?.N;

describe('PASSWORD_HASH_COST raised on an existing store', () => {
  it('a login with a hash at the old cost stores one at the new cost (audited); a wrong password changes nothing', async () => {
    server = await startTestServer({ dataDir: dir, passwordHashCost: 1024 });
    expect(await costOf('agent.sales')).toBe(1024);
    await server.close();

    server = await startTestServer({ dataDir: dir, passwordHashCost: 2048, demo: false });
    expect((await loginHttp(server.url, 'agent.sales', 'wrong-password')).status).toBe(401);
    expect(await costOf('agent.sales')).toBe(1024);

    expect((await loginHttp(server.url, 'agent.sales')).status).toBe(200);
    expect(await costOf('agent.sales')).toBe(2048);
    const [record] = (await server.store.audit.query({ action: 'auth:login', limit: 1 })).records;
    expect(record).toMatchObject({ outcome: 'ok', detail: { rehashedAtCost: 2048 } });
    // The new hash verifies, and a login at the same cost leaves it alone.
    const hash = (await server.store.users.credentials('agent.sales'))!.passwordHash;
    expect((await loginHttp(server.url, 'agent.sales')).status).toBe(200);
    expect((await server.store.users.credentials('agent.sales'))!.passwordHash).toBe(hash);
    expect(await costOf('agent.billing')).toBe(1024);
  });
});
