import { useState } from 'react';
import { askForNotifications, canAskForNotifications } from '../react/osNotification.js';

/** Lets the agent allow OS notifications, so that supervision notices reach them while this tab is hidden. */
export function DesktopAlerts() {
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>(() =>
    typeof Notification === 'undefined' ? 'unsupported' : Notification.permission,
  );
  if (permission === 'unsupported') return null;
  return (
    <section className="card">
      <h2 className="card__title">Desktop alerts</h2>
      {permission === 'granted' && (
        <p className="card__text">On: while this tab is in the background, supervision notices also appear as system notifications.</p>
      )}
      {permission === 'denied' && (
        <p className="card__text">Blocked in this browser. Allow notifications for this site to be alerted while the tab is in the background.</p>
      )}
      {permission === 'default' && (
        <>
          <p className="card__text">Get a system notification when a supervisor joins your call while this tab is in the background.</p>
          <button type="button" className="earshot-button" disabled={!canAskForNotifications()} onClick={() => void askForNotifications().then(setPermission)}>
            Turn on desktop alerts
          </button>
        </>
      )}
    </section>
  );
}
