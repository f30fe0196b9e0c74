import type { ExplainAnswer } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { LocalTable } from '../components/local-table.js';
import { Link } from '../router/link.js';

type Line = ExplainAnswer['policies'][number];

/** Why each policy is in or out of scope for one computer, and the groups it belongs to. */
export function ComputerExplain({ id }: { id: number }) {
  const { data, error } = useApi<ExplainAnswer>(`/computers/${id}/explain`);
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
    </>
  );
}
