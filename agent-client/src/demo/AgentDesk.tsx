import { MONITORING_HISTORY_DAYS, type LoginResponse } from '@earshot/shared';
import { useEffect, useState } from 'react';
import { BrowserCallAudio } from '../audio/browserCallAudio.js';
import { createAgentClient, type AgentClient } from '../sdk/agentClient.js';
import { offersMonitoringHistory } from '../sdk/agentState.js';
import { logout } from '../sdk/login.js';
import { HelpButton } from '../react/HelpButton.js';
import { MonitoringHistoryButton } from '../react/MonitoringHistoryButton.js';
import { MonitoringNotice } from '../react/MonitoringNotice.js';
import { useAgentState } from '../react/useAgentState.js';
import { BrandMark } from './BrandMark.js';
import { CallPanel } from './CallPanel.js';
import { ConnectionBadge } from './ConnectionBadge.js';
import { DesktopAlerts } from './DesktopAlerts.js';
import { StatusSelector } from './StatusSelector.js';

/** Why the desk closed: the agent signed out, or the server ended or refused the login. */
export interface SignOutReason {
  kind: 'info' | 'refused';
  text: string;
}

export interface AgentDeskProps {
  login: LoginResponse;
  onSignedOut(why: SignOutReason): void;
}

/** One client per login, with the call's audio in the browser, closed when the desk goes away. */
export function AgentDesk({ login, onSignedOut }: AgentDeskProps) {
  const [desk, setDesk] = useState<{ client: AgentClient; audio: BrowserCallAudio } | null>(null);
  useEffect(() => {
    const audio = new BrowserCallAudio();
    const client = createAgentClient({ url: window.location.origin, token: login.token, audio });
    setDesk({ client, audio });
    return () => client.close();
  }, [login.token]);
  if (!desk) return null;
  return <Desk client={desk.client} audio={desk.audio} login={login} onSignedOut={onSignedOut} />;
}

function Desk({ client, audio, login, onSignedOut }: AgentDeskProps & { client: AgentClient; audio: BrowserCallAudio }) {
  const state = useAgentState(client);
  const [signingOut, setSigningOut] = useState(false);
  const phone = state.phone;
  const onCall = phone !== null && (phone.state === 'ringing' || phone.state === 'talking' || phone.state === 'held');

  // The server ended the login or refused the desktop agent (no Handle Calls): back to the login form, saying why.
  useEffect(() => {
    if (state.connection !== 'closed' || !state.error) return;
    // A refused user's login is still valid: end it rather than leave it behind.
    if (state.error.code !== 'UNAUTHENTICATED') void logout({ url: window.location.origin, token: login.token }).catch(() => {});
    onSignedOut({ kind: 'refused', text: state.error.message });
  }, [state.connection, state.error, onSignedOut, login.token]);

  const signOut = async () => {
    setSigningOut(true);
    try {
      // Logged out of the phone first, so that the floor shows it at once rather than after the grace.
      if (phone && phone.state !== 'loggedOut') await client.setStatus('loggedOut');
      await logout({ url: window.location.origin, token: login.token });
    } catch {
      // Signing out goes on: the token is forgotten here, and the server ends an idle login by itself.
    }
    client.close();
    onSignedOut({ kind: 'info', text: 'You signed out.' });
  };

  return (
    <div className="desk">
      <header className="topbar">
        <BrandMark compact heading />
        <div className="topbar__middle">
          <ConnectionBadge connection={state.connection} />
        </div>
        <div className="topbar__right">
          {phone && <StatusSelector client={client} phone={phone} />}
          <div className="user-chip" title={`${login.me.displayName} (${state.rights?.profileName ?? login.me.rights.profileName})`}>
            <span className="user-chip__avatar" aria-hidden="true">
              {initials(login.me.displayName)}
            </span>
            <span className="user-chip__text">
              <span className="user-chip__name">{login.me.displayName}</span>
              <span className="user-chip__profile">{state.rights?.profileName ?? login.me.rights.profileName}</span>
            </span>
          </div>
          <button
            type="button"
            className="earshot-button earshot-button--quiet"
            onClick={() => void signOut()}
            disabled={signingOut || onCall}
            title={onCall ? 'End the call before signing out' : undefined}
          >
            Sign out
          </button>
        </div>
      </header>

      {state.connection === 'reconnecting' && (
        <div className="banner banner--warning" role="status">
          Connection lost, reconnecting… Your call goes on; the screen catches up as soon as the connection is back.
        </div>
      )}

      <main className="desk__main">
        <div className="desk__primary">
          <MonitoringNotice client={client} />
          {phone ? <CallPanel client={client} phone={phone} audio={audio} /> : <div className="card card--loading">Connecting to Earshot…</div>}
        </div>
        <aside className="desk__side" aria-label="Help and settings">
          <section className="card">
            <h2 className="card__title">Need a hand?</h2>
            <p className="card__text">Your supervisor sees your request on the live board and can join your call.</p>
            <HelpButton client={client} />
          </section>
          {offersMonitoringHistory(state) && (
            <section className="card">
              <h2 className="card__title">Supervision of your calls</h2>
              <p className="card__text">See who listened to, coached or joined your calls in the last {MONITORING_HISTORY_DAYS} days.</p>
              <MonitoringHistoryButton client={client} />
            </section>
          )}
          <DesktopAlerts />
        </aside>
      </main>
    </div>
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');
}
