/**
 * A React softphone that embeds the Earshot plugin: its own sign-in and call buttons, and Earshot's notice,
 * recording indicator and help button beside them. Bundled as it is by Vite and by esbuild in
 * test/e2e/pluginBundling.test.ts. The Earshot server is this page's origin, or `?earshot=<url>`.
 */
import { createAgentClient, login, type AgentClient } from '@earshot/agent-client';
import { BrowserCallAudio } from '@earshot/agent-client/audio';
import { HelpButton, MonitoringNotice, RecordingIndicator, useAgentState } from '@earshot/agent-client/react';
import '@earshot/agent-client/plugin.css';
import { useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';

const EARSHOT_URL = new URLSearchParams(location.search).get('earshot') ?? location.origin;

/** The softphone's own controls, driven through the same client. */
function Softphone({ client }: { client: AgentClient }) {
  const { phone } = useAgentState(client);
  return (
    <section aria-label="Softphone">
      <p>
        Phone: <output>{phone?.state ?? 'connecting'}</output>
      </p>
      {phone?.state !== 'ringing' && !phone?.call && (
        <button type="button" onClick={() => void client.setStatus('available')}>
          Go available
        </button>
      )}
      {phone?.state === 'ringing' && (
        <button type="button" onClick={() => void client.answer()}>
          Answer
        </button>
      )}
      {phone?.call && phone.state !== 'ringing' && (
        <button type="button" onClick={() => void client.hangUp()}>
          Hang up
        </button>
      )}
    </section>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (client: AgentClient) => void }) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    try {
      const { token } = await login({ url: EARSHOT_URL, username: String(form.get('username')), password: String(form.get('password')) });
      // The call's audio: the microphone to the customer, the customer (and a coach) to the speaker.
      onSignedIn(createAgentClient({ url: EARSHOT_URL, token, audio: new BrowserCallAudio() }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <label>
        Username <input name="username" autoComplete="username" />
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="current-password" />
      </label>
      <button type="submit">Sign in</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

function App() {
  const [client, setClient] = useState<AgentClient | null>(null);
  if (!client) return <SignIn onSignedIn={setClient} />;
  return (
    <main style={{ display: 'grid', gridTemplateColumns: '1fr 22rem', gap: '1rem' }}>
      <Softphone client={client} />
      <aside aria-label="Earshot">
        <MonitoringNotice client={client} />
        <RecordingIndicator client={client} />
        <HelpButton client={client} />
      </aside>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
