import type { DistributionExplanation, SegmentTraffic } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { ChainTable } from '../components/chain-table.js';
import { ErrorBanner } from '../components/error-banner.js';
import { formatBytes, formatShare } from '../components/format.js';

/** The ordered failover chain a device in the segment gets now (health included), the nodes left out, and bytes by source. */
export function SegmentChain({ id, nodeName }: { id: number; nodeName(id: number): string }) {
  const chain = useApi<DistributionExplanation>(`/segments/${id}/chain`);
  const traffic = useApi<SegmentTraffic>(`/segments/${id}/traffic`);
  const t = traffic.data;
  return (
    <section aria-labelledby="chain-title">
      <h2 id="chain-title">Failover chain now</h2>
      <p><small>Devices in this segment try these sources in this order; a node that is offline or unhealthy is left out until it recovers.</small></p>
      {chain.error && <ErrorBanner error={chain.error} />}
      {chain.data && <ChainTable explanation={chain.data} nodeName={nodeName} />}
      {t && (
        <p data-testid="segment-traffic">{t.totalBytes
          ? <>Devices here received {formatBytes(t.totalBytes)}; {formatBytes(t.inSegmentBytes)} ({formatShare(t.inSegmentShare)}) from the segment's own nodes.</>
          : 'No device in this segment has reported a download yet.'}
        </p>
      )}
    </section>
  );
}
