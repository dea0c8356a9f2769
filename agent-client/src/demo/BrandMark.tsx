/** The product's mark and name. */
export function BrandMark({ compact = false }: { compact?: boolean }) {
  return (
    <div className={compact ? 'brand brand--compact' : 'brand'}>
      <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="8" />
        <path d="M10 21v-5a6 6 0 0 1 12 0v5" />
        <path d="M10 19h2.5v4H10zM19.5 19H22v4h-2.5z" />
      </svg>
      <span className="brand__name">Earshot</span>
      <span className="brand__product">Agent desktop</span>
    </div>
  );
}
