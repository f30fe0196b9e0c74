import { useState } from 'preact/hooks';
import type { PackageStorage, PackageSummary } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { formatBytes, formatShare, formatTime } from '../components/format.js';
import { PageHeader } from '../components/page-header.js';
import { RemoteTable } from '../components/remote-table.js';
import { WriteOnly } from '../components/write-only.js';
import { Link } from '../router/link.js';
import { PackageUpload } from './package-upload.js';

/** Packages on the origin: how much chunk dedup saves, an upload form, and every version and revision. */
export function Packages() {
  const [serial, setSerial] = useState(0);
  const storage = useApi<PackageStorage>('/packages/storage');
  return (
    <>
      <PageHeader title="Packages" />
      {storage.error && <ErrorBanner error={storage.error} />}
      <StorageCards s={storage.data} />
      <WriteOnly><PackageUpload onUploaded={() => { storage.reload(); setSerial((n) => n + 1); }} /></WriteOnly>
      <RemoteTable<PackageSummary> key={serial} label="Packages" path="/packages" rowKey={(p) => p.id} columns={[
        { key: 'name', label: 'Name', render: (p) => <Link href={`/packages/${p.id}`}>{p.name}</Link> },
        { key: 'version', label: 'Version' },
        { key: 'revision', label: 'Revision' },
        { key: 'size', label: 'Size', render: (p) => formatBytes(p.size) },
        { key: 'chunkCount', label: 'Chunks', render: (p) => p.chunkCount.toLocaleString() },
        { key: 'bytesNew', label: 'New on upload', render: (p) => formatBytes(p.bytesNew) },
        { key: 'shared', label: 'Shared', render: (p) => (p.size ? formatShare(1 - p.bytesNew / p.size) : '—') },
        { key: 'uploadedBy', label: 'Uploaded by' },
        { key: 'createdAt', label: 'Uploaded', render: (p) => formatTime(p.createdAt) },
      ]} />
    </>
  );
}

// Logical bytes (every package's payload) against what the origin's chunk store keeps once.
function StorageCards({ s }: { s: PackageStorage | undefined }) {
  const saved = s ? Math.max(0, s.logicalBytes - s.storedBytes) : 0;
  return (
    <section class="cards" aria-label="Package storage">
      <div class="card"><span class="figure">{s ? s.packages.toLocaleString() : '…'}</span><span>Packages</span></div>
      <div class="card"><span class="figure" data-testid="logical-bytes">{s ? formatBytes(s.logicalBytes) : '…'}</span><span>Payload bytes, all packages</span></div>
      <div class="card"><span class="figure" data-testid="stored-bytes">{s ? formatBytes(s.storedBytes) : '…'}</span><span>Stored on the origin ({s ? s.storedChunks.toLocaleString() : '…'} chunks)</span></div>
      <div class="card"><span class="figure" data-testid="dedup-saved">{s ? formatBytes(saved) : '…'}</span>
        <span>Saved by chunk dedup{s && s.logicalBytes ? ` (${formatShare(saved / s.logicalBytes)})` : ''}</span></div>
    </section>
  );
}
