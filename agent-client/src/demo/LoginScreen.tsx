import type { LoginResponse } from '@earshot/shared';
import { useState, type FormEvent } from 'react';
import { login } from '../sdk/login.js';
import type { SignOutReason } from './AgentDesk.js';
import { BrandMark } from './BrandMark.js';

export interface LoginScreenProps {
  /** Why the agent is here again (signed out, login ended, no right to the desktop agent). */
  notice: SignOutReason | null;
  onLoggedIn(login: LoginResponse): void;
}

export function LoginScreen({ notice, onLoggedIn }: LoginScreenProps) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLoggedIn(await login({ url: window.location.origin, username, password }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="login__card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <BrandMark />
        <h1 id="login-title" className="login__title">
          Sign in to take calls
        </h1>
        {notice?.kind === 'info' && (
          <p className="login__notice" role="status">
            {notice.text}
          </p>
        )}
        {notice?.kind === 'refused' && (
          <p className="login__error" role="alert">
            {notice.text}
          </p>
        )}
        <label className="field">
          <span className="field__label">Username</span>
          <input name="username" autoComplete="username" autoFocus required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label className="field">
          <span className="field__label">Password</span>
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p className="login__error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="earshot-button earshot-button--primary login__submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="login__hint">
          Demo floor: <code>agent.billing</code>, <code>agent.sales</code> or <code>agent.support</code>, password <code>earshot-demo</code>.
        </p>
      </form>
    </main>
  );
}
