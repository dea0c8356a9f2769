import { describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/auditLog.js';
import { testConfig } from '../config.js';
import { hashParameters, needsRehash, unknownUserHash, verifyPassword } from '../store/passwords.js';
import { openSqliteStore } from '../store/sqliteStore.js';
import { AuthService } from './authService.js';

function authAt(passwordHashCost: number) {
  const { store } = openSqliteStore(':memory:');
  return new AuthService(store, new AuditLog(store.audit, Date.now), testConfig({ passwordHashCost }), Date.now);
}

describe('password hashes', () => {
  it("an unknown username's password is checked against a hash at the configured cost", () => {
    expect(hashParameters(authAt(1024).unknownUserHash)).toEqual({ N: 1024, r: 8, p: 1 });
    expect(hashParameters(authAt(65536).unknownUserHash)).toEqual({ N: 65536, r: 8, p: 1 });
  });

  it('the dummy hash is one scrypt checks (and nothing matches it)', async () => {
    expect(await verifyPassword('', unknownUserHash(1024))).toBe(false);
    expect(await verifyPassword('AAAA', unknownUserHash(1024))).toBe(false);
  });

  it('a hash needs rehashing when its cost differs from the configured one', () => {
    const at16k = unknownUserHash(16384);
    expect(needsRehash(at16k, 16384)).toBe(false);
    expect(needsRehash(at16k, 32768)).toBe(true);
    expect(needsRehash(at16k, 1024)).toBe(true);
    expect(needsRehash('not-a-hash', 1024)).toBe(true);
  });
});
