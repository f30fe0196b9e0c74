import type { Attribute, Criterion, Group, GroupBody } from '../api/types.js';
import { useEditor } from '../api/use-editor.js';
import { useOptions } from '../api/use-options.js';
import { EditorFrame } from '../components/editor-frame.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Field } from '../components/field.js';
import { IdListInput } from '../components/id-list-input.js';
import { navigate } from '../router/router.js';
import { CriteriaBuilder } from './criteria-builder.js';
import { MemberPreview } from './member-preview.js';

const BLANK: GroupBody = { kind: 'smart', name: '', criteria: [] };
const toBody = ({ id: _id, memberCount: _n, ...body }: Group): GroupBody => body;

/** Create or edit a static group (computer ids) or a smart group (criteria builder with a live member count); shows the stored member count. */
export function GroupEdit({ id }: { id: number | undefined }) {
  const { value: g, patch, loadError, save, remove } = useEditor<GroupBody>('/groups', id, BLANK, toBody);
  const allGroups = useOptions<Group>('/groups').items;
  const groups = allGroups.filter((x) => x.id !== id);
  const members = allGroups.find((x) => x.id === id)?.memberCount;
  const attributes = useOptions<Attribute>('/extension-attributes').items;
  if (loadError) return <ErrorBanner error={loadError} />;
  if (!g) return <p role="status">Loading…</p>;
  return (
    <EditorFrame title={id ? `Group: ${g.name}` : 'New group'} error={save.error ?? remove.error} busy={save.busy || remove.busy}
      onSave={async () => { if (await save.run()) navigate('/groups'); }}
      onDelete={id ? async () => { if (await remove.run()) navigate('/groups'); } : undefined}>
      <Field label="Name">{(fid) => <input id={fid} required value={g.name} onInput={(e) => patch({ name: e.currentTarget.value })} />}</Field>
      {id === undefined && (
        <Field label="Kind">{(fid) => (
          <select id={fid} value={g.kind} onChange={(e) => patch(e.currentTarget.value === 'smart'
            ? { kind: 'smart', criteria: [] } as Partial<GroupBody> : { kind: 'static', computerIds: [] } as Partial<GroupBody>)}>
            <option value="smart">Smart (criteria)</option><option value="static">Static (chosen computers)</option>
          </select>
        )}</Field>
      )}
      {members !== undefined && <p class="notice">{members.toLocaleString()} member{members === 1 ? '' : 's'} as saved.</p>}
      {g.kind === 'smart'
        ? <>
            <CriteriaBuilder criteria={(g.criteria ?? []) as Criterion[]} onChange={(criteria) => patch({ criteria } as Partial<GroupBody>)}
              attributeNames={attributes.map((a) => a.name)} groups={groups.map((x) => ({ value: x.id, label: x.name }))} />
            <MemberPreview criteria={(g.criteria ?? []) as Criterion[]} groupId={id} />
          </>
        : <IdListInput label="Members" value={g.computerIds ?? []} onChange={(computerIds) => patch({ computerIds } as Partial<GroupBody>)} />}
    </EditorFrame>
  );
}
