import { describe, expect, it } from 'vitest';
import { openDatabase } from './openDatabase.js';
import type { NewRecording } from './repositories.js';
import { createSqliteStore } from './sqliteStore.js';

const base: Omit<NewRecording, 'callId' | 'agentId' | 'file'> = {
  agentName: 'Ava Adams',
  queue: 'Billing',
  direction: 'inbound',
  remoteNumberMasked: '•••• 1234',
  startedAt: 1000,
};

function freshStore() {
  return createSqliteStore(openDatabase(':memory:').db);
}

describe('recordings repository', () => {
  it('creates unfinished, keeps the paused spans, finishes', async () => {
    const store = freshStore();
    const r = await store.recordings.create({ ...base, callId: 'c-1', agentId: 7, file: 'c-1.wav' });
    expect(r).toMatchObject({ id: 1, callId: 'c-1', agentId: 7, file: 'c-1.wav', endedAt: null, durationMs: 0, bytes: 0, pausedSpans: [] });
    await store.recordings.setPausedSpans(r.id, [{ fromMs: 200, toMs: null }]);
    expect((await store.recordings.unfinished()).map((u) => u.pausedSpans)).toEqual([[{ fromMs: 200, toMs: null }]]);
    const done = await store.recordings.finish(r.id, { endedAt: 5000, durationMs: 4000, bytes: 128_000, pausedSpans: [{ fromMs: 200, toMs: 800 }] });
    expect(done).toMatchObject({ endedAt: 5000, durationMs: 4000, bytes: 128_000, pausedSpans: [{ fromMs: 200, toMs: 800 }] });
    expect(await store.recordings.unfinished()).toEqual([]);
  });

  it('pages newest first, within the agents of a scope, by agent and call', async () => {
    const store = freshStore();
    for (const [n, agentId] of [
      [1, 7],
      [2, 8],
      [3, 7],
      [4, 9],
    ] as const) {
      await store.recordings.create({ ...base, callId: `c-${n}`, agentId, file: `c-${n}.wav` });
    }
    const ids = async (q: Parameters<typeof store.recordings.page>[0]) => {
      const page = await store.recordings.page(q);
      return { ids: page.recordings.map((r) => r.id), nextBefore: page.nextBefore };
    };
    expect(await ids({ agentIds: null, limit: 10 })).toEqual({ ids: [4, 3, 2, 1], nextBefore: null });
    expect(await ids({ agentIds: [7, 9], limit: 2 })).toEqual({ ids: [4, 3], nextBefore: 3 });
    expect(await ids({ agentIds: [7, 9], limit: 2, before: 3 })).toEqual({ ids: [1], nextBefore: null });
    expect(await ids({ agentIds: [], limit: 10 })).toEqual({ ids: [], nextBefore: null });
    expect(await ids({ agentIds: null, agentId: 8, limit: 10 })).toEqual({ ids: [2], nextBefore: null });
    expect(await ids({ agentIds: [7], callId: 'c-2', limit: 10 })).toEqual({ ids: [], nextBefore: null });
  });

  it('deletes; a second delete is NOT_FOUND', async () => {
    const store = freshStore();
    const r = await store.recordings.create({ ...base, callId: 'c-1', agentId: 7, file: 'c-1.wav' });
    await store.recordings.delete(r.id);
    expect(await store.recordings.get(r.id)).toBeNull();
    await expect(store.recordings.delete(r.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
