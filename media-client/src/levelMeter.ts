/**
 * The loudness of audio as it goes by: the RMS of every sample since the last reading, in [0, 1] for Web
 * Audio floats (a full-scale sine reads about 0.707, silence exactly 0). Pure arithmetic, so the playout
 * worklet, the microphone path and Node's tests share it.
 */
export class LevelMeter {
  private sumOfSquares = 0;
  private count = 0;

  add(samples: ArrayLike<number>): void {
    for (let i = 0; i < samples.length; i++) this.sumOfSquares += samples[i]! * samples[i]!;
    this.count += samples.length;
  }

  /** The RMS since the last call, and a new window; 0 when nothing went by. */
  take(): number {
    const rms = this.count === 0 ? 0 : Math.sqrt(this.sumOfSquares / this.count);
    this.sumOfSquares = 0;
    this.count = 0;
    return rms;
  }
}

/** Meters read in decibels: 60 dB of range below full scale, as a fraction of the bar. */
const METER_FLOOR_DB = -60;

/** An RMS level as the fraction of a level bar to light: -60 dBFS and below is empty, 0 dBFS is full. */
export function meterFraction(rms: number): number {
  if (!(rms > 0)) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db - METER_FLOOR_DB) / -METER_FLOOR_DB));
}

/** A level as the page shows it in data attributes and tests read it: 4 decimals, "0" for silence. */
export function levelText(rms: number): string {
  return String(Math.round(rms * 10_000) / 10_000);
}
