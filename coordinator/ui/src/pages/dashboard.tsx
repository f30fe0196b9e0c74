import { useState } from 'preact/hooks';
import type { CheckinSeries, StatsSummary } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { CheckinsChart } from '../components/checkins-chart.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Field } from '../components/field.js';
import { LocalTable } from '../components/local-table.js';
import { PageHeader } from '../components/page-header.js';
import { Link } from '../router/link.js';
import { DashboardDistribution } from './dashboard-distribution.js';

const HOURS = [1, 3, 6, 12, 24];
type Run = StatsSummary['policyRuns'][number];

/** Fleet at a glance: computers by state, check-ins per minute, policy runs by outcome, node health, bytes by source. */
export function Dashboard() {
  const [hours, setHours] = useState(3);
  const summary = useApi<StatsSummary>(`/stats/summary?hours=${hours}`);
  const checkins = useApi<CheckinSeries>(`/stats/checkins?hours=${hours}`);
  const s = summary.data;
  return (
    <>
      <PageHeader title="Dashboard">
        <Field label="Period">{(id) => (
          <select id={id} value={hours} onChange={(e) => setHours(Number(e.currentTarget.value))}>
            {HOURS.map((h) => <option key={h} value={h}>Last {h} h</option>)}
          </select>
        )}</Field>
      </PageHeader>
      {summary.error && <ErrorBanner error={summary.error} />}
      <section class="cards" aria-label="Computers">
        <div class="card"><span class="figure" data-testid="managed-count">{s ? s.computers.managed.toLocaleString() : '…'}</span><Link href="/computers">Managed computers</Link></div>
        <div class="card"><span class="figure">{s ? s.computers.checkedInSince.toLocaleString() : '…'}</span><span>Checked in, last {hours} h</span></div>
        <div class="card"><span class="figure">{s ? s.computers.unmanaged.toLocaleString() : '…'}</span><span>Unmanaged</span></div>
      </section>
      <section aria-labelledby="checkins-title">
        <h2 id="checkins-title">Check-ins per minute</h2>
        {checkins.error && <ErrorBanner error={checkins.error} />}
        {checkins.data && <CheckinsChart series={checkins.data} />}
      </section>
      <section aria-labelledby="runs-title">
        <h2 id="runs-title">Policy runs, last {hours} h</h2>
        <LocalTable<Run> label="Policy runs" rows={s?.policyRuns ?? []} rowKey={(r) => r.policyId} columns={[
          { key: 'policyName', label: 'Policy', sortable: true, render: (r) => <Link href={`/policies/${r.policyId}`}>{r.policyName}</Link> },
          { key: 'success', label: 'Succeeded', sortable: true },
          { key: 'failed', label: 'Failed', sortable: true, render: (r) => <span class={r.failed ? 'bad' : ''}>{r.failed}</span> },
        ]} />
      </section>
      <DashboardDistribution />
    </>
  );
}
