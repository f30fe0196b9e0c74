import { WriteOnly } from './write-only.js';

/** One entry of an ordered pick: the chosen option, and whether it shares the previous entry's rank. */
export interface PickedEntry { value: number; tied: boolean }

/**
 * An ordered list of options (first = first choice) with move up/down and remove; with `tieLabel` an entry
 * may share the previous entry's rank. Options already picked are not offered twice.
 */
export function OrderedPicker(p: {
  legend: string; noun: string; options: { value: number; label: string }[]; entries: PickedEntry[];
  onChange(next: PickedEntry[]): void; tieLabel?: string; describe?(index: number, entry: PickedEntry): string;
}) {
  const labelOf = (v: number) => p.options.find((o) => o.value === v)?.label ?? `#${v}`;
  const free = p.options.filter((o) => !p.entries.some((e) => e.value === o.value));
  const set = (i: number, change: Partial<PickedEntry>) => p.onChange(p.entries.map((e, j) => (j === i ? { ...e, ...change } : e)));
  const move = (i: number, by: number) => {
    const next = [...p.entries];
    const [item] = next.splice(i, 1);
    next.splice(i + by, 0, item!);
    p.onChange(next.map((e, j) => (j === 0 ? { ...e, tied: false } : e)));
  };
  return (
    <fieldset class="ordered">
      <legend>{p.legend}</legend>
      {p.entries.length === 0 && <p><small>None.</small></p>}
      <ol>
        {p.entries.map((e, i) => {
          const n = i + 1;
          return (
            <li key={e.value} role="group" aria-label={`${p.noun} ${n}`}>
              <span class="rank" aria-hidden="true">{n}.</span>
              <select aria-label={`${p.noun} ${n}`} value={e.value} onChange={(ev) => set(i, { value: Number(ev.currentTarget.value) })}>
                {[{ value: e.value, label: labelOf(e.value) }, ...free].map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
              </select>
              {p.tieLabel && i > 0 && (
                <label class="check"><input type="checkbox" checked={e.tied} onChange={(ev) => set(i, { tied: ev.currentTarget.checked })} />{p.tieLabel}</label>
              )}
              {p.describe && <small>{p.describe(i, e)}</small>}
              <WriteOnly>
                <button type="button" aria-label={`Move ${p.noun.toLowerCase()} ${n} up`} disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
                <button type="button" aria-label={`Move ${p.noun.toLowerCase()} ${n} down`} disabled={i === p.entries.length - 1} onClick={() => move(i, 1)}>↓</button>
                <button type="button" aria-label={`Remove ${p.noun.toLowerCase()} ${n}`} onClick={() => p.onChange(p.entries.filter((_, j) => j !== i).map((x, j) => (j === 0 ? { ...x, tied: false } : x)))}>Remove</button>
              </WriteOnly>
            </li>
          );
        })}
      </ol>
      <WriteOnly>
        <button type="button" disabled={free.length === 0} onClick={() => p.onChange([...p.entries, { value: free[0]!.value, tied: false }])}>Add {p.noun.toLowerCase()}</button>
      </WriteOnly>
    </fieldset>
  );
}
