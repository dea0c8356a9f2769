import type { ServiceLevel } from '@earshot/shared';

/** "83 %", or a dash when nobody stopped waiting in the period. */
export function percentText(level: ServiceLevel): string {
  return level.share === null ? '–' : `${Math.round(level.share * 100)} %`;
}

/** What the percentage is made of, for the screen reader and the tooltip. */
export function serviceLevelWords(level: ServiceLevel, thresholdSeconds: number): string {
  if (level.share === null) return 'no caller yet';
  return `${level.answeredWithinThreshold} of ${level.answered + level.abandoned} answered within ${thresholdSeconds} s (${level.abandoned} abandoned)`;
}
