import { useCallback, useState } from 'react';

/** A yes/no choice kept in this browser under `key` (per user: the key names them), read once and written on change. */
export function useStoredFlag(key: string): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => {
    try {
      return window.localStorage.getItem(key) === 'on';
    } catch {
      return false;
    }
  });
  const set = useCallback(
    (next: boolean) => {
      setOn(next);
      try {
        window.localStorage.setItem(key, next ? 'on' : 'off');
      } catch {
        // Private browsing without storage: the choice lasts for this page only.
      }
    },
    [key],
  );
  return [on, set];
}
