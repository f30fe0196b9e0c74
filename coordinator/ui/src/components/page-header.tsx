import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';

/** The page's heading (also the document title) with optional actions on the right. */
export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  useEffect(() => { document.title = `${title} · Homing`; }, [title]);
  return (
    <header class="page-header">
      <h1>{title}</h1>
      {children && <div class="actions">{children}</div>}
    </header>
  );
}
