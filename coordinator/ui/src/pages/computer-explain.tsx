import type { ExplainAnswer, NodeView } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { useOptions } from '../api/use-options.js';
import { ChainTable } from '../components/chain-table.js';
import { ErrorBanner } from '../components/error-banner.js';
import { LocalTable } from '../components/local-table.js';
import { Link } from '../router/link.js';

type Line = ExplainAnswer['policies'][number];

/** Why each policy is in or out of scope for one computer, the groups it belongs to, and where it downloads packages from. */
export function ComputerExplain({ id }: { id: number }) {
  const { data, error } = useApi<ExplainAnswer>(`/computers/${id}/explain`);
  const nodes = useOptions<NodeView>('/nodes').options;
  if (error) return <ErrorBanner error={error} />;
  if (!data) return <p role="status">Loading…</p>;
  return (
    <>
      <h3>Groups</h3>
      {data.groups.length
        ? <ul class="inline">{data.groups.map((g) => <li key={g.id}><Link href={`/groups/${g.id}`}>{g.name}</Link></li>)}</ul>
        : <p>Member of no group.</p>}
      <h3>Policies</h3>
      <LocalTable<Line> label="Policy scope" rows={data.policies} rowKey={(p) => p.id} columns={[
        { key: 'name', label: 'Policy', sortable: true, render: (p) => <Link href={`/policies/${p.id}`}>{p.name}</Link> },
        { key: 'inScope', label: 'In scope', sortable: true, render: (p) => <span class={p.inScope ? 'good' : 'muted'}>{p.inScope ? 'yes' : 'no'}</span> },
        { key: 'reason', label: 'Why' },
      ]} />
      <h3>Distribution</h3>
      <p>{data.distribution.segment
        ? <>In segment <Link href={`/segments/${data.distribution.segment.id}`}>{data.distribution.segment.name}</Link>; it downloads packages from these sources, in order:</>
        : 'In no segment; it downloads packages from these sources, in order:'}</p>
      <ChainTable explanation={data.distribution} nodeName={(n) => nodes.find((o) => o.value === n)?.label ?? `node ${n}`} />
    </>
  );
}
