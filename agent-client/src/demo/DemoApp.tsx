import type { LoginResponse } from '@earshot/shared';
import { useState } from 'react';
import { AgentDesk, type SignOutReason } from './AgentDesk.js';
import { LoginScreen } from './LoginScreen.js';
import { forgetLogin, loadLogin, saveLogin } from './storedLogin.js';

/** The demo desktop agent: the login form, then the agent's desk. */
export function DemoApp() {
  const [login, setLogin] = useState<LoginResponse | null>(() => loadLogin());
  const [farewell, setFarewell] = useState<SignOutReason | null>(null);

  if (!login) {
    return (
      <LoginScreen
        notice={farewell}
        onLoggedIn={(l) => {
          saveLogin(l);
          setFarewell(null);
          setLogin(l);
        }}
      />
    );
  }
  return (
    <AgentDesk
      login={login}
      onSignedOut={(why) => {
        forgetLogin();
        setFarewell(why);
        setLogin(null);
      }}
    />
  );
}
