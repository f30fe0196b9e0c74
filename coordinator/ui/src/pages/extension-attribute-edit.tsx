import type { Attribute, AttributeBody } from '../api/types.js';
import { useEditor } from '../api/use-editor.js';
import { EditorFrame } from '../components/editor-frame.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Field } from '../components/field.js';
import { navigate } from '../router/router.js';

const BLANK: AttributeBody = { name: '', description: '', dataType: 'string', script: '#!/bin/sh\necho ""\n', enabled: true };
const toBody = ({ id: _id, createdAt: _c, updatedAt: _u, ...body }: Attribute): AttributeBody => body;

/** Create or edit an extension attribute: the script's output becomes the value in inventory. */
export function ExtensionAttributeEdit({ id }: { id: number | undefined }) {
  const { value: a, patch, loadError, save, remove } = useEditor('/extension-attributes', id, BLANK, toBody);
  if (loadError) return <ErrorBanner error={loadError} />;
  if (!a) return <p role="status">Loading…</p>;
  return (
    <EditorFrame title={id ? `Extension attribute: ${a.name}` : 'New extension attribute'} error={save.error ?? remove.error} busy={save.busy || remove.busy}
      onSave={async () => { if (await save.run()) navigate('/extension-attributes'); }}
      onDelete={id ? async () => { if (await remove.run()) navigate('/extension-attributes'); } : undefined}>
      <Field label="Name">{(fid) => <input id={fid} required value={a.name} onInput={(e) => patch({ name: e.currentTarget.value })} />}</Field>
      <Field label="Description">{(fid) => <input id={fid} value={a.description} onInput={(e) => patch({ description: e.currentTarget.value })} />}</Field>
      <Field label="Data type">{(fid) => (
        <select id={fid} value={a.dataType} onChange={(e) => patch({ dataType: e.currentTarget.value as AttributeBody['dataType'] })}>
          <option value="string">string</option><option value="integer">integer</option><option value="date">date</option>
        </select>
      )}</Field>
      <label class="check"><input type="checkbox" checked={a.enabled ?? true} onChange={(e) => patch({ enabled: e.currentTarget.checked })} />Enabled</label>
      <Field label="Script" hint="Prints the value on standard output">{(fid) => (
        <textarea id={fid} class="code" rows={12} spellcheck={false} value={a.script} onInput={(e) => patch({ script: e.currentTarget.value })} />
      )}</Field>
    </EditorFrame>
  );
}
