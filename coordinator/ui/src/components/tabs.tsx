import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';

/** Tabs (ARIA tablist) showing one panel at a time; panels render lazily. */
export function Tabs({ label, tabs }: { label: string; tabs: [string, () => ComponentChildren][] }) {
  const [current, setCurrent] = useState(0);
  const base = useId();
  return (
    <div class="tabs">
      <div role="tablist" aria-label={label}>
        {tabs.map(([name], i) => (
          <button key={name} type="button" role="tab" id={`${base}-t${i}`} aria-selected={i === current}
            aria-controls={`${base}-p${i}`} tabIndex={i === current ? 0 : -1} onClick={() => setCurrent(i)}
            onKeyDown={(e) => {
              const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (!step) return;
              const next = (current + step + tabs.length) % tabs.length;
              setCurrent(next);
              document.getElementById(`${base}-t${next}`)?.focus();
            }}>{name}</button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-p${current}`} aria-labelledby={`${base}-t${current}`}>{tabs[current]![1]()}</div>
    </div>
  );
}
