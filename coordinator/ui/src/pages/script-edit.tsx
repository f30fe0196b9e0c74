import type { Script, ScriptBody } from '../api/types.js';
import { useEditor } from '../api/use-editor.js';
import { ChoiceList } from '../components/choice-list.js';
import { EditorFrame } from '../components/editor-frame.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Field } from '../components/field.js';
import { navigate } from '../router/router.js';

const PARAMS = [4, 5, 6, 7, 8, 9, 10, 11];
const BLANK: ScriptBody = { name: '', content: '#!/bin/sh\n', parameterLabels: [], timeoutSeconds: 3600, secretParameters: [] };
const toBody = ({ id: _id, ...body }: Script): ScriptBody => body;

/** Create or edit a script: its text, labels of parameters $4–$11, which are secret, and the timeout. */
export function ScriptEdit({ id }: { id: number | undefined }) {
  const { value: s, patch, loadError, save, remove } = useEditor('/scripts', id, BLANK, toBody);
  if (loadError) return <ErrorBanner error={loadError} />;
  if (!s) return <p role="status">Loading…</p>;
  const labels = s.parameterLabels ?? [];
  const setLabel = (i: number, text: string) => {
    const next = PARAMS.map((_, j) => (j === i ? text : labels[j] ?? ''));
    while (next.length && !next[next.length - 1]) next.pop();
    patch({ parameterLabels: next });
  };
  return (
    <EditorFrame title={id ? `Script: ${s.name}` : 'New script'} error={save.error ?? remove.error} busy={save.busy || remove.busy}
      onSave={async () => { if (await save.run()) navigate('/scripts'); }}
      onDelete={id ? async () => { if (await remove.run()) navigate('/scripts'); } : undefined}>
      <Field label="Name">{(fid) => <input id={fid} required value={s.name} onInput={(e) => patch({ name: e.currentTarget.value })} />}</Field>
      <Field label="Script" hint="Starts with a shebang line; parameters arrive as $4–$11">{(fid) => (
        <textarea id={fid} class="code" rows={14} spellcheck={false} value={s.content} onInput={(e) => patch({ content: e.currentTarget.value })} />
      )}</Field>
      <fieldset>
        <legend>Parameter labels</legend>
        <div class="grid">
          {PARAMS.map((n, i) => (
            <Field key={n} label={`Label for $${n}`}>{(fid) => <input id={fid} value={labels[i] ?? ''} onInput={(e) => setLabel(i, e.currentTarget.value)} />}</Field>
          ))}
        </div>
      </fieldset>
      <ChoiceList legend="Secret parameters (kept out of logs)" options={PARAMS.map((n) => ({ value: n, label: `$${n}` }))}
        selected={s.secretParameters ?? []} onChange={(v) => patch({ secretParameters: v })} />
      <Field label="Timeout (seconds)">{(fid) => (
        <input id={fid} type="number" min={1} max={86400} value={s.timeoutSeconds} onInput={(e) => patch({ timeoutSeconds: Number(e.currentTarget.value) })} />
      )}</Field>
    </EditorFrame>
  );
}
