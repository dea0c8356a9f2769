import { MEDIA_FRAME_SAMPLES, MEDIA_SAMPLE_RATE } from '@earshot/shared';

/** Two seconds of a voice, looped: every modulation below has whole periods in it, so the loop has no seam. */
const TABLE_SAMPLES = 2 * MEDIA_SAMPLE_RATE;
/** The telephone band's top. */
const BAND_TOP_HZ = 3400;

interface Voice {
  /** Whole multiples of 0.5 Hz, so that the voice loops without a seam. */
  pitchHz: number;
  formantsHz: readonly [number, number];
  syllablesPerSecond: number;
  peak: number;
}

/** A higher, brighter caller and a lower, darker agent: told apart at once by ear and by spectrum. */
const CUSTOMER_VOICE: Voice = { pitchHz: 210, formantsHz: [800, 1250], syllablesPerSecond: 4.5, peak: 9000 };
const AGENT_VOICE: Voice = { pitchHz: 120, formantsHz: [500, 1500], syllablesPerSecond: 3.5, peak: 9000 };

/** A vowel-like buzz with a gliding pitch and syllable beats: harmonics of the pitch, shaped by two formants. */
function synthesize(voice: Voice): Int16Array {
  const raw = new Float64Array(TABLE_SAMPLES);
  const harmonics = Math.floor(BAND_TOP_HZ / voice.pitchHz);
  // Each harmonic's loudness: near a formant it rings, elsewhere it fades with its order.
  const weights = Array.from({ length: harmonics + 1 }, (_, h) =>
    h === 0 ? 0 : voice.formantsHz.reduce((w, f) => w + Math.exp(-(((h * voice.pitchHz - f) / 180) ** 2)), 0.08) / h,
  );
  let phase = 0;
  let max = 0;
  for (let n = 0; n < TABLE_SAMPLES; n++) {
    const t = n / MEDIA_SAMPLE_RATE;
    // Intonation: ±8 % at 0.5 Hz and ±3 % at 1.5 Hz, both whole periods in the table.
    const pitch = voice.pitchHz * (1 + 0.08 * Math.sin(Math.PI * t) + 0.03 * Math.sin(3 * Math.PI * t));
    phase += (2 * Math.PI * pitch) / MEDIA_SAMPLE_RATE;
    let s = 0;
    for (let h = 1; h <= harmonics; h++) s += weights[h]! * Math.sin(h * phase);
    const syllable = 0.5 - 0.5 * Math.cos(2 * Math.PI * voice.syllablesPerSecond * t);
    raw[n] = s * syllable;
    max = Math.max(max, Math.abs(raw[n]!));
  }
  return Int16Array.from(raw, (v) => Math.round((v / max) * voice.peak));
}

/** 32-bit FNV-1a: a call's own, stable turn-taking from its id. */
function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** One exchange lasts this long: the customer speaks, a pause, the agent answers, a pause. */
const EXCHANGE_SAMPLES = 8 * MEDIA_SAMPLE_RATE;
const PAUSE_SAMPLES = 0.4 * MEDIA_SAMPLE_RATE;
/** Fades at the edges of a turn, so a turn starts and ends without a click. */
const FADE_SAMPLES = 0.04 * MEDIA_SAMPLE_RATE;

/**
 * The voices of the simulator's calls: what its customers say, what its simulated agents say, and where
 * what the customer hears goes. Tests put tones here.
 */
export interface SimulatedAudio {
  /** 160 samples of the customer speaking, frame `index` of the call's audio (from 0 when it is first wanted). */
  customerFrame(callId: string, index: number): Int16Array;
  /** 160 samples of the simulated agent on the call; null when the agent's voice comes from their desktop agent. */
  agentFrame(callId: string, index: number): Int16Array | null;
  /** One frame that reaches the customer: a desktop agent's voice, or a barging or taking-over supervisor's. */
  toCustomer(callId: string, track: 'agent' | 'supervisor', frame: Int16Array): void;
}

/**
 * The simulator's call audio (docs/architecture.md "Media plane": "The simulator produces the customer and
 * simulated agents' audio"): the customer and the simulated agent take turns in distinct voices. A real
 * agent's voice comes from their plugin; what the customer hears goes nowhere, as no one is on that end.
 */
export class SimulatedCallAudio implements SimulatedAudio {
  private static voices: { customer: Int16Array; agent: Int16Array } | null = null;
  private readonly customerVoice: Int16Array;
  private readonly agentVoice: Int16Array;

  constructor() {
    // Synthesized once per process: the tables never change.
    SimulatedCallAudio.voices ??= { customer: synthesize(CUSTOMER_VOICE), agent: synthesize(AGENT_VOICE) };
    this.customerVoice = SimulatedCallAudio.voices.customer;
    this.agentVoice = SimulatedCallAudio.voices.agent;
  }

  customerFrame(callId: string, index: number): Int16Array {
    return this.speak(this.customerVoice, callId, index, 'customer');
  }

  agentFrame(callId: string, index: number): Int16Array {
    return this.speak(this.agentVoice, callId, index, 'agent');
  }

  toCustomer(): void {}

  private speak(voice: Int16Array, callId: string, index: number, who: 'customer' | 'agent'): Int16Array {
    const hash = hashOf(callId);
    // The customer's share of each exchange, 35 % to 65 %, differs from call to call.
    const customerTurn = Math.round(EXCHANGE_SAMPLES * (0.35 + 0.3 * ((hash & 0xffff) / 0xffff)));
    const [from, to] = who === 'customer' ? [0, customerTurn - PAUSE_SAMPLES] : [customerTurn, EXCHANGE_SAMPLES - PAUSE_SAMPLES];
    const offset = hash % TABLE_SAMPLES;
    const out = new Int16Array(MEDIA_FRAME_SAMPLES);
    for (let i = 0; i < MEDIA_FRAME_SAMPLES; i++) {
      const n = index * MEDIA_FRAME_SAMPLES + i;
      const inExchange = n % EXCHANGE_SAMPLES;
      if (inExchange < from || inExchange >= to) continue;
      const gain = Math.min(1, (inExchange - from) / FADE_SAMPLES, (to - inExchange) / FADE_SAMPLES);
      out[i] = Math.round(voice[(n + offset) % TABLE_SAMPLES]! * gain);
    }
    return out;
  }
}
