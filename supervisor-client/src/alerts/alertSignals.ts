import { ALERT_KIND_LABEL, alertKey, type AlertSettings, type FloorAlert, type HelpRequestView } from '@earshot/shared';
import { useEffect, useRef } from 'react';
import { alertWords } from './alertText';
import type { FloorAlertsView } from './useFloorAlerts';

export type DesktopPermission = NotificationPermission | 'unsupported';

export function desktopPermission(): DesktopPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export async function requestDesktopPermission(): Promise<DesktopPermission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

/** A short two-tone chime, made in Web Audio: no sound file to fetch or to allow in the page's policy. */
export function playChime(): void {
  if (typeof AudioContext === 'undefined') return;
  const ctx = new AudioContext();
  const gain = ctx.createGain();
  gain.connect(ctx.destination);
  gain.gain.setValueAtTime(0.0001, ctx.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.2, ctx.currentTime + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.5);
  const notes = [880, 660];
  notes.forEach((frequency, i) => {
    const osc = ctx.createOscillator();
    osc.frequency.value = frequency;
    osc.connect(gain);
    osc.start(ctx.currentTime + i * 0.18);
    osc.stop(ctx.currentTime + 0.5);
    if (i === notes.length - 1) osc.onended = () => void ctx.close();
  });
}

export interface NewAlert {
  key: string;
  title: string;
  body: string;
}

/** What a new alert says in a notification. */
export function describeAlert(alert: FloorAlert, agentName: (id: number) => string): NewAlert {
  const who = alert.kind === 'queueWait' ? `Queue ${alert.queue}` : agentName(alert.userId);
  return { key: alertKey(alert), title: `${ALERT_KIND_LABEL[alert.kind]}: ${who}`, body: alertWords(alert) };
}

export function describeHelp(help: HelpRequestView): NewAlert {
  return {
    key: `help:${help.helpId}`,
    title: `${help.agent.name} asks for help`,
    body: help.message ?? (help.callId ? 'During a call' : 'Not on a call'),
  };
}

/**
 * Signals each new alert once, as the user chose: a desktop notification and a sound. Whatever is already
 * on the floor when it is first seen is not new (a page opened on a busy floor does not ring for all of it).
 */
export function useAlertSignals(
  floor: FloorAlertsView,
  help: readonly HelpRequestView[],
  agentName: (id: number) => string,
  settings: AlertSettings | null,
): void {
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (!floor.ready || settings === null) return;
    const current = [...floor.alerts.map((a) => describeAlert(a, agentName)), ...help.map(describeHelp)];
    const before = seen.current;
    seen.current = new Set(current.map((a) => a.key));
    if (before === null) return;
    const fresh = current.filter((a) => !before.has(a.key));
    if (fresh.length === 0) return;
    if (settings.signals.desktop && desktopPermission() === 'granted') {
      for (const a of fresh) new Notification(a.title, { body: a.body, tag: a.key });
    }
    if (settings.signals.sound) playChime();
  }, [floor, help, agentName, settings]);
}
