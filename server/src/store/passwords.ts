import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

const KEY_LENGTH = 32;

/** scrypt with its parameters kept in the hash, so a later cost change still verifies old hashes. */
export async function hashPassword(password: string, cost = 16384): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { N: cost, r: 8, p: 1, maxmem: 256 * cost * 8 });
  return `scrypt$${cost}$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const N = Number(n);
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N,
    r: Number(r),
    p: Number(p),
    maxmem: 256 * N * Number(r),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The cost parameters a stored hash was made with, or null when it is not one of ours. */
export function hashParameters(stored: string): { N: number; r: number; p: number } | null {
  const [kind, n, r, p] = stored.split('$');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  return kind === 'scrypt' && Object.values(params).every((v) => Number.isInteger(v) && v > 0) ? params : null;
}

/** Whether a stored hash was made at another cost than the configured one (so a login should rehash it). */
export function needsRehash(stored: string, cost: number): boolean {
  const params = hashParameters(stored);
  return params === null || params.N !== cost || params.r !== 8 || params.p !== 1;
}

/**
 * A hash to compare against when the user does not exist, made at the configured cost: checking it costs
 * what checking a real user's password costs, so the answer's timing does not tell which usernames exist.
 */
export function unknownUserHash(cost: number): string {
  return `scrypt$${cost}$8$1$${'A'.repeat(22)}$${'A'.repeat(43)}`;
}
