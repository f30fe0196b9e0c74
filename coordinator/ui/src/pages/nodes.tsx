import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { NewNode, NodeView, Segment } from '../api/types.js';
import { useAction } from '../api/use-action.js';
import { useOptions } from '../api/use-options.js';
import { ChoiceList } from '../components/choice-list.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Field } from '../components/field.js';
import { formatAgo, formatBytes, formatTime } from '../components/format.js';
import { PageHeader } from '../components/page-header.js';
import { RemoteTable } from '../components/remote-table.js';
import { StatusBadge } from '../components/status-badge.js';
import { WriteOnly } from '../components/write-only.js';
import { Link } from '../router/link.js';
import { freeSpace, problems, storedContent } from './node-health-cells.js';

/** Distribution nodes with their health from heartbeats, disk, what they store and serve; admins add nodes here. */
export function Nodes() {
  const [serial, setSerial] = useState(0);
  const segments = useOptions<Segment>('/segments').options;
  const segmentName = (id: number) => segments.find((s) => s.value === id)?.label ?? `#${id}`;
  return (
    <>
      <PageHeader title="Nodes" />
      <WriteOnly><AddNode segments={segments} onAdded={() => setSerial((n) => n + 1)} /></WriteOnly>
      <RemoteTable<NodeView> key={serial} label="Nodes" path="/nodes" rowKey={(n) => n.id} columns={[
        { key: 'name', label: 'Name', render: (n) => <Link href={`/nodes/${n.id}`}>{n.name}</Link> },
        { key: 'status', label: 'State', render: (n) => <StatusBadge status={n.status} /> },
        { key: 'lastHeartbeatAt', label: 'Last heartbeat', render: (n) => <span title={formatTime(n.lastHeartbeatAt)}>{formatAgo(n.lastHeartbeatAt)}</span> },
        { key: 'free', label: 'Free disk', render: freeSpace },
        { key: 'stored', label: 'Holds', render: storedContent },
        { key: 'served', label: 'Served', render: (n) => (n.health ? formatBytes(n.health.bytesServed) : '—') },
        { key: 'segmentIds', label: 'Segments', render: (n) => n.segmentIds.map(segmentName).join(', ') || 'all (no segment)' },
        { key: 'pins', label: 'Pins', render: (n) => n.pins.length },
        { key: 'problems', label: 'Problems', render: problems },
      ]} />
    </>
  );
}

// Creates a node and shows its one-time join token.
function AddNode({ segments, onAdded }: { segments: { value: number; label: string }[]; onAdded(): void }) {
  const [name, setName] = useState('');
  const [segmentIds, setSegmentIds] = useState<number[]>([]);
  const [made, setMade] = useState<NewNode>();
  const create = useAction(() => api<NewNode>('POST', '/nodes', { name, segmentIds }));
  const submit = async (e: Event) => {
    e.preventDefault();
    const node = await create.run();
    if (node) { setMade(node); setName(''); setSegmentIds([]); onAdded(); }
  };
  return (
    <>
      <form class="inline-form" aria-label="Add node" onSubmit={submit}>
        <Field label="Node name">{(id) => <input id={id} required value={name} onInput={(e) => setName(e.currentTarget.value)} />}</Field>
        <ChoiceList legend="Serves segments" options={segments} selected={segmentIds} onChange={setSegmentIds} />
        <button type="submit" class="primary" disabled={create.busy}>Add node</button>
      </form>
      {create.error && <ErrorBanner error={create.error} />}
      {made && (
        <section class="notice" role="status" aria-label="New node join token">
          <p>Start the node once with <code>homing node --coordinator {location.origin} --ca-file ca.pem --token TOKEN</code>; the token works once, until {formatTime(made.expiresAt)}.</p>
          <output class="token" data-testid="node-token">{made.token}</output>
        </section>
      )}
    </>
  );
}
