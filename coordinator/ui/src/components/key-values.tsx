import type { ComponentChildren } from 'preact';

/** A definition list of label/value pairs; values render as text unless they are elements. */
export function KeyValues({ items }: { items: [string, ComponentChildren][] }) {
  return (
    <dl class="kv">
      {items.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v === null || v === undefined || v === '' ? '—' : v}</dd></div>)}
    </dl>
  );
}
