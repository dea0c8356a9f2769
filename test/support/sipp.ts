import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeAudio } from '../../server/src/telephony/asterisk/g711.js';
import { toneFrame } from './goertzel.js';

/** Debian's sip-tester (SIPp) on this machine, or null. */
export function sippPath(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v sipp'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** A UDP port nobody holds right now (SIPp takes ports by number). */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const uas = (rtpPort: number) => `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="answer with Earshot's RTP address">
  <recv request="INVITE" />
  <send><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]uas[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=- 1 1 IN IP4 127.0.0.1
      s=-
      c=IN IP4 127.0.0.1
      t=0 0
      m=audio ${rtpPort} RTP/AVP 0
      a=rtpmap:0 PCMU/8000
    ]]></send>
  <recv request="ACK" />
  <recv request="BYE" />
  <send><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]></send>
</scenario>
`;

const uac = (file: string, playMs: number) => `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="play a mu-law tone as RTP">
  <send><![CDATA[
      INVITE sip:tone@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:peer@[local_ip]:[local_port]>;tag=[pid]uac[call_number]
      To: <sip:tone@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:peer@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=- 1 1 IN IP4 [local_ip]
      s=-
      c=IN IP4 [media_ip]
      t=0 0
      m=audio [auto_media_port] RTP/AVP 0
      a=rtpmap:0 PCMU/8000
    ]]></send>
  <recv response="200" />
  <send><![CDATA[
      ACK sip:tone@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:peer@[local_ip]:[local_port]>;tag=[pid]uac[call_number]
      To: <sip:tone@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
  <nop><action><exec rtp_stream="${file},-1,0" /></action></nop>
  <pause milliseconds="${playMs}" />
  <send><![CDATA[
      BYE sip:tone@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:peer@[local_ip]:[local_port]>;tag=[pid]uac[call_number]
      To: <sip:tone@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
  <recv response="200" />
</scenario>
`;

/**
 * SIPp sends a μ-law tone as RTP to `rtpPort`: one SIPp answers a call with an SDP that names that port,
 * another calls it and streams the tone file (`rtp_stream`) to the address the answer gave, for `playMs`.
 * Resolves with SIPp's exit code once the call is over.
 */
export async function sippTone(sipp: string, hz: number, rtpPort: number, playMs: number): Promise<{ code: number | null; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-sipp-'));
  const frames = Math.ceil(playMs / 20) + 50;
  const samples = new Int16Array(frames * 160);
  for (let i = 0; i < frames; i++) samples.set(toneFrame(hz, i), i * 160);
  writeFileSync(join(dir, 'tone.ulaw'), encodeAudio('ulaw', samples));
  writeFileSync(join(dir, 'uas.xml'), uas(rtpPort));
  writeFileSync(join(dir, 'uac.xml'), uac('tone.ulaw', playMs));
  const [uasPort, uacPort, mediaPort] = [await freeUdpPort(), await freeUdpPort(), await freeUdpPort()];
  const run = (args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; output: string }> } => {
    const child = spawn(sipp, [...args, '-i', '127.0.0.1', '-m', '1', '-nostdin', '-timeout', '20s', '-timeout_error'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    return { child, done: new Promise((resolve) => child.on('close', (code) => resolve({ code, output: output.slice(-2000) }))) };
  };
  const answering = run(['-sf', 'uas.xml', '-p', String(uasPort)]);
  try {
    await new Promise((r) => setTimeout(r, 300));
    const calling = run(['-sf', 'uac.xml', '-p', String(uacPort), '-mp', String(mediaPort), `127.0.0.1:${uasPort}`]);
    const result = await calling.done;
    await answering.done;
    return result;
  } finally {
    answering.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

const callWithMedia = (target: string, mediaPort: number, holdMs: number) => `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="a call whose media goes to a given port">
  <send><![CDATA[
      INVITE sip:peer@${target} SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:caller@[local_ip]:[local_port]>;tag=[pid]c[call_number]
      To: <sip:peer@${target}>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:caller@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=- 1 1 IN IP4 127.0.0.1
      s=-
      c=IN IP4 127.0.0.1
      t=0 0
      m=audio ${mediaPort} RTP/AVP 0
      a=rtpmap:0 PCMU/8000
    ]]></send>
  <recv response="100" optional="true" />
  <recv response="180" optional="true" />
  <recv response="200" />
  <send><![CDATA[
      ACK sip:peer@${target} SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:caller@[local_ip]:[local_port]>;tag=[pid]c[call_number]
      To: <sip:peer@${target}>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
  <pause milliseconds="${holdMs}" />
  <send><![CDATA[
      BYE sip:peer@${target} SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:caller@[local_ip]:[local_port]>;tag=[pid]c[call_number]
      To: <sip:peer@${target}>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
  <recv response="200" />
</scenario>
`;

/**
 * SIPp sets up a call to a SIP user agent on `sipPort` (baresip) whose SDP names `mediaPort` as the caller's
 * RTP address, holds it `holdMs`, and hangs up: the agent's RTP flows to `mediaPort` meanwhile.
 */
export async function sippCallWithMedia(sipp: string, sipPort: number, mediaPort: number, holdMs: number): Promise<{ code: number | null; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-sipp-'));
  writeFileSync(join(dir, 'call.xml'), callWithMedia(`127.0.0.1:${sipPort}`, mediaPort, holdMs));
  const child = spawn(
    sipp,
    [
      '-sf',
      'call.xml',
      '-i',
      '127.0.0.1',
      '-p',
      String(await freeUdpPort()),
      '-m',
      '1',
      '-nostdin',
      '-timeout',
      '20s',
      '-timeout_error',
      `127.0.0.1:${sipPort}`,
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  try {
    return await new Promise((resolve) => child.on('close', (code) => resolve({ code, output: output.slice(-2000) })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
