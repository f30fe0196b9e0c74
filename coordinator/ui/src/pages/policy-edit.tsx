import type { Group, Policy, PolicyBody, Script, Segment } from '../api/types.js';
import { useEditor } from '../api/use-editor.js';
import { useOptions } from '../api/use-options.js';
import { ChoiceList } from '../components/choice-list.js';
import { EditorFrame } from '../components/editor-frame.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Field } from '../components/field.js';
import { navigate } from '../router/router.js';
import { PolicyLogs } from './policy-logs.js';
import { PolicyPayloads } from './policy-payloads.js';
import { PolicyScope } from './policy-scope.js';

const TRIGGERS = ['checkin', 'startup', 'login', 'logout', 'network', 'enrollment'];
const FREQUENCIES = ['once-per-computer', 'once-per-user-per-computer', 'once-per-user', 'daily', 'weekly', 'monthly', 'ongoing'] as const;
const BLANK: PolicyBody = {
  name: '', enabled: true, triggers: ['checkin'], frequency: 'once-per-computer', retries: 0, payloads: [],
  scope: { all: false, computers: [], groups: [], segments: [], exclusions: { computers: [], groups: [], segments: [] } },
};
const toBody = ({ id: _id, ...body }: Policy): PolicyBody => body;

/** Create or edit a policy: triggers, frequency, scope, payloads; an existing one also shows its logs. */
export function PolicyEdit({ id }: { id: number | undefined }) {
  const { value: p, patch, loadError, save, remove } = useEditor('/policies', id, BLANK, toBody);
  const groups = useOptions<Group>('/groups').options;
  const segments = useOptions<Segment>('/segments').options;
  const scripts = useOptions<Script>('/scripts').items;
  if (loadError) return <ErrorBanner error={loadError} />;
  if (!p) return <p role="status">Loading…</p>;
  const triggers = p.triggers ?? [];
  const custom = triggers.filter((t) => t.startsWith('custom:')).map((t) => t.slice(7));
  const builtIn = triggers.filter((t) => !t.startsWith('custom:'));
  const setCustom = (text: string) => patch({ triggers: [...builtIn, ...text.split(/[\s,]+/).filter(Boolean).map((t) => `custom:${t}`)] });
  return (
    <>
      <EditorFrame title={id ? `Policy: ${p.name}` : 'New policy'} error={save.error ?? remove.error} busy={save.busy || remove.busy}
        onSave={async () => { if (await save.run()) navigate('/policies'); }}
        onDelete={id ? async () => { if (await remove.run()) navigate('/policies'); } : undefined}>
        <Field label="Name">{(fid) => <input id={fid} required value={p.name} onInput={(e) => patch({ name: e.currentTarget.value })} />}</Field>
        <label class="check"><input type="checkbox" checked={p.enabled ?? true} onChange={(e) => patch({ enabled: e.currentTarget.checked })} />Enabled</label>
        <ChoiceList legend="Triggers" options={TRIGGERS.map((t) => ({ value: t, label: t }))} selected={builtIn}
          onChange={(t) => patch({ triggers: [...t, ...custom.map((c) => `custom:${c}`)] })} />
        <Field label="Custom events" hint="Run with: homing agent policy --event NAME (comma-separated)">{(fid) => (
          <input id={fid} value={custom.join(', ')} onChange={(e) => setCustom(e.currentTarget.value)} />
        )}</Field>
        <div class="grid">
          <Field label="Frequency">{(fid) => (
            <select id={fid} value={p.frequency} onChange={(e) => patch({ frequency: e.currentTarget.value as (typeof FREQUENCIES)[number] })}>
              {FREQUENCIES.map((f) => <option key={f} value={f}>{f}</option>)}
            </select>
          )}</Field>
          <Field label="Retries on failure" hint="once-per-computer only">{(fid) => (
            <input id={fid} type="number" min={0} max={10} value={p.retries ?? 0} onInput={(e) => patch({ retries: Number(e.currentTarget.value) })} />
          )}</Field>
        </div>
        <PolicyScope scope={p.scope ?? BLANK.scope!} onChange={(scope) => patch({ scope })} groups={groups} segments={segments} />
        <PolicyPayloads payloads={p.payloads ?? []} onChange={(payloads) => patch({ payloads })} scripts={scripts} />
      </EditorFrame>
      {id !== undefined && <PolicyLogs id={id} />}
    </>
  );
}
