/**
 * The media bench's telephony platform, inside the measured Earshot process: a PBX whose calls are the
 * bench's. It listens for the load generator's feed (one WebSocket on its own port, as a trunk carries
 * RTP), reports the bench calls as any platform reports them (the agent available, a recorded call offered
 * and answered, by endpoint), and pushes every frame of the feed through the boundary as it arrives
 * (`PlatformHost.audio`), the way the simulator pushes its calls' audio. The supervisors' voices it is
 * sent back (coach) are measured by their stamp.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AGENT_CONTROLS, SUPERVISION_MODES, type PlatformCapabilities, type SupervisionMode } from '@earshot/shared';
import { WebSocketServer, type RawData } from 'ws';
import type { PlatformHost, SupervisorLegRequest, TelephonyPlatform } from '../../server/src/telephony/platform.js';
import { FEED_PATH, feedFrames, samplesOf, type CounterTree, type FeedCall } from './mediaFeed.js';
import { TargetSide } from './mediaTargetSide.js';

export class FeedPlatform implements TelephonyPlatform {
  readonly name = 'bench-feed';
  readonly capabilities: PlatformCapabilities = { name: 'bench-feed', modes: [...SUPERVISION_MODES], recording: true, agentControls: [...AGENT_CONTROLS] };
  private host: PlatformHost | null = null;
  private readonly callIds: string[] = [];
  private readonly streamed = new Set<string>();
  private readonly legs = new Map<string, SupervisionMode>();
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  readonly side: TargetSide;
  framesPushed = 0;
  framesNotStreamed = 0;

  constructor(mediaCounters: () => CounterTree) {
    this.side = new TargetSide(
      (calls) => this.setUpCalls(calls),
      () => ({ ...mediaCounters(), framesPushed: this.framesPushed, framesNotStreamed: this.framesNotStreamed }),
    );
  }

  async start(host: PlatformHost): Promise<void> {
    this.host = host;
  }

  async stop(): Promise<void> {
    this.host = null;
    for (const ws of this.wss?.clients ?? []) ws.terminate();
    this.wss?.close();
    this.http?.close();
  }

  /** Opens the feed's port (on 127.0.0.1): resolves with it. */
  listen(): Promise<number> {
    this.http = createServer();
    this.wss = new WebSocketServer({ server: this.http, path: FEED_PATH, perMessageDeflate: false });
    this.wss.on('connection', (ws) => {
      ws.on('error', () => undefined);
      ws.on('message', (data: RawData, isBinary: boolean) => {
        if (!isBinary) return this.side.request(ws, data.toString());
        this.feed(data as Buffer);
      });
    });
    return new Promise((resolve) => this.http!.listen(0, '127.0.0.1', () => resolve((this.http!.address() as AddressInfo).port)));
  }

  /** The bench's calls, each on its agent's phone: available, offered (recorded from its first second), answered. */
  private setUpCalls(calls: FeedCall[]): { ready: number; errors: string[] } {
    const host = this.host!;
    let ready = 0;
    const errors: string[] = [];
    for (const c of calls) {
      this.callIds[c.index] = c.callId;
      host.agent({ type: 'status', endpoint: c.endpoint, status: 'available' });
      host.agent({
        type: 'offered',
        endpoint: c.endpoint,
        call: { callId: c.callId, queue: 'Bench', direction: 'inbound', remoteNumber: '+15550100000', recording: 'on' },
      });
      host.agent({ type: 'answered', endpoint: c.endpoint, callId: c.callId });
      const phone = host.agentAt(c.endpoint)?.phone;
      if (phone?.state === 'talking' && phone.call?.callId === c.callId) ready++;
      else if (errors.length < 5) errors.push(`${c.endpoint}: ${phone?.state ?? 'unknown endpoint'}`);
    }
    return { ready, errors };
  }

  /** One step of the trunk: each frame through the boundary, as it arrives, for the calls whose audio is wanted. */
  private feed(message: Uint8Array): void {
    const host = this.host;
    if (!host) return;
    const at = Date.now();
    for (const f of feedFrames(message)) {
      const callId = this.callIds[f.call];
      if (callId === undefined || !this.streamed.has(callId) || f.track === 'supervisor') {
        this.framesNotStreamed++;
        continue;
      }
      this.framesPushed++;
      host.audio(callId, f.track, samplesOf(f.samples), at);
    }
  }

  async openSupervisorLeg(leg: SupervisorLegRequest): Promise<void> {
    this.legs.set(leg.sessionId, leg.mode);
  }

  async changeLegMode(sessionId: string, mode: SupervisionMode): Promise<void> {
    if (this.legs.has(sessionId)) this.legs.set(sessionId, mode);
  }

  async closeSupervisorLeg(sessionId: string): Promise<void> {
    this.legs.delete(sessionId);
  }

  async takeOver(sessionId: string): Promise<void> {
    if (this.legs.has(sessionId)) this.legs.set(sessionId, 'takeOver');
  }

  async endCall(): Promise<void> {}

  async agentControl(): Promise<void> {}

  streamAudio(callId: string, on: boolean): void {
    if (on) this.streamed.add(callId);
    else this.streamed.delete(callId);
  }

  supervisorAudio(_sessionId: string, frame: Int16Array): void {
    this.side.supervisorFrame(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength));
  }

  agentAudio(): void {}
}
