import type { SupervisionMode, SupervisionNotice } from '@earshot/shared';
import { useEffect, useRef, useState } from 'react';
import type { AgentClient } from '../sdk/agentClient.js';
import { MODE_ICONS } from './icons.js';
import { describeNotice, MODE_TEXT } from './noticeText.js';
import { notifyWhenHidden } from './osNotification.js';
import { formatClockTime, formatDuration } from './timeText.js';
import { useAgentState, useServerNow } from './useAgentState.js';

export interface MonitoringNoticeProps {
  client: Pick<AgentClient, 'getState' | 'subscribe' | 'on' | 'clock'>;
  /** Show an OS notification (Notifications API) while the page is hidden. Default true. */
  osNotifications?: boolean;
}

/** Modes in which the customer or the call itself is affected: announced assertively, at once. */
const URGENT: ReadonlySet<SupervisionMode> = new Set(['barge', 'takeOver']);

/**
 * docs/architecture.md "Notices": while a supervisor monitors, coaches, barges into or takes over the agent's
 * call, the agent sees who, in which mode, since when, one card per session, until the session ends. Each
 * start, change and end is announced to screen readers, and raised as an OS notification when the page
 * is hidden. Nothing shows for an agent whose profile lacks Live Monitoring Notifications: the server
 * sends such an agent no notice, and this component reads nothing else.
 */
export function MonitoringNotice({ client, osNotifications = true }: MonitoringNoticeProps) {
  const { supervisions } = useAgentState(client);
  const now = useServerNow(client);
  const [announcement, setAnnouncement] = useState({ polite: '', assertive: '' });
  const announced = useRef(new Set<string>());

  useEffect(() => {
    const announce = (notice: SupervisionNotice) => {
      const text = describeNotice(notice);
      setAnnouncement(URGENT.has(notice.mode) ? { polite: '', assertive: text } : { polite: text, assertive: '' });
      if (osNotifications) notifyWhenHidden(`${MODE_TEXT[notice.mode].label}: ${notice.supervisor.name}`, text, `earshot-${notice.sessionId}`);
    };
    const offNotice = client.on('supervision', (notice) => {
      if (notice.phase === 'ended') announced.current.delete(notice.sessionId);
      else announced.current.add(notice.sessionId);
      announce(notice);
    });
    // After a reconnection, the sessions that started while the agent was away are announced too.
    const offResync = client.on('resync', (resync) => {
      for (const notice of resync.supervisions) if (!announced.current.has(notice.sessionId)) announce(notice);
      announced.current = new Set(resync.supervisions.map((n) => n.sessionId));
    });
    return () => {
      offNotice();
      offResync();
    };
  }, [client, osNotifications]);

  return (
    <section className="earshot-notices" aria-label="Supervision of your call">
      <p className="earshot-visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement.polite}
      </p>
      <p className="earshot-visually-hidden" aria-live="assertive" aria-atomic="true">
        {announcement.assertive}
      </p>
      {supervisions.map((notice) => (
        <NoticeCard key={notice.sessionId} notice={notice} now={now} />
      ))}
    </section>
  );
}

function NoticeCard({ notice, now }: { notice: SupervisionNotice; now: number }) {
  const { label, doing, hint } = MODE_TEXT[notice.mode];
  const ModeIcon = MODE_ICONS[notice.mode];
  return (
    <article className={`earshot-notice earshot-notice--${notice.mode}`} data-mode={notice.mode} data-session-id={notice.sessionId}>
      <div className="earshot-notice__icon">
        <ModeIcon />
      </div>
      <div className="earshot-notice__body">
        <p className="earshot-notice__mode">{label}</p>
        <p className="earshot-notice__text">
          <strong>{notice.supervisor.name}</strong> {doing}
        </p>
        <p className="earshot-notice__hint">{hint}</p>
      </div>
      <p className="earshot-notice__since">
        <span>since {formatClockTime(notice.at)}</span>
        <span className="earshot-notice__elapsed">{formatDuration(now - notice.at)}</span>
      </p>
    </article>
  );
}
