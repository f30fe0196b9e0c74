import type { NodeView, Segment, SegmentBody } from '../api/types.js';
import { useEditor } from '../api/use-editor.js';
import { useOptions } from '../api/use-options.js';
import { EditorFrame } from '../components/editor-frame.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Field } from '../components/field.js';
import { OrderedPicker } from '../components/ordered-picker.js';
import { navigate } from '../router/router.js';
import { SegmentChain } from './segment-chain.js';
import { entriesToRanks, ranksToEntries } from './segment-ranks.js';

const BLANK: SegmentBody = { name: '', range: '', nodeIds: [], neighbourIds: [] };
const toBody = (s: Segment): SegmentBody => ({ name: s.name, range: s.range, nodeIds: s.nodeIds, neighbourIds: s.neighbourIds });

/** Create or edit a segment: its address range, its nodes in failover order (equal ranks allowed), neighbours next; then its live chain. */
export function SegmentEdit({ id }: { id: number | undefined }) {
  const { value: s, patch, loadError, save, remove } = useEditor<SegmentBody>('/segments', id, BLANK, toBody);
  const nodes = useOptions<NodeView>('/nodes');
  const segments = useOptions<Segment>('/segments').options.filter((o) => o.value !== id);
  const nodeName = (n: number) => nodes.items.find((x) => x.id === n)?.name ?? `node ${n}`;
  if (loadError) return <ErrorBanner error={loadError} />;
  if (!s) return <p role="status">Loading…</p>;
  const nodeOptions = nodes.items.filter((n) => n.status !== 'revoked').map((n) => ({ value: n.id, label: `${n.name} (${n.status})` }));
  return (
    <>
      <EditorFrame title={id ? `Segment: ${s.name}` : 'New segment'} error={save.error ?? remove.error} busy={save.busy || remove.busy}
        onSave={async () => { if (await save.run()) navigate('/segments'); }}
        onDelete={id ? async () => { if (await remove.run()) navigate('/segments'); } : undefined}>
        <Field label="Name">{(fid) => <input id={fid} required value={s.name} onInput={(e) => patch({ name: e.currentTarget.value })} />}</Field>
        <Field label="Address range" hint="CIDR (10.1.0.0/16, fd00::/64) or first-last (10.1.0.10-10.1.0.99)">{(fid) => (
          <input id={fid} required value={s.range} spellcheck={false} onInput={(e) => patch({ range: e.currentTarget.value })} />
        )}</Field>
        <OrderedPicker legend="Nodes, primary first" noun="Node" options={nodeOptions} entries={ranksToEntries(s.nodeIds ?? [])}
          tieLabel="same rank as above" describe={(i, e) => (i === 0 ? 'primary' : e.tied ? 'shares the rank above' : 'failover')}
          onChange={(entries) => patch({ nodeIds: entriesToRanks(entries) })} />
        <OrderedPicker legend="Then the nodes of these neighbour segments" noun="Neighbour" options={segments}
          entries={(s.neighbourIds ?? []).map((value) => ({ value, tied: false }))}
          onChange={(entries) => patch({ neighbourIds: entries.map((e) => e.value) })} />
      </EditorFrame>
      {id !== undefined && <SegmentChain id={id} nodeName={nodeName} />}
    </>
  );
}
