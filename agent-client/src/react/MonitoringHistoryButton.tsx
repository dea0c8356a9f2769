import { useEffect, useRef, useState } from 'react';
import type { AgentClient } from '../sdk/agentClient.js';
import { offersMonitoringHistory } from '../sdk/agentState.js';
import { MONITORING_HISTORY_TITLE, MonitoringHistoryView } from './MonitoringHistoryView.js';
import { useAgentState } from './useAgentState.js';

export interface MonitoringHistoryButtonProps {
  client: Pick<AgentClient, 'getState' | 'subscribe' | 'monitoringHistory'>;
}

/**
 * Opens "Who listened to my calls" in a modal dialog. Shown only to holders of Live Monitoring
 * Notifications, the right the server asks of `monitoring:history`: the refusal is not the only gate.
 * The dialog is the browser's own (`showModal`): the page behind it is inert, Escape closes it, and it
 * sits above the host page whatever that page's stacking. The focus goes to Close, then back to the button.
 */
export function MonitoringHistoryButton({ client }: MonitoringHistoryButtonProps) {
  const state = useAgentState(client);
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (wasOpen.current && !open) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);
  if (!offersMonitoringHistory(state)) return null;
  return (
    <>
      <button ref={opener} type="button" className="earshot-button earshot-history-button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {MONITORING_HISTORY_TITLE}
      </button>
      {open && <MonitoringHistoryDialog client={client} onClose={() => setOpen(false)} />}
    </>
  );
}

function MonitoringHistoryDialog({ client, onClose }: MonitoringHistoryButtonProps & { onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const element = dialog.current!;
    if (!element.open) element.showModal();
    close.current?.focus();
    return () => {
      if (element.open) element.close();
    };
  }, []);
  return (
    // The browser's `close` event covers Escape and the Close button alike.
    <dialog ref={dialog} className="earshot-history-dialog" aria-label={MONITORING_HISTORY_TITLE} onClose={onClose}>
      <button ref={close} type="button" className="earshot-button earshot-button--small earshot-history-dialog__close" onClick={() => dialog.current?.close()}>
        Close
      </button>
      <MonitoringHistoryView client={client} />
    </dialog>
  );
}
