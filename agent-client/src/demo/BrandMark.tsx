/**
 * The product's mark and name. On the desk it is the page's one h1 (a page needs a top heading to be found by
 * screen-reader users; the sign-in screen has its own).
 */
export function BrandMark({ compact = false, heading = false }: { compact?: boolean; heading?: boolean }) {
  const Tag = heading ? 'h1' : 'div';
  return (
    <Tag className={compact ? 'brand brand--compact' : 'brand'}>
      <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="8" />
        <path d="M10 21v-5a6 6 0 0 1 12 0v5" />
        <path d="M10 19h2.5v4H10zM19.5 19H22v4h-2.5z" />
      </svg>
      <span className="brand__name">Earshot</span> <span className="brand__product">Agent desktop</span>
    </Tag>
  );
}
