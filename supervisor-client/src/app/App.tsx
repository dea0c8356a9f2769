import type { LoginResponse, Me } from '@earshot/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchMe, logOut } from '../auth/loginApi';
import { LoginPage } from '../auth/LoginPage';
import { storedToken, storeToken } from '../auth/storedLogin';
import { LiveAppContext } from '../live/liveAppContext';
import { LiveSession } from '../live/liveSession';
import { Shell } from './Shell';

type AppState = { kind: 'checking' } | { kind: 'signedOut'; notice: string | null } | { kind: 'signedIn'; session: LiveSession; token: string };

/** Signed out → login page; signed in → the shell over one live session (socket and stores). */
export function App() {
  const [state, setState] = useState<AppState>({ kind: 'checking' });
  const session = useRef<LiveSession | null>(null);

  const signOut = useCallback((notice: string | null) => {
    storeToken(null);
    session.current?.close();
    session.current = null;
    setState({ kind: 'signedOut', notice });
  }, []);

  const signIn = useCallback(
    (me: Me, token: string) => {
      storeToken(token);
      session.current?.close();
      session.current = new LiveSession(me, token, (message) => signOut(message));
      setState({ kind: 'signedIn', token, session: session.current });
    },
    [signOut],
  );

  // A reload keeps the login of this tab when its token is still good.
  useEffect(() => {
    const token = storedToken();
    if (!token) {
      setState({ kind: 'signedOut', notice: null });
      return;
    }
    let cancelled = false;
    fetchMe(token)
      .then((ack) => {
        if (cancelled) return;
        if (ack.ok) signIn(ack.data, token);
        else signOut(null);
      })
      .catch(() => {
        if (!cancelled) signOut('The server cannot be reached');
      });
    return () => {
      cancelled = true;
    };
  }, [signIn, signOut]);

  if (state.kind === 'checking') return <p className="app-loading">Loading…</p>;
  if (state.kind === 'signedOut') {
    return <LoginPage notice={state.notice} onLoggedIn={(login: LoginResponse) => signIn(login.me, login.token)} />;
  }
  return (
    <LiveAppContext.Provider value={state.session}>
      <Shell
        onLogOut={() => {
          // The socket closes first, so the server closing it on logout is not mistaken for a revoked login.
          signOut(null);
          void logOut(state.token);
        }}
      />
    </LiveAppContext.Provider>
  );
}
