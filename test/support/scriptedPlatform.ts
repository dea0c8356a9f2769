import type { PlatformCapabilities, SupervisionMode } from '@earshot/shared';
import type { AgentControlRequest, PlatformHost, SupervisorLegRequest, TelephonyPlatform } from '../../server/src/telephony/platform.js';

export const EVERY_CAPABILITY: PlatformCapabilities = {
  name: 'scripted',
  modes: ['monitor', 'coach', 'barge', 'takeOver'],
  recording: true,
  agentControls: ['answer', 'hold', 'unhold', 'hangUp'],
};

/**
 * A telephony platform scripted by the test, in place of the simulator: the test reports events through
 * `host`, reads the commands Earshot gave (`take()`), and makes the next command of a name fail.
 */
export class ScriptedPlatform implements TelephonyPlatform {
  readonly name = 'scripted';
  host!: PlatformHost;
  /** Every command, in order; a test may add its own lines (a notice sent) to see what came first. */
  readonly commands: string[] = [];
  /** The next command of this name rejects. */
  failNext: string | null = null;

  constructor(public capabilities: PlatformCapabilities = EVERY_CAPABILITY) {}

  async start(host: PlatformHost) {
    this.host = host;
  }
  async stop() {}
  private async command(name: string, detail: string) {
    this.commands.push(`${name} ${detail}`);
    if (this.failNext === name) {
      this.failNext = null;
      throw new Error(`${name} failed on the PBX (connection refused to 10.0.0.5)`);
    }
  }
  openSupervisorLeg(leg: SupervisorLegRequest) {
    return this.command('openSupervisorLeg', `${leg.callId} ${leg.endpoint} ${leg.mode}`);
  }
  changeLegMode(_sessionId: string, mode: SupervisionMode) {
    return this.command('changeLegMode', mode);
  }
  closeSupervisorLeg() {
    return this.command('closeSupervisorLeg', '');
  }
  takeOver() {
    return this.command('takeOver', '');
  }
  endCall(callId: string) {
    return this.command('endCall', callId);
  }
  agentControl(r: AgentControlRequest) {
    return this.command('agentControl', `${r.callId} ${r.endpoint} ${r.control}`);
  }
  streamAudio() {}
  supervisorAudio() {}
  agentAudio() {}
  take(): string[] {
    return this.commands.splice(0).map((c) => c.trim());
  }
}
