import { useEffect, useState } from 'react';

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
  // A new offset comes with a message received now: read the clock again, or a wait shown since before it lags.
  useEffect(() => setClientNow(Date.now()), [clockOffset]);
  return clientNow + clockOffset;
}
