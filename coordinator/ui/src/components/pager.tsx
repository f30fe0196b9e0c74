/** Previous/next paging with the current range, e.g. "51–100 of 10,000". */
export function Pager(p: { page: number; perPage: number; total: number; onPage(page: number): void; label: string }) {
  const pages = Math.max(1, Math.ceil(p.total / p.perPage));
  if (p.total <= p.perPage && p.page === 1) return <p class="pager-info">{p.total.toLocaleString()} total</p>;
  const from = (p.page - 1) * p.perPage + 1;
  const to = Math.min(p.total, p.page * p.perPage);
  return (
    <nav class="pager" aria-label={`${p.label} pages`}>
      <button type="button" disabled={p.page <= 1} onClick={() => p.onPage(p.page - 1)}>Previous</button>
      <span aria-live="polite">{from.toLocaleString()}–{to.toLocaleString()} of {p.total.toLocaleString()} (page {p.page} of {pages.toLocaleString()})</span>
      <button type="button" disabled={p.page >= pages} onClick={() => p.onPage(p.page + 1)}>Next</button>
    </nav>
  );
}
