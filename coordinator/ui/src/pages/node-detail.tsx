import { useState } from 'preact/hooks';
import { api, type ListAnswer } from '../api/client.js';
import type { NodeHolding, NodeView, PackageSummary, Segment } from '../api/types.js';
import { useAction } from '../api/use-action.js';
import { useApi } from '../api/use-api.js';
import { useOptions } from '../api/use-options.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Field } from '../components/field.js';
import { formatAgo, formatBytes, formatTime } from '../components/format.js';
import { KeyValues } from '../components/key-values.js';
import { LocalTable } from '../components/local-table.js';
import { PageHeader } from '../components/page-header.js';
import { StatusBadge } from '../components/status-badge.js';
import { WriteOnly } from '../components/write-only.js';
import { Link } from '../router/link.js';
import { freeSpace, problems, storedContent } from './node-health-cells.js';

/** One node: health from its last heartbeat, addresses, segments, and the packages it should hold (pins and policy scope). */
export function NodeDetail({ id }: { id: number }) {
  const { data: n, error, reload } = useApi<NodeView>(`/nodes/${id}`);
  const holds = useApi<ListAnswer<NodeHolding>>(`/nodes/${id}/packages`);
  const segments = useOptions<Segment>('/segments').options;
  const packages = useOptions<PackageSummary>('/packages').items;
  const [toPin, setToPin] = useState<number>();
  const revoke = useAction(async () => { await api('DELETE', `/nodes/${id}`); reload(); });
  const pin = useAction(async (packageId: number, on: boolean) => {
    await (on ? api('POST', `/nodes/${id}/pins`, { packageId }) : api('DELETE', `/nodes/${id}/pins/${packageId}`));
    reload();
    holds.reload();
  });
  if (error) return <><PageHeader title="Node" /><ErrorBanner error={error} /></>;
  if (!n) return <p role="status">Loading…</p>;
  const h = n.health;
  return (
    <>
      <PageHeader title={`Node: ${n.name}`}>
        <WriteOnly>
          {n.status !== 'revoked' && (
            <button type="button" class="danger" disabled={revoke.busy} onClick={() => { if (confirm(`Revoke node ${n.name}? Its certificate stops working.`)) void revoke.run(); }}>Revoke</button>
          )}
        </WriteOnly>
      </PageHeader>
      {(revoke.error ?? pin.error) && <ErrorBanner error={(revoke.error ?? pin.error)!} />}
      <KeyValues items={[
        ['State', <StatusBadge status={n.status} />], ['Last heartbeat', `${formatAgo(n.lastHeartbeatAt)} (${formatTime(n.lastHeartbeatAt)})`],
        ['Free disk', freeSpace(n)], ['Holds', storedContent(n)], ['Served to agents', h ? formatBytes(h.bytesServed) : '—'],
        ['Load', h ? h.load.toFixed(2) : '—'], ['Connections / mesh peers', h ? `${h.connections} / ${h.peers}` : '—'], ['Problems', problems(n)],
        ['Segments', n.segmentIds.map((s) => segments.find((o) => o.value === s)?.label ?? `#${s}`).join(', ') || 'all (no segment)'],
        ['HTTPS for agents', n.httpUrl ? <code>{n.httpUrl}</code> : '—'], ['PeerId', n.peerId ? <code class="clip">{n.peerId}</code> : '—'],
        ['Joined', formatTime(n.joinedAt)],
      ]} />
      <h2>Packages it should hold</h2>
      {holds.error && <ErrorBanner error={holds.error} />}
      <WriteOnly>
        <form class="inline-form" aria-label="Pin a package" onSubmit={(e) => { e.preventDefault(); const p = toPin ?? packages[0]?.id; if (p) void pin.run(p, true); }}>
          <Field label="Package to pin" hint="Kept on this node whatever the policies say">{(fid) => (
            <select id={fid} value={toPin ?? packages[0]?.id} onChange={(e) => setToPin(Number(e.currentTarget.value))}>
              {packages.map((p) => <option key={p.id} value={p.id}>{p.name} {p.version} (revision {p.revision})</option>)}
            </select>
          )}</Field>
          <button type="submit" class="primary" disabled={pin.busy || packages.length === 0}>Pin</button>
        </form>
      </WriteOnly>
      <LocalTable<NodeHolding> label="Packages it should hold" rows={holds.data?.items ?? []} rowKey={(p) => p.packageId} columns={[
        { key: 'name', label: 'Package', sortable: true, render: (p) => <Link href={`/packages/${p.packageId}`}>{p.name}</Link> },
        { key: 'version', label: 'Version', sortable: true }, { key: 'revision', label: 'Revision' },
        { key: 'size', label: 'Size', sortable: true, render: (p) => formatBytes(p.size) },
        { key: 'pinned', label: 'Why', render: (p) => (p.pinned
          ? <>pinned <WriteOnly><button type="button" disabled={pin.busy} aria-label={`Unpin ${p.name} ${p.version}`} onClick={() => void pin.run(p.packageId, false)}>Unpin</button></WriteOnly></>
          : 'policy scope') },
        { key: 'holders', label: 'Nodes holding it', sortable: true },
      ]} />
    </>
  );
}
