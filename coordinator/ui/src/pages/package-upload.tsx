import { useRef, useState } from 'preact/hooks';
import { PACKAGE_CONTENT_TYPE } from '../../../pkg/media-type.js';
import { uploadFile, type ApiError } from '../api/client.js';
import type { PackageSummary } from '../api/types.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Field } from '../components/field.js';
import { formatBytes } from '../components/format.js';
import { ProgressBar } from '../components/progress-bar.js';

type Upload = { sent: number; total: number; abort: AbortController };

/** Sends a built package file (`homing pkg build`) with a progress bar; the coordinator verifies every chunk before listing it. */
export function PackageUpload({ onUploaded }: { onUploaded(p: PackageSummary): void }) {
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [upload, setUpload] = useState<Upload>();
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<PackageSummary>();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    const abort = new AbortController();
    setError(undefined);
    setDone(undefined);
    setUpload({ sent: 0, total: file.size, abort });
    try {
      const stored = await uploadFile<PackageSummary>('/packages', file, PACKAGE_CONTENT_TYPE,
        (sent, total) => setUpload({ sent, total, abort }), abort.signal);
      setDone(stored);
      setFile(undefined);
      if (input.current) input.current.value = '';
      onUploaded(stored);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setUpload(undefined);
    }
  };
  return (
    <section aria-labelledby="upload-title" class="panel">
      <h2 id="upload-title">Upload a package</h2>
      <form class="inline-form plain" onSubmit={submit}>
        <Field label="Package file" hint="Built with homing pkg build">{(id) => (
          <input id={id} ref={input} type="file" accept=".pkg,.homingpkg,application/vnd.homing.package" disabled={upload !== undefined}
            onChange={(e) => setFile(e.currentTarget.files?.[0])} />
        )}</Field>
        <button type="submit" class="primary" disabled={!file || upload !== undefined}>Upload</button>
        {upload && <button type="button" onClick={() => upload.abort.abort()}>Cancel</button>}
      </form>
      {upload && (
        <>
          <ProgressBar label="Upload progress" done={upload.sent} total={upload.total} />
          {upload.sent >= upload.total && <p role="status">Sent; the coordinator is verifying and storing the chunks…</p>}
        </>
      )}
      {error && <ErrorBanner error={error} />}
      {done && (
        <p class="notice" role="status">
          Uploaded {done.name} {done.version} as revision {done.revision}: {formatBytes(done.size)} in {done.chunkCount} chunks,
          {' '}{formatBytes(done.bytesNew)} new on the origin ({formatBytes(done.size - done.bytesNew)} shared with packages already stored).
        </p>
      )}
    </section>
  );
}
