import type { ListAnswer } from '../api/client.js';
import type { NodeView, SegmentTrafficRow } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { TrafficChart } from '../components/traffic-chart.js';
import { Link } from '../router/link.js';

const STATES = ['healthy', 'unhealthy', 'offline', 'pending'] as const;

/** Dashboard part for distribution: nodes by state (naming those in trouble) and bytes by source per segment. */
export function DashboardDistribution() {
  const nodes = useApi<ListAnswer<NodeView>>('/nodes?perPage=500');
  const traffic = useApi<ListAnswer<SegmentTrafficRow>>('/segment-traffic?perPage=100');
  const all = nodes.data?.items ?? [];
  const troubled = all.filter((n) => n.status === 'unhealthy' || n.status === 'offline');
  return (
    <>
      <section aria-labelledby="nodes-title">
        <h2 id="nodes-title">Node health</h2>
        {nodes.error && <ErrorBanner error={nodes.error} />}
        <div class="cards">
          {STATES.map((s) => (
            <div class={`card state-${s}`} key={s}>
              <span class="figure" data-testid={`nodes-${s}`}>{nodes.data ? all.filter((n) => n.status === s).length.toLocaleString() : '…'}</span>
              <Link href="/nodes">{s[0]!.toUpperCase() + s.slice(1)} nodes</Link>
            </div>
          ))}
        </div>
        {troubled.length > 0 && (
          <p class="error" role="status">Needs attention: {troubled.map((n, i) => (
            <span key={n.id}>{i ? ', ' : ''}<Link href={`/nodes/${n.id}`}>{n.name}</Link> ({n.status}{n.health?.problems.length ? `: ${n.health.problems.join('; ')}` : ''})</span>
          ))}</p>
        )}
      </section>
      <section aria-labelledby="traffic-title">
        <h2 id="traffic-title">Bytes by source per segment</h2>
        {traffic.error && <ErrorBanner error={traffic.error} />}
        {traffic.data && (traffic.data.items.length
          ? <TrafficChart rows={traffic.data.items} />
          : <p>No segments yet: <Link href="/segments/new">define one</Link> to see where its devices get their bytes.</p>)}
      </section>
    </>
  );
}
