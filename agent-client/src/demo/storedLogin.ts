import { LoginResponseSchema, type LoginResponse } from '@earshot/shared';

const KEY = 'earshot.agent.login';

/** The login survives a reload of the tab (sessionStorage), not the closing of it. */
export function loadLogin(now = Date.now()): LoginResponse | null {
  const raw = sessionStorage.getItem(KEY);
  if (raw === null) return null;
  let stored: unknown;
  try {
    stored = JSON.parse(raw);
  } catch {
    stored = null;
  }
  const parsed = LoginResponseSchema.safeParse(stored);
  if (!parsed.success || parsed.data.expiresAt <= now) {
    sessionStorage.removeItem(KEY);
    return null;
  }
  return parsed.data;
}

export function saveLogin(login: LoginResponse): void {
  sessionStorage.setItem(KEY, JSON.stringify(login));
}

export function forgetLogin(): void {
  sessionStorage.removeItem(KEY);
}
