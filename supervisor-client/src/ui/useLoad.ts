import type { Ack } from '@earshot/shared';
import { useCallback, useEffect, useRef, useState } from 'react';

/** Data a page reads from the server, loaded on mount and again on `reload` (after a change it made). */
export function useLoad<T>(load: () => Promise<Ack<T>>): { data: T | null; error: string | null; reload: () => Promise<void> } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(load);
  latest.current = load;
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    const ack = await latest.current();
    if (mine !== generation.current) return;
    if (ack.ok) {
      setData(ack.data);
      setError(null);
    } else {
      setError(ack.error.message);
    }
  }, []);

  useEffect(() => {
    void reload();
    return () => {
      generation.current += 1;
    };
  }, [reload]);

  return { data, error, reload };
}
