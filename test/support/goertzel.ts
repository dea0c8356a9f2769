import { MEDIA_FRAME_SAMPLES, MEDIA_SAMPLE_RATE } from '@earshot/shared';

/** The test tones, one per track (the "Must show"). */
export const TONES = { customer: 440, agent: 660, supervisor: 880 } as const;
export type ToneName = keyof typeof TONES;

/** A tone of this amplitude is what each track's sender puts in; a tone present in a frame reads close to it. */
export const TONE_AMPLITUDE = 6000;
/** Present: above a sixth of a tone's amplitude. The window keeps the other two tones' leakage under 1 %. */
const PRESENT_ABOVE = TONE_AMPLITUDE / 6;

/**
 * The amplitude of `hz` in `samples` by the Goertzel algorithm over a Hann window: a pure tone of amplitude A
 * reads about A, silence reads 0, and a tone 220 Hz away (4.4 bins of a 20 ms frame) reads under 1 % of its own.
 */
export function toneAmplitude(samples: ArrayLike<number>, hz: number, sampleRate = MEDIA_SAMPLE_RATE): number {
  const n = samples.length;
  const coefficient = 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  let windowSum = 0;
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
    windowSum += w;
    const s0 = samples[i]! * w + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / windowSum;
}

/** Which of the three tones `samples` holds, in the order customer, agent, supervisor. */
export function tonesIn(samples: ArrayLike<number>): ToneName[] {
  return (Object.keys(TONES) as ToneName[]).filter((name) => toneAmplitude(samples, TONES[name]) > PRESENT_ABOVE);
}

/** Tones present in at least a fifth of the whole 20 ms frames of `frames` (what a listener heard over a while). */
export function tonesHeard(frames: readonly Int16Array[]): ToneName[] {
  const whole = frames.filter((f) => f.length === MEDIA_FRAME_SAMPLES);
  const counts = new Map<ToneName, number>();
  for (const f of whole) for (const t of tonesIn(f)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts]
    .filter(([, n]) => n >= whole.length / 5)
    .map(([t]) => t)
    .sort();
}

/** Frame `index` of a continuous tone (the phase runs on across frames, as a real sender's would). */
export function toneFrame(hz: number, index: number, amplitude = TONE_AMPLITUDE): Int16Array {
  return Int16Array.from({ length: MEDIA_FRAME_SAMPLES }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * hz * (index * MEDIA_FRAME_SAMPLES + i)) / MEDIA_SAMPLE_RATE)),
  );
}
