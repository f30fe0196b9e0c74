import { api, type ListAnswer } from '../api/client.js';
import type { PackageDetail as Detail, PackageSummary } from '../api/types.js';
import { useAction } from '../api/use-action.js';
import { useApi } from '../api/use-api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { formatBytes, formatShare, formatTime } from '../components/format.js';
import { KeyValues } from '../components/key-values.js';
import { LocalTable } from '../components/local-table.js';
import { PageHeader } from '../components/page-header.js';
import { Tabs } from '../components/tabs.js';
import { WriteOnly } from '../components/write-only.js';
import { Link } from '../router/link.js';
import { navigate } from '../router/router.js';

type File = Detail['manifest']['manifest']['files'][number];
type Chunk = Detail['manifest']['manifest']['chunks'][number];

/** One package: its signed manifest's figures, files, chunks, and the other versions and revisions of its name. */
export function PackageDetail({ id }: { id: number }) {
  const { data: p, error } = useApi<Detail>(`/packages/${id}`);
  // Versions are found among the first 500 packages (the list route's largest page).
  const all = useApi<ListAnswer<PackageSummary>>('/packages?perPage=500');
  const remove = useAction(async () => { await api('DELETE', `/packages/${id}`); navigate('/packages'); });
  if (error) return <><PageHeader title="Package" /><ErrorBanner error={error} /></>;
  if (!p) return <p role="status">Loading…</p>;
  const m = p.manifest.manifest;
  const versions = (all.data?.items ?? []).filter((x) => x.name === p.name);
  return (
    <>
      <PageHeader title={`${p.name} ${p.version}`}>
        <WriteOnly>
          <button type="button" class="danger" disabled={remove.busy} onClick={() => { if (confirm(`Delete ${p.name} ${p.version} (revision ${p.revision})?`)) void remove.run(); }}>Delete</button>
        </WriteOnly>
      </PageHeader>
      {remove.error && <ErrorBanner error={remove.error} />}
      <KeyValues items={[
        ['Name', p.name], ['Version', p.version], ['Revision', String(p.revision)], ['Payload size', formatBytes(p.size)],
        ['Chunks', p.chunkCount.toLocaleString()], ['New on the origin at upload', formatBytes(p.bytesNew)],
        ['Shared with other packages', p.size ? formatShare(1 - p.bytesNew / p.size) : '—'], ['Installs under', m.targetPrefix],
        ['Scripts', [m.preinstall && 'preinstall', m.postinstall && 'postinstall'].filter(Boolean).join(', ')],
        ['Uploaded by', p.uploadedBy], ['Uploaded', formatTime(p.createdAt)], ['Payload digest', <code class="clip">{p.digest}</code>],
      ]} />
      <Tabs label="Package details" tabs={[
        ['Versions', () => (
          <LocalTable<PackageSummary> label="Versions" rows={versions} rowKey={(x) => x.id} defaultSort={{ key: 'revision', order: 'desc' }} columns={[
            { key: 'version', label: 'Version', sortable: true, render: (x) => (x.id === id ? <strong>{x.version}</strong> : <Link href={`/packages/${x.id}`}>{x.version}</Link>) },
            { key: 'revision', label: 'Revision', sortable: true },
            { key: 'size', label: 'Size', sortable: true, render: (x) => formatBytes(x.size) },
            { key: 'bytesNew', label: 'New on upload', sortable: true, render: (x) => formatBytes(x.bytesNew) },
            { key: 'createdAt', label: 'Uploaded', sortable: true, render: (x) => formatTime(x.createdAt) },
          ]} />
        )],
        ['Files', () => (
          <LocalTable<File> label="Files" rows={m.files} rowKey={(f) => f.path} defaultSort={{ key: 'path', order: 'asc' }} columns={[
            { key: 'path', label: 'Path', sortable: true }, { key: 'type', label: 'Type', sortable: true },
            { key: 'mode', label: 'Mode', render: (f) => f.mode.toString(8).padStart(4, '0') },
            { key: 'size', label: 'Size', render: (f) => (f.type === 'file' ? formatBytes(f.size) : f.type === 'symlink' ? `→ ${f.target}` : '') },
          ]} />
        )],
        ['Chunks', () => (
          <LocalTable<Chunk> label="Chunks" rows={m.chunks} rowKey={(_, i) => i} columns={[
            { key: 'digest', label: 'Digest', render: (c) => <code class="clip">{c.digest}</code> },
            { key: 'size', label: 'Size', sortable: true, render: (c) => formatBytes(c.size) },
          ]} />
        )],
      ]} />
    </>
  );
}
