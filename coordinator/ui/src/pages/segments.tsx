import type { NodeView, Segment } from '../api/types.js';
import { useOptions } from '../api/use-options.js';
import { PageHeader } from '../components/page-header.js';
import { RemoteTable } from '../components/remote-table.js';
import { WriteOnly } from '../components/write-only.js';
import { Link } from '../router/link.js';

/** Network segments: address range, node ranks (primary first; `=` joins nodes of equal rank) and neighbours. */
export function Segments() {
  const nodes = useOptions<NodeView>('/nodes').options;
  const segments = useOptions<Segment>('/segments').options;
  const name = (list: { value: number; label: string }[], id: number) => list.find((o) => o.value === id)?.label ?? `#${id}`;
  return (
    <>
      <PageHeader title="Segments"><WriteOnly><Link class="button primary" href="/segments/new">New segment</Link></WriteOnly></PageHeader>
      <RemoteTable<Segment> label="Segments" path="/segments" rowKey={(s) => s.id} columns={[
        { key: 'name', label: 'Name', render: (s) => <Link href={`/segments/${s.id}`}>{s.name}</Link> },
        { key: 'range', label: 'Range', render: (s) => <code>{s.range}</code> },
        { key: 'nodeIds', label: 'Nodes, in order', render: (s) => s.nodeIds.map((r) => (typeof r === 'number' ? name(nodes, r) : r.map((id) => name(nodes, id)).join(' = '))).join(' → ') || '—' },
        { key: 'neighbourIds', label: 'Then neighbours', render: (s) => s.neighbourIds.map((id) => name(segments, id)).join(' → ') || '—' },
      ]} />
    </>
  );
}
