import { levelText, meterFraction } from '@earshot/media-client';

/** A sound level on a 60 dB bar; the exact RMS is the meter's value, for assistive technology and tests. */
export function LevelBar({ label, level, dimmed = false }: { label: string; level: number; dimmed?: boolean }) {
  return (
    <span
      className={`level-bar${dimmed ? ' level-dimmed' : ''}`}
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={1}
      aria-valuenow={Number(levelText(level))}
      title={label}
    >
      <span className="level-fill" style={{ width: `${Math.round(meterFraction(level) * 100)}%` }} />
    </span>
  );
}
