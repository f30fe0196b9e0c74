import type { AuditLine } from '../api/types.js';
import { formatTime } from '../components/format.js';
import { PageHeader } from '../components/page-header.js';
import { RemoteTable } from '../components/remote-table.js';

/** Every admin write, newest first. */
export function AuditLog() {
  return (
    <>
      <PageHeader title="Audit log" />
      <RemoteTable<AuditLine> label="Audit log" path="/audit-log" rowKey={(a) => a.id} columns={[
        { key: 'at', label: 'When', render: (a) => formatTime(a.at) },
        { key: 'username', label: 'User' },
        { key: 'action', label: 'Action' },
        { key: 'status', label: 'Status' },
        { key: 'details', label: 'Details', render: (a) => <code class="clip">{JSON.stringify(a.details)}</code> },
      ]} />
    </>
  );
}
