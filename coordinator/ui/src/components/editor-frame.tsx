import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api/client.js';
import { useCanWrite } from '../session/session.js';
import { ErrorBanner } from './error-banner.js';
import { PageHeader } from './page-header.js';

/** Create/edit page frame: heading, errors, a form (read-only for auditors: disabled, without buttons) with Save and Delete. */
export function EditorFrame(p: {
  title: string; error?: ApiError; busy: boolean; onSave(): void; onDelete?: () => void; children: ComponentChildren; saved?: string;
}) {
  const canWrite = useCanWrite();
  return (
    <>
      <PageHeader title={p.title} />
      {p.error && <ErrorBanner error={p.error} />}
      {p.saved && <p class="notice" role="status">{p.saved}</p>}
      <form class="editor" onSubmit={(e) => { e.preventDefault(); p.onSave(); }}>
        <fieldset disabled={!canWrite || p.busy} class="plain">
          {p.children}
        </fieldset>
        {canWrite && (
          <div class="form-actions">
            <button type="submit" class="primary" disabled={p.busy}>Save</button>
            {p.onDelete && <button type="button" class="danger" disabled={p.busy} onClick={() => { if (confirm('Delete this item?')) p.onDelete!(); }}>Delete</button>}
          </div>
        )}
      </form>
    </>
  );
}
