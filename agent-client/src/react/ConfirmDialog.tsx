import { useEffect, useId, useRef } from 'react';

export interface ConfirmDialogProps {
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
  busy?: boolean;
}

/** A small modal question; Escape or Cancel says no. The confirm button takes the focus. */
export function ConfirmDialog({ title, body, confirmLabel, onConfirm, onCancel, busy = false }: ConfirmDialogProps) {
  const titleId = useId();
  const bodyId = useId();
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  return (
    <div className="earshot-dialog-backdrop">
      <div
        className="earshot-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        onKeyDown={(e) => e.key === 'Escape' && onCancel()}
      >
        <h2 id={titleId} className="earshot-dialog__title">
          {title}
        </h2>
        <p id={bodyId} className="earshot-dialog__body">
          {body}
        </p>
        <div className="earshot-dialog__actions">
          <button type="button" className="earshot-button earshot-button--quiet" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="button" ref={confirmRef} className="earshot-button earshot-button--primary" onClick={onConfirm} disabled={busy}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
