import type { DistributionExplanation } from '../api/types.js';
import { Link } from '../router/link.js';
import { LocalTable } from './local-table.js';

type Source = DistributionExplanation['chain'][number] & { order: number };

/** A distribution chain in download order (node names from `nodeName`), and the listed nodes left out with why. */
export function ChainTable({ explanation, nodeName }: { explanation: DistributionExplanation; nodeName(id: number): string }) {
  const rows: Source[] = explanation.chain.map((s, i) => ({ ...s, order: i + 1 }));
  return (
    <>
      <LocalTable<Source> label="Failover chain" rows={rows} rowKey={(s) => s.order} columns={[
        { key: 'order', label: '#' },
        { key: 'nodeId', label: 'Source', render: (s) => (s.nodeId === null ? 'Origin (coordinator)' : <Link href={`/nodes/${s.nodeId}`}>{nodeName(s.nodeId)}</Link>) },
        { key: 'tier', label: 'Tier' },
        { key: 'baseUrl', label: 'Address', render: (s) => <code class="clip">{s.baseUrl}</code> },
        { key: 'reason', label: 'Why' },
      ]} />
      {explanation.skipped.length > 0 && (
        <>
          <h3 id="left-out-title">Left out</h3>
          <ul aria-labelledby="left-out-title">{explanation.skipped.map((s) => <li key={s.nodeId}>{s.reason}</li>)}</ul>
        </>
      )}
    </>
  );
}
