/** A refusal or failure, read out by screen readers as it appears. */
export function ErrorNote({ message, onDismiss }: { message: string | null; onDismiss?: () => void }) {
  if (!message) return null;
  return (
    <div className="error-note" role="alert">
      <span>{message}</span>
      {onDismiss && (
        <button type="button" className="link-button" onClick={onDismiss} aria-label="Dismiss the message">
          Dismiss
        </button>
      )}
    </div>
  );
}
