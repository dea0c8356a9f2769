/**
 * The remote party's number as the floor shows it: the full number is personal data the board does not
 * need, so only a leading `+` with the first digit and the last (at most) 4 digits are kept, never more
 * than half the digits. One `•` per hidden digit, so the length still reads as a phone number.
 * `+15551234567` → `+1••••••4567`; `5550100` → `••••100`; `123` → `••3`.
 */
export function maskRemoteNumber(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  const plus = raw.trim().startsWith('+');
  const tail = Math.min(4, Math.floor(digits.length / 2));
  const head = plus && digits.length - tail > 2 ? 1 : 0;
  const hidden = digits.length - head - tail;
  return `${plus ? '+' : ''}${digits.slice(0, head)}${'•'.repeat(hidden)}${digits.slice(digits.length - tail)}`;
}
