import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEDIA_FRAME_SAMPLES } from '@earshot/shared';
import { wavSamples } from './baresip.js';

export interface PhoneAccount {
  /** The SIP user, e.g. `1001` of `PJSIP/1001`. */
  user: string;
  password: string;
  /** The registrar, `host:port`. */
  registrar: string;
}

/**
 * A SIP phone: Debian's baresip registered to a PBX as `account.user`, answering calls by itself, saying a
 * sine (ausine) as its microphone, and writing what it receives, decoded, to a WAV file (sndfile). Its keys
 * are ctrl_tcp commands (netstring JSON), e.g. `hold`, `resume`, `hangup`.
 */
export class BaresipPhone {
  readonly dir = mkdtempSync(join(tmpdir(), 'earshot-phone-'));
  output = '';
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private ctrlPort = 0;

  constructor(
    private readonly binary: string,
    private readonly account: PhoneAccount,
  ) {}

  async start(toneHz: number): Promise<void> {
    const [sipPort, ctrlPort] = [await freeTcpPort(), await freeTcpPort()];
    this.ctrlPort = ctrlPort;
    writeFileSync(
      join(this.dir, 'config'),
      [
        'poll_method epoll',
        `sip_listen 127.0.0.1:${sipPort}`,
        // ausine makes 48 kHz stereo only; baresip converts it for the 8 kHz μ-law call.
        'audio_player aubridge,nil',
        `audio_source ausine,${toneHz}`,
        'audio_alert aubridge,nil',
        'ausrc_srate 48000',
        'ausrc_channels 2',
        'auplay_srate 8000',
        'auplay_channels 1',
        'module_path /usr/lib/baresip/modules',
        'module g711.so',
        'module ausine.so',
        'module aubridge.so',
        'module sndfile.so',
        // menu gives ctrl_tcp its commands (hold, resume, hangup); stdio would need a terminal.
        'module_app account.so',
        'module_app menu.so',
        'module_app ctrl_tcp.so',
        `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
        `snd_path ${this.dir}`,
        '',
      ].join('\n'),
    );
    const { user, password, registrar } = this.account;
    writeFileSync(join(this.dir, 'accounts'), `<sip:${user}@${registrar}>;auth_pass=${password};answermode=auto;audio_codecs=PCMU;regint=60\n`);
    const child = spawn(this.binary, ['-f', this.dir], { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (this.output += d));
    child.stderr!.on('data', (d) => (this.output += d));
    this.exited = new Promise((resolve) => child.on('close', () => resolve()));
    this.child = child;
  }

  /** baresip said its registration was accepted (`200 OK` for the account). */
  get registered(): boolean {
    return this.output.includes(`${this.account.user}@`) && / 200 OK /.test(this.output);
  }

  /** Presses a key: a ctrl_tcp command; resolves with its response, rejects when baresip refuses it. */
  command(name: string): Promise<string> {
    const token = `t${Date.now()}`;
    const body = JSON.stringify({ command: name, params: '', token });
    return new Promise((resolve, reject) => {
      const socket = createConnection(this.ctrlPort, '127.0.0.1', () => socket.write(`${Buffer.byteLength(body)}:${body},`));
      let data = '';
      const timer = setTimeout(() => done(new Error(`baresip did not answer ${name}`)), 3000);
      const done = (error: Error | null, answer = '') => {
        clearTimeout(timer);
        socket.destroy();
        if (error) reject(error);
        else resolve(answer);
      };
      socket.on('error', (e) => done(e));
      socket.on('data', (d) => {
        data += d;
        // Netstrings `<length>:<json>,`; events come on the same socket, the response carries our token.
        for (let colon = data.indexOf(':'); colon > 0; colon = data.indexOf(':')) {
          const length = Number(data.slice(0, colon));
          if (data.length < colon + 1 + length + 1) return;
          const message = JSON.parse(data.slice(colon + 1, colon + 1 + length)) as { response?: boolean; ok?: boolean; data?: string; token?: string };
          data = data.slice(colon + 1 + length + 1);
          if (message.response && message.token === token) done(message.ok ? null : new Error(`baresip refused ${name}: ${message.data}`), message.data);
        }
      });
    });
  }

  /** Everything the phone received so far, decoded, in 20 ms frames (sndfile's `-dec.wav` of the call). */
  receivedFrames(): Int16Array[] {
    const file = readdirSync(this.dir).find((f) => f.endsWith('-dec.wav'));
    if (!file) return [];
    const samples = wavSamples(join(this.dir, file));
    const frames: Int16Array[] = [];
    for (let i = 0; i + MEDIA_FRAME_SAMPLES <= samples.length; i += MEDIA_FRAME_SAMPLES) frames.push(samples.slice(i, i + MEDIA_FRAME_SAMPLES));
    return frames;
  }

  /** Quits (baresip unregisters on the way out); killed if it does not within 3 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** A TCP port free now (baresip's SIP listener and its ctrl_tcp). */
function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
