import { open } from 'node:fs/promises';
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

/** The file a recording is written to: where the writer's writes go (a test injects one that fails). */
export interface RecordingFile {
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<unknown>;
  close(): Promise<void>;
}

/** Creates the new file of a recording; never overwrites one. */
export type RecordingFileOpener = (path: string) => Promise<RecordingFile>;

export const openNewRecordingFile: RecordingFileOpener = (path) => open(path, 'wx');

/**
 * Writes a WAV file as the call goes: a header with no length first, the samples appended in order, and
 * the real lengths patched in at the end. Writes are queued, never awaited by the audio path. The first
 * failure (a full disk, an I/O error) stops the writing, is reported once to `onFailure` as it happens, and
 * is what `close` rejects with; no promise of the queue is ever left rejected, so no failure of the file
 * can reach the process as an unhandled rejection.
 */
export class WavFileWriter {
  private tail: Promise<RecordingFile | null>;
  private failure: { error: unknown } | null = null;
  private dataBytes = 0;

  constructor(
    readonly path: string,
    private readonly onFailure: (error: unknown) => void = () => {},
    openFile: RecordingFileOpener = openNewRecordingFile,
  ) {
    this.tail = (async () => {
      const fh = await openFile(path);
      try {
        await fh.write(wavHeader(0), 0, WAV_HEADER_BYTES, 0);
      } catch (e) {
        await fh.close().catch(() => undefined);
        throw e;
      }
      return fh;
    })().catch((e: unknown) => {
      this.fail(e);
      return null;
    });
  }

  get bytesWritten(): number {
    return this.dataBytes;
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  /** `released` runs once the writer no longer needs `chunk` (written, or never to be): its owner may fill it again. */
  append(chunk: Buffer, released: () => void = () => {}): void {
    if (this.failure) return released();
    const position = WAV_HEADER_BYTES + this.dataBytes;
    this.dataBytes += chunk.length;
    this.enqueue(async (fh) => {
      await fh.write(chunk, 0, chunk.length, position);
    }, released);
  }

  /** Patches the lengths in, closes the file, and answers how many bytes of samples it holds. */
  async close(): Promise<number> {
    this.enqueue(async (fh) => {
      await fh.write(wavHeader(this.dataBytes), 0, WAV_HEADER_BYTES, 0);
      await fh.close();
    });
    const fh = await this.tail;
    if (this.failure || fh === null) throw this.failure?.error ?? new Error(`${this.path} was not written`);
    return this.dataBytes;
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    try {
      this.onFailure(error);
    } catch {
      // Whoever is told must not turn the failure of one file into the failure of the process.
    }
  }

  private enqueue(step: (fh: RecordingFile) => Promise<void>, done: () => void = () => {}): void {
    this.tail = this.tail.then(async (fh) => {
      if (!fh) {
        done();
        return null;
      }
      try {
        await step(fh);
        return fh;
      } catch (e) {
        this.fail(e);
        await fh.close().catch(() => undefined);
        return null;
      } finally {
        done();
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
