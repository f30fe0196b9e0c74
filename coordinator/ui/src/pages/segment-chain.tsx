import type { DistributionExplanation, SegmentTraffic } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { formatBytes, formatShare } from '../components/format.js';
import { LocalTable } from '../components/local-table.js';

type Source = DistributionExplanation['chain'][number] & { order: number };

/** The ordered failover chain a device in the segment gets now (health included), the nodes left out, and bytes by source. */
export function SegmentChain({ id, nodeName }: { id: number; nodeName(id: number): string }) {
  const chain = useApi<DistributionExplanation>(`/segments/${id}/chain`);
  const traffic = useApi<SegmentTraffic>(`/segments/${id}/traffic`);
  if (chain.error) return <ErrorBanner error={chain.error} />;
  const rows: Source[] = (chain.data?.chain ?? []).map((s, i) => ({ ...s, order: i + 1 }));
  const t = traffic.data;
  return (
    <section aria-labelledby="chain-title">
      <h2 id="chain-title">Failover chain now</h2>
      <p><small>Devices in this segment try these sources in this order; a node that is offline or unhealthy is left out until it recovers.</small></p>
      <LocalTable<Source> label="Failover chain" rows={rows} rowKey={(s) => s.order} columns={[
        { key: 'order', label: '#' },
        { key: 'nodeId', label: 'Source', render: (s) => (s.nodeId === null ? 'Origin (coordinator)' : nodeName(s.nodeId)) },
        { key: 'tier', label: 'Tier' },
        { key: 'baseUrl', label: 'Address', render: (s) => <code class="clip">{s.baseUrl}</code> },
        { key: 'reason', label: 'Why' },
      ]} />
      {chain.data && chain.data.skipped.length > 0 && (
        <>
          <h3 id="left-out-title">Left out</h3>
          <ul aria-labelledby="left-out-title">{chain.data.skipped.map((s) => <li key={s.nodeId}>{s.reason}</li>)}</ul>
        </>
      )}
      {t && (
        <p data-testid="segment-traffic">{t.totalBytes
          ? <>Devices here received {formatBytes(t.totalBytes)}; {formatBytes(t.inSegmentBytes)} ({formatShare(t.inSegmentShare)}) from the segment's own nodes.</>
          : 'No device in this segment has reported a download yet.'}
        </p>
      )}
    </section>
  );
}
