import { expect, it } from 'vitest';
import { storeBenchFlags } from './runStoreBench.js';

const usage = 'npm run bench -- --store [--appends N (a whole number above 0)] [--spacing MS (0 or more)]';

it('takes the store bench flags, with their defaults', () => {
  expect(storeBenchFlags(['--store'])).toEqual({ appends: 1000, spacingMs: 50 });
  expect(storeBenchFlags(['--store', '--appends', '200', '--spacing', '0'])).toEqual({ appends: 200, spacingMs: 0 });
  expect(storeBenchFlags(['--spacing', '20', '--store'])).toEqual({ appends: 1000, spacingMs: 20 });
});

it('refuses a flag it does not know, or a value it cannot take, saying which', () => {
  expect(() => storeBenchFlags(['--store', '--appends', '0'])).toThrow(`${usage}: not --appends 0`);
  expect(() => storeBenchFlags(['--store', '--appends', '1.5'])).toThrow(`${usage}: not --appends 1.5`);
  expect(() => storeBenchFlags(['--store', '--spacing'])).toThrow(`${usage}: not --spacing`);
  expect(() => storeBenchFlags(['--store', '--spacing', '-1'])).toThrow(`${usage}: not --spacing -1`);
  expect(() => storeBenchFlags(['--store', '--rounds', '3'])).toThrow(`${usage}: not --rounds 3`);
});
