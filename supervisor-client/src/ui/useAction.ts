import type { Ack } from '@earshot/shared';
import { useCallback, useState } from 'react';

/**
 * One button's request: busy while it runs (so a double click sends once), and the server's refusal kept
 * with its message until the next try (issue 5: "a refusal from the server is shown with its message").
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<Ack<unknown>>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      const ack = await action();
      if (!ack.ok) setError(ack.error.message);
      return ack.ok;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, setError };
}
