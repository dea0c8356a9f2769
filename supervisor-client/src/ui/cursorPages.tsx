import { useState } from 'react';

/**
 * Newest-first paging over a `before` cursor (audit:query, GET /api/recordings): the stack of cursors the
 * user walked through, so "Newer" goes back exactly one page.
 */
export function useCursorPages(pageSize: number) {
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  return {
    /** The cursor of the page shown (undefined: the newest page). */
    before: cursors[cursors.length - 1],
    /** The 1-based position of the page's first row. */
    first: (cursors.length - 1) * pageSize + 1,
    atNewest: cursors.length === 1,
    newer: () => setCursors((c) => c.slice(0, -1)),
    older: (nextBefore: number) => setCursors((c) => [...c, nextBefore]),
    reset: () => setCursors([undefined]),
  };
}

export type CursorPages = ReturnType<typeof useCursorPages>;

/** The "Newer" and "Older" buttons of a paged list. */
export function PagerButtons({ pages, nextBefore, busy }: { pages: CursorPages; nextBefore: number | null | undefined; busy: boolean }) {
  return (
    <>
      <button type="button" disabled={pages.atNewest || busy} onClick={pages.newer}>
        Newer
      </button>
      <button type="button" disabled={!nextBefore || busy} onClick={() => nextBefore && pages.older(nextBefore)}>
        Older
      </button>
    </>
  );
}
