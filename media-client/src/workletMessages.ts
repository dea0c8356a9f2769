import type { PlayoutOptions, PlayoutStats } from './playoutMixer.js';

/** The processors `mediaWorklet.ts` registers, and what travels on their ports. */
export const PLAYOUT_PROCESSOR = 'earshot-playout';
export const CAPTURE_PROCESSOR = 'earshot-capture';

export interface PlayoutProcessorOptions extends PlayoutOptions {
  /** Render quanta (128 samples: 16 ms at 8 kHz) between two stats reports. */
  statsEveryQuanta: number;
}

export type ToPlayout = { type: 'frame'; track: string; seq: number; samples: Float32Array } | { type: 'volume'; volume: number };

export type FromPlayout = { type: 'stats'; stats: PlayoutStats };

export type FromCapture = { type: 'block'; samples: Float32Array };
