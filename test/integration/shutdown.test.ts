import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const MAIN = join(import.meta.dirname, '../../server/dist/main.js');
const STALLING = join(import.meta.dirname, '../support/stallingStopServer.ts');
const root = mkdtempSync(join(tmpdir(), 'earshot-stop-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  url: string;
  /** Everything it wrote so far, stdout and stderr apart. */
  out: { stdout: string; stderr: string };
  exited: Promise<number | null>;
  /** Resolves once stdout holds the text. */
  said(text: string): Promise<void>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

let runs = 0;
function start(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, args, {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      DATA_DIR: join(root, `data-${++runs}`),
      SIM_ENABLED: 'off',
      LOG_LEVEL: 'silent',
      PASSWORD_HASH_COST: '1024',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const out = { stdout: '', stderr: '' };
  const waiting: { text: string; resolve: () => void }[] = [];
  child.stdout!.on('data', (b: Buffer) => {
    out.stdout += b.toString();
    for (const w of waiting.filter((w) => out.stdout.includes(w.text))) w.resolve();
  });
  child.stderr!.on('data', (b: Buffer) => (out.stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const said = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.stdout.includes(text)) return resolve();
      waiting.push({ text, resolve });
      void exited.then((code) => reject(new Error(`exited ${code} before saying "${text}": ${out.stdout}${out.stderr}`)));
    });
  return said('Earshot is running at ').then(() => ({ child, url: /running at (http:\/\/\S+)/.exec(out.stdout)![1]!, out, exited, said }));
}

async function ready(url: string) {
  const res = await fetch(`${url}/api/ready`);
  return { status: res.status, body: await res.text() };
}

const NOT_READY = { status: 503, body: JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: 'Not ready: shutting down' } }) };

describe('stopping the server', () => {
  it('SIGTERM stops it cleanly: exit 0, saying so', { timeout: 60_000 }, async () => {
    const s = await start([MAIN]);
    expect(await ready(s.url)).toEqual({ status: 200, body: JSON.stringify({ ok: true, data: { status: 'ready' } }) });
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.out.stdout).toContain('SIGTERM: stopping (at most 10 s, SHUTDOWN_TIMEOUT_SECONDS; a second signal exits at once)\nstopped\n');
    expect(s.out.stderr).toBe('');
  });

  it('a stop that outlasts SHUTDOWN_TIMEOUT_SECONDS exits anyway (1); unready from its first moment', { timeout: 60_000 }, async () => {
    const s = await start(['--import', 'tsx', STALLING], { SHUTDOWN_TIMEOUT_SECONDS: '1' });
    s.child.kill('SIGTERM');
    await s.said('SIGTERM: stopping (at most 1 s');
    expect(await ready(s.url)).toEqual(NOT_READY);
    expect(await s.exited).toBe(1);
    expect(s.out.stdout).not.toContain('stopped\n');
    expect(s.out.stderr).toBe('the stop took longer than 1 s (SHUTDOWN_TIMEOUT_SECONDS): exiting anyway\n');
  });

  it('a second signal during the stop exits at once (130)', { timeout: 60_000 }, async () => {
    const s = await start(['--import', 'tsx', STALLING], { SHUTDOWN_TIMEOUT_SECONDS: '3600' });
    s.child.kill('SIGTERM');
    await s.said('SIGTERM: stopping (at most 3600 s');
    expect(await ready(s.url)).toEqual(NOT_READY);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(130);
    expect(s.out.stderr).toBe('SIGINT during the stop: exiting now, without finishing it\n');
  });
});
