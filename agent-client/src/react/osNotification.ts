/**
 * The Notifications API, for notices the agent would otherwise miss: only while the page is hidden (a
 * visible page shows the notice itself), only once the agent granted the permission.
 */
export function notifyWhenHidden(title: string, body: string, tag: string): void {
  if (typeof document === 'undefined' || document.visibilityState !== 'hidden') return;
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  // One tag per session: a mode change or the end replaces the session's earlier notification.
  new Notification(title, { body, tag });
}

/** True while the browser may still ask the agent (the permission is neither granted nor denied). */
export function canAskForNotifications(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'default';
}

/** Asks for the permission; browsers allow it only from a click. */
export async function askForNotifications(): Promise<NotificationPermission> {
  return Notification.requestPermission();
}
