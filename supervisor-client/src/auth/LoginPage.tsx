import { useState, type FormEvent } from 'react';
import type { LoginResponse } from '@earshot/shared';
import { ErrorNote } from '../ui/ErrorNote';
import { logIn } from './loginApi';

export function LoginPage({ notice, onLoggedIn }: { notice: string | null; onLoggedIn: (login: LoginResponse) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const ack = await logIn(username, password);
      if (ack.ok) onLoggedIn(ack.data);
      else setError(ack.error.message);
    } catch {
      setError('The server cannot be reached');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="brand brand-large" aria-hidden="true">
          <span className="brand-mark" />
          Earshot
        </div>
        <h1 id="login-title">Sign in to supervise</h1>
        {notice && (
          <p className="login-notice" role="status">
            {notice}
          </p>
        )}
        <label>
          Username
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <ErrorNote message={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
