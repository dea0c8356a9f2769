import type { ReactNode } from 'react';

interface ConfirmBarProps {
  /** What the dialog is about, for screen readers ("Delete Ava Adams"). */
  label: string;
  /** The question, naming what is lost. */
  children: ReactNode;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** The one confirmation before an irreversible delete: the question, "Yes, delete" and "Cancel". */
export function ConfirmBar({ label, children, busy, onConfirm, onCancel }: ConfirmBarProps) {
  return (
    <div className="confirm-bar" role="alertdialog" aria-label={label}>
      <span>{children}</span>
      <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
        Yes, delete
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
