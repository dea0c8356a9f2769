/**
 * The login token survives a reload of this tab (sessionStorage), not the closing of the browser: a
 * supervisor's token opens live calls, so it is not kept on disk for the next person at the desk.
 */
const KEY = 'earshot.supervisor.token';

export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function storeToken(token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, token);
  } catch {
    // Storage may be off (private mode): the login lasts until the page is closed.
  }
}
