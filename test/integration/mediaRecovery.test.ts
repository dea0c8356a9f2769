import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WaveFile } from 'wavefile';
import { expect, it } from 'vitest';
import { startServer, testConfig } from '../../server/src/app.js';
import { wavHeader } from '../../server/src/media/wavFile.js';
import { openSqliteStore } from '../../server/src/store/sqliteStore.js';

it('a recording left open by a server that stopped mid-call is finished at the next start with what its file holds', async () => {
  // One level down: the audit anchor's files, kept beside the data directory, go with the temporary folder.
  const root = mkdtempSync(join(tmpdir(), 'earshot-recovery-'));
  const dataDir = join(root, 'data');
  const recordingsDir = join(dataDir, 'recordings');
  try {
    // The previous run: a row never finished, a pause still open, a file whose header has no lengths yet.
    const before = openSqliteStore(dataDir).store;
    const r = await before.recordings.create({
      callId: 'c-1',
      agentId: 5,
      agentName: 'Ava Adams',
      queue: 'Billing',
      direction: 'inbound',
      remoteNumberMasked: '•••• 1234',
      file: 'c-1.wav',
      startedAt: 1_000,
    });
    await before.recordings.setPausedSpans(r.id, [{ fromMs: 40, toMs: null }]);
    before.close();
    mkdirSync(recordingsDir);
    // Three 20 ms stereo slots, then half a sample frame the crash cut off.
    writeFileSync(join(recordingsDir, 'c-1.wav'), Buffer.concat([wavHeader(0), Buffer.alloc(3 * 160 * 4, 1), Buffer.alloc(2)]));

    const server = await startServer(testConfig({ dataDir, recordingsDir }));
    try {
      expect(await server.store.recordings.get(r.id)).toMatchObject({
        endedAt: 1_060,
        durationMs: 60,
        bytes: 1920,
        pausedSpans: [{ fromMs: 40, toMs: 60 }],
      });
      const wav = new WaveFile(readFileSync(join(recordingsDir, 'c-1.wav')));
      expect(wav.fmt).toMatchObject({ numChannels: 2, sampleRate: 8000, bitsPerSample: 16 });
      expect((wav.getSamples(false, Int16Array) as unknown as Int16Array[])[0]).toHaveLength(480);
    } finally {
      await server.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
