import { useEffect, useMemo, useState } from 'react';

/**
 * Server time, ticking once a second: times in state are differences of server timestamps, so the
 * client's clock is corrected by the offset measured on the last board message.
 */
export function useServerNow(clockOffset: number, tickMs = 1000): number {
  const [clientNow, setClientNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setClientNow(Date.now()), tickMs);
    return () => clearInterval(timer);
  }, [tickMs]);
  // A new offset comes with a message received now: the clock read before it would show a wait shorter than
  // the server's, so the render that brings the offset reads the clock again, before anything is painted.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new offset is the reason to read the clock again
  const offsetReadAt = useMemo(() => Date.now(), [clockOffset]);
  return Math.max(clientNow, offsetReadAt) + clockOffset;
}
