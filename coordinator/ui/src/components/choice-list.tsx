/** A fieldset of checkboxes choosing ids from named options (groups in a scope, triggers…). */
export function ChoiceList<K extends string | number>(p: {
  legend: string; options: { value: K; label: string }[]; selected: readonly K[]; onChange(next: K[]): void; disabled?: boolean;
}) {
  const toggle = (v: K, on: boolean) => p.onChange(on ? [...p.selected, v] : p.selected.filter((x) => x !== v));
  return (
    <fieldset class="choices" disabled={p.disabled}>
      <legend>{p.legend}</legend>
      {p.options.length === 0 && <small>None defined.</small>}
      {p.options.map((o) => (
        <label key={o.value} class="check">
          <input type="checkbox" checked={p.selected.includes(o.value)} onChange={(e) => toggle(o.value, e.currentTarget.checked)} />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}
