/**
 * The telephony side of a call's audio: the customer's leg, and the voice of an agent the telephony
 * itself plays (a simulated agent). The simulator implements it (`SimulatedCallAudio`); tests inject tones;
 * a carrier adapter (Twilio Media Streams) would later feed the customer's frames as they arrive.
 *
 * The customer's leg is the call's media clock: the media plane asks for frame `index` (20 ms each, from 0
 * when the call's audio is first wanted) every 20 ms, and lays the recording out on it.
 */
export interface TelephonyAudio {
  /** 160 samples of the customer speaking, frame `index` of the call. */
  customerFrame(callId: string, index: number): Int16Array;
  /** 160 samples of a simulated agent; null for an agent whose plugin streams the microphone. */
  agentFrame(callId: string, agentId: number, index: number): Int16Array | null;
  /** One frame routed to the customer (the agent's, or a barging or taking-over supervisor's); the carrier side mixes. */
  toCustomer(callId: string, frame: Uint8Array): void;
}
