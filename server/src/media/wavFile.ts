import { open, type FileHandle } from 'node:fs/promises';
import { MEDIA_SAMPLE_RATE } from '@earshot/shared';

/** The recorder's files: stereo (customer left, agent side right), 8 kHz, 16-bit PCM. */
export const RECORDING_CHANNELS = 2;
export const RECORDING_BYTES_PER_SECOND = MEDIA_SAMPLE_RATE * RECORDING_CHANNELS * 2;
export const WAV_HEADER_BYTES = 44;

/** The canonical 44-byte RIFF/WAVE header of a PCM file with `dataBytes` of samples. */
export function wavHeader(dataBytes: number): Buffer {
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(RECORDING_CHANNELS, 22);
  h.writeUInt32LE(MEDIA_SAMPLE_RATE, 24);
  h.writeUInt32LE(RECORDING_BYTES_PER_SECOND, 28);
  h.writeUInt16LE(RECORDING_CHANNELS * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

export function durationMsOf(dataBytes: number): number {
  return Math.round((dataBytes * 1000) / RECORDING_BYTES_PER_SECOND);
}

/**
 * Writes a WAV file as the call goes: a header with no length first, the samples appended in order, and
 * the real lengths patched in at the end. Writes are queued, never awaited by the audio path; the first
 * failure stops the writing and is what `close` rejects with.
 */
export class WavFileWriter {
  private tail: Promise<FileHandle | null>;
  private failure: unknown = null;
  private dataBytes = 0;

  constructor(readonly path: string) {
    this.tail = open(path, 'wx').then(
      async (fh) => {
        await fh.write(wavHeader(0), 0, WAV_HEADER_BYTES, 0);
        return fh;
      },
      (e: unknown) => {
        this.failure = e;
        return null;
      },
    );
  }

  get bytesWritten(): number {
    return this.dataBytes;
  }

  append(chunk: Buffer): void {
    const position = WAV_HEADER_BYTES + this.dataBytes;
    this.dataBytes += chunk.length;
    this.enqueue(async (fh) => {
      await fh.write(chunk, 0, chunk.length, position);
    });
  }

  /** Patches the lengths in, closes the file, and answers how many bytes of samples it holds. */
  async close(): Promise<number> {
    this.enqueue(async (fh) => {
      await fh.write(wavHeader(this.dataBytes), 0, WAV_HEADER_BYTES, 0);
      await fh.close();
    });
    const fh = await this.tail;
    if (this.failure !== null || fh === null) throw this.failure;
    return this.dataBytes;
  }

  private enqueue(step: (fh: FileHandle) => Promise<void>): void {
    this.tail = this.tail.then(async (fh) => {
      if (!fh) return null;
      try {
        await step(fh);
        return fh;
      } catch (e) {
        this.failure ??= e;
        await fh.close().catch(() => undefined);
        return null;
      }
    });
  }
}

/** A file left behind by a server that stopped mid-call: its header gets the lengths of what is there. */
export async function repairWavFile(path: string): Promise<number> {
  const fh = await open(path, 'r+');
  try {
    const { size } = await fh.stat();
    const blockAlign = RECORDING_CHANNELS * 2;
    const dataBytes = Math.max(0, Math.floor((size - WAV_HEADER_BYTES) / blockAlign) * blockAlign);
    await fh.write(wavHeader(dataBytes), 0, WAV_HEADER_BYTES, 0);
    await fh.truncate(WAV_HEADER_BYTES + dataBytes);
    return dataBytes;
  } finally {
    await fh.close();
  }
}
