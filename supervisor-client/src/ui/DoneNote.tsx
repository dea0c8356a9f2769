/** What the last action did, announced politely to screen readers; nothing when there is nothing to say. */
export function DoneNote({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="done-note" role="status">
      {message}
    </p>
  );
}
