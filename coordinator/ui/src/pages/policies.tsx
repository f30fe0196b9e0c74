import type { Policy } from '../api/types.js';
import { PageHeader } from '../components/page-header.js';
import { RemoteTable } from '../components/remote-table.js';
import { WriteOnly } from '../components/write-only.js';
import { Link } from '../router/link.js';

/** Policies with their triggers, frequency and scope at a glance. */
export function Policies() {
  return (
    <>
      <PageHeader title="Policies"><WriteOnly><Link class="button primary" href="/policies/new">New policy</Link></WriteOnly></PageHeader>
      <RemoteTable<Policy> label="Policies" path="/policies" rowKey={(p) => p.id} columns={[
        { key: 'name', label: 'Name', render: (p) => <Link href={`/policies/${p.id}`}>{p.name}</Link> },
        { key: 'enabled', label: 'Enabled', render: (p) => (p.enabled ? 'yes' : 'no') },
        { key: 'triggers', label: 'Triggers', render: (p) => p.triggers.join(', ') },
        { key: 'frequency', label: 'Frequency' },
        { key: 'scope', label: 'Scope', render: (p) => (p.scope.all ? 'All computers'
          : `${p.scope.groups.length} group(s), ${p.scope.segments.length} segment(s), ${p.scope.computers.length} computer(s)`) },
        { key: 'payloads', label: 'Payloads', render: (p) => p.payloads.length },
      ]} />
    </>
  );
}
