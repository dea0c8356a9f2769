import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TurnWrites } from './turnWrites.js';

/** A socket whose writes the kernel takes at once (`hold` false) or only when `release` is called. */
class FakeSocket extends Duplex {
  readonly writes: string[][] = [];
  private held: (() => void)[] = [];
  constructor(private readonly hold: boolean) {
    super();
  }
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this._writev([{ chunk }], cb);
  }
  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    this.writes.push(chunks.map((c) => c.chunk.toString()));
    // The kernel takes nothing at once (an empty write), whatever it holds.
    const empty = chunks.every((c) => c.chunk.length === 0);
    if (this.hold && !empty) this.held.push(() => cb());
    else cb();
  }
  release(): void {
    const held = this.held;
    this.held = [];
    for (const cb of held) cb();
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('TurnWrites', () => {
  it("writes a turn's frames in one write and tells each frame's completion after it, in order", async () => {
    const raw = new FakeSocket(false);
    const writes = new TurnWrites(raw);
    const told: string[] = [];
    writes.wrote((err) => told.push(`a:${err ?? 'ok'}`));
    raw.write('a');
    writes.wrote();
    raw.write('probe');
    writes.wrote((err) => told.push(`b:${err ?? 'ok'}`));
    raw.write('b');
    expect(raw.writes).toEqual([]);
    expect(told).toEqual([]);
    await nextTurn();
    expect(raw.writes).toEqual([['a', 'probe', 'b']]);
    expect(told).toEqual(['a:ok', 'b:ok']);
  });

  it("tells a slow socket's completions only once the kernel has taken the bytes, in order", async () => {
    const raw = new FakeSocket(true);
    const writes = new TurnWrites(raw);
    const told: string[] = [];
    writes.wrote(() => told.push('a'));
    raw.write('a');
    await nextTurn();
    expect(raw.writes).toEqual([['a']]);
    expect(told).toEqual([]);
    raw.release();
    await nextTurn();
    expect(told).toEqual(['a']);
    writes.wrote(() => told.push('b'));
    raw.write('b');
    await nextTurn();
    writes.wrote(() => told.push('c'));
    raw.write('c');
    await nextTurn();
    expect(told).toEqual(['a']);
    // 'b' is with the kernel, but its completion was queued behind it with 'c' (one write): told with 'c's.
    raw.release();
    await nextTurn();
    expect(told).toEqual(['a']);
    raw.release();
    await nextTurn();
    expect(told).toEqual(['a', 'b', 'c']);
  });

  it('fails the completions still waiting when the socket closes, and every later one', async () => {
    const raw = new FakeSocket(true);
    const writes = new TurnWrites(raw);
    const told: string[] = [];
    writes.wrote((err) => told.push(`a:${err?.message ?? 'ok'}`));
    raw.write('a');
    await nextTurn();
    raw.destroy();
    await nextTurn();
    expect(told).toEqual(['a:the media socket closed']);
    writes.wrote((err) => told.push(`b:${err?.message ?? 'ok'}`));
    await nextTurn();
    expect(told).toEqual(['a:the media socket closed', 'b:the media socket closed']);
  });
});
