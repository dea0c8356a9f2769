import { createContext, useContext } from 'react';
import type { LiveApp } from './liveSession';

export const LiveAppContext = createContext<LiveApp | null>(null);

export function useLiveApp(): LiveApp {
  const app = useContext(LiveAppContext);
  if (!app) throw new Error('useLiveApp outside a signed-in session');
  return app;
}
