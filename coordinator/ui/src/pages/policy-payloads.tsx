import type { Payload, PolicyBody, Script } from '../api/types.js';
import { Field } from '../components/field.js';
import { WriteOnly } from '../components/write-only.js';

type Item = NonNullable<PolicyBody['payloads']>[number];
type ScriptItem = Extract<Payload, { type: 'script' }>;
const PARAMS = [4, 5, 6, 7, 8, 9, 10, 11];

/** The policy's payloads in order: scripts with labelled parameters, inventory; package items show as stored. */
export function PolicyPayloads({ payloads, onChange, scripts }: { payloads: Item[]; onChange(p: Item[]): void; scripts: Script[] }) {
  const set = (i: number, p: Item) => onChange(payloads.map((x, j) => (j === i ? p : x)));
  const remove = (i: number) => onChange(payloads.filter((_, j) => j !== i));
  const hasInventory = payloads.some((p) => p.type === 'inventory');
  return (
    <fieldset>
      <legend>Payloads</legend>
      {payloads.length === 0 && <p><small>No payloads yet.</small></p>}
      {payloads.map((p, i) => (
        <div class="payload" key={i} role="group" aria-label={`Payload ${i + 1}`}>
          {p.type === 'script' && <ScriptPayload item={p as ScriptItem} scripts={scripts} onChange={(x) => set(i, x)} />}
          {p.type === 'inventory' && <p>Update inventory</p>}
          {p.type === 'package' && <p>Package #{p.packageId} ({p.action ?? 'install'})</p>}
          <WriteOnly><button type="button" onClick={() => remove(i)}>Remove payload {i + 1}</button></WriteOnly>
        </div>
      ))}
      <WriteOnly><div class="form-actions">
        <button type="button" disabled={scripts.length === 0}
          onClick={() => onChange([...payloads, { type: 'script', scriptId: scripts[0]!.id, priority: 'after', parameters: [] }])}>Add script</button>
        <button type="button" disabled={hasInventory} onClick={() => onChange([...payloads, { type: 'inventory' }])}>Add inventory update</button>
      </div></WriteOnly>
    </fieldset>
  );
}

function ScriptPayload({ item, scripts, onChange }: { item: ScriptItem; scripts: Script[]; onChange(p: ScriptItem): void }) {
  const script = scripts.find((s) => s.id === item.scriptId);
  const params = item.parameters.map((v) => (typeof v === 'string' ? v : v.value));
  const setParam = (i: number, v: string) => {
    // Parameters stored as { value, secret } keep their secret flag.
    const next = PARAMS.map((_, j) => {
      const old = item.parameters[j];
      if (j !== i) return old ?? '';
      return typeof old === 'object' ? { ...old, value: v } : v;
    });
    while (next.length && !(typeof next[next.length - 1] === 'string' ? next[next.length - 1] : true)) next.pop();
    onChange({ ...item, parameters: next });
  };
  return (
    <>
      <div class="grid">
      <Field label="Script">{(id) => (
        <select id={id} value={item.scriptId} onChange={(e) => onChange({ ...item, scriptId: Number(e.currentTarget.value), parameters: [] })}>
          {scripts.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
        </select>
      )}</Field>
      <Field label="Runs">{(id) => (
        <select id={id} value={item.priority} onChange={(e) => onChange({ ...item, priority: e.currentTarget.value as 'before' | 'after' })}>
          <option value="before">before packages</option><option value="after">after packages</option>
        </select>
      )}</Field>
      </div>
      <div class="grid">
        {PARAMS.map((n, i) => {
          const label = script?.parameterLabels[i];
          const secret = script?.secretParameters.includes(n);
          return (
            <Field key={n} label={label ? `$${n} ${label}` : `$${n}`}>{(id) => {
              const common = { id, autocomplete: 'off', value: params[i] ?? '', onInput: (e: { currentTarget: HTMLInputElement }) => setParam(i, e.currentTarget.value) };
              return secret ? <input type="password" {...common} /> : <input {...common} />;
            }}</Field>
          );
        })}
      </div>
    </>
  );
}
