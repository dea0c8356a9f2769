import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toneFrame } from './goertzel.js';

/** Debian's baresip on this machine, or null. */
export function baresipPath(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v baresip'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** What baresip prints once its accounts and codecs are loaded and it listens for SIP. */
const READY_LINE = 'baresip is ready.';

/**
 * A baresip user agent that answers one call by itself, sends a tone file as its microphone (aufile) and
 * records what it receives, decoded, to a WAV file (sndfile). Its RTP port is fixed (`rtpPort`), so the
 * sender can be pointed at it before the call.
 */
export class BaresipPeer {
  readonly dir = mkdtempSync(join(tmpdir(), 'earshot-baresip-'));
  private exited: Promise<number | null> = Promise.resolve(null);
  private listening: Promise<void> = Promise.resolve();
  output = '';

  constructor(
    private readonly binary: string,
    readonly sipPort: number,
    readonly rtpPort: number,
  ) {}

  /** Starts it; it quits by itself after `seconds`. */
  start(toneHz: number, seconds: number): void {
    const samples = new Int16Array(8000 * seconds);
    for (let i = 0; i < samples.length / 160; i++) samples.set(toneFrame(toneHz, i), i * 160);
    writeFileSync(join(this.dir, 'tone.wav'), wav(samples));
    writeFileSync(
      join(this.dir, 'config'),
      [
        'poll_method epoll',
        `sip_listen 127.0.0.1:${this.sipPort}`,
        'audio_player aufile,/dev/null',
        `audio_source aufile,${join(this.dir, 'tone.wav')}`,
        'audio_alert aufile,/dev/null',
        'audio_srate 8000',
        'audio_channels 1',
        `rtp_ports ${this.rtpPort}-${this.rtpPort + 1}`,
        'module_path /usr/lib/baresip/modules',
        'module g711.so',
        'module aufile.so',
        'module sndfile.so',
        'module_app account.so',
        `snd_path ${this.dir}`,
        '',
      ].join('\n'),
    );
    writeFileSync(join(this.dir, 'accounts'), '<sip:peer@127.0.0.1>;regint=0;answermode=auto;audio_codecs=PCMU\n');
    const child = spawn(this.binary, ['-f', this.dir, '-t', String(seconds)], { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let listening: () => void;
    this.listening = new Promise((resolve) => (listening = resolve));
    const heard = (d: Buffer) => {
      this.output += d;
      if (this.output.includes(READY_LINE)) listening();
    };
    child.stdout!.on('data', heard);
    child.stderr!.on('data', heard);
    this.exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  }

  /**
   * Resolves once baresip listens for its call: a call placed sooner finds no one at the port. Under a loaded
   * machine its start (the modules, the sound file) takes longer than any fixed pause.
   */
  async ready(ms = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`baresip not ready after ${ms} ms; it printed:\n${this.lastOutput()}`)), ms);
    });
    const quit = this.exited.then((code) => {
      throw new Error(`baresip quit (${code}) before it was ready; it printed:\n${this.lastOutput()}`);
    });
    try {
      await Promise.race([this.listening, late, quit]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The end of what baresip printed, for a failure's message. */
  lastOutput(): string {
    return this.output.slice(-1500);
  }

  done(): Promise<number | null> {
    return this.exited;
  }

  /** What it received and decoded during the call (sndfile's `-dec.wav`), as 16-bit samples. */
  received(): Int16Array {
    const file = readdirSync(this.dir).find((f) => f.endsWith('-dec.wav'));
    if (!file) throw new Error(`baresip recorded nothing; it printed:\n${this.lastOutput()}`);
    return wavSamples(join(this.dir, file));
  }
}

/**
 * The 16-bit samples of a WAV file's "data" chunk, to the end of the file: one still being written (sndfile
 * during a call) has a header that does not yet say how long its data is.
 */
export function wavSamples(path: string): Int16Array {
  const bytes = readFileSync(path);
  // Walk the RIFF chunks to "data".
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'data') {
      const rest = bytes.length - offset - 8;
      const length = (size > 0 && size <= rest ? size : rest) & ~1;
      return new Int16Array(bytes.buffer.slice(bytes.byteOffset + offset + 8, bytes.byteOffset + offset + 8 + length));
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error(`${path} has no data chunk`);
}

/** A mono 8 kHz 16-bit WAV. */
function wav(samples: Int16Array): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** An even UDP port whose odd neighbour is free too: baresip takes RTP on the even port of its range (RTCP above it). */
export async function freeRtpPortPair(): Promise<number> {
  const { createSocket } = await import('node:dgram');
  for (let tries = 0; tries < 50; tries++) {
    const sockets = [createSocket('udp4'), createSocket('udp4')];
    try {
      await new Promise<void>((resolve, reject) => {
        sockets[0]!.once('error', reject);
        sockets[0]!.bind(0, '127.0.0.1', () => resolve());
      });
      const port = sockets[0]!.address().port;
      if (port % 2 !== 0) continue;
      await new Promise<void>((resolve, reject) => {
        sockets[1]!.once('error', reject);
        sockets[1]!.bind(port + 1, '127.0.0.1', () => resolve());
      });
      return port;
    } catch {
      // Taken: another try.
    } finally {
      for (const s of sockets) {
        try {
          s.close();
        } catch {
          // Never bound.
        }
      }
    }
  }
  throw new Error('no free even/odd UDP port pair');
}
