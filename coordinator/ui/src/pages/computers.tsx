import { useState } from 'preact/hooks';
import type { Computer } from '../api/types.js';
import { formatTime } from '../components/format.js';
import { PageHeader } from '../components/page-header.js';
import { RemoteTable } from '../components/remote-table.js';
import { SearchBox } from '../components/search-box.js';
import { Link } from '../router/link.js';

/** Every computer: search by name/serial/user/IP, sort by column, page through. */
export function Computers() {
  const [q, setQ] = useState('');
  return (
    <>
      <PageHeader title="Computers" />
      <SearchBox label="Search computers" value={q} onSearch={setQ} />
      <RemoteTable<Computer> label="Computers" path="/computers" query={{ q }} rowKey={(c) => c.id}
        defaultSort={{ key: 'name', order: 'asc' }} columns={[
          { key: 'name', label: 'Name', sortable: true, render: (c) => <Link href={`/computers/${c.id}`}>{c.name || `#${c.id}`}</Link> },
          { key: 'serial', label: 'Serial', sortable: true },
          { key: 'model', label: 'Model', sortable: true },
          { key: 'osVersion', label: 'OS', sortable: true, render: (c) => `${c.osName} ${c.osVersion}`.trim() },
          { key: 'ipAddress', label: 'IP address', sortable: true },
          { key: 'username', label: 'User' },
          { key: 'lastCheckinAt', label: 'Last check-in', sortable: true, render: (c) => formatTime(c.lastCheckinAt) },
          { key: 'status', label: 'Status' },
        ]} />
    </>
  );
}
