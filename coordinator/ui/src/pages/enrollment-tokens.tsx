import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { NewEnrollmentToken } from '../api/types.js';
import { useAction } from '../api/use-action.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Field } from '../components/field.js';
import { formatTime } from '../components/format.js';
import { PageHeader } from '../components/page-header.js';
import { WriteOnly } from '../components/write-only.js';

/** Creates one-time (or n-use) expiring enrollment tokens; each is shown once. */
export function EnrollmentTokens() {
  const [uses, setUses] = useState(1);
  const [hours, setHours] = useState(1);
  const [made, setMade] = useState<NewEnrollmentToken>();
  const create = useAction(() => api<NewEnrollmentToken>('POST', '/enrollment-tokens', { uses, expiresInSeconds: Math.round(hours * 3600) }));
  return (
    <>
      <PageHeader title="Enrollment" />
      <p>Enroll a computer with <code>homing agent enroll --coordinator {location.origin} --ca-file ca.pem --token TOKEN</code>.</p>
      <WriteOnly>
        <form class="inline-form" onSubmit={async (e) => { e.preventDefault(); setMade(await create.run()); }}>
          <Field label="Uses">{(id) => <input id={id} type="number" min={1} max={100000} value={uses} onInput={(e) => setUses(Number(e.currentTarget.value))} />}</Field>
          <Field label="Valid for (hours)">{(id) => <input id={id} type="number" min={0.1} max={2160} step="any" value={hours} onInput={(e) => setHours(Number(e.currentTarget.value))} />}</Field>
          <button type="submit" class="primary" disabled={create.busy}>Create token</button>
        </form>
      </WriteOnly>
      {create.error && <ErrorBanner error={create.error} />}
      {made && (
        <section class="notice" role="status" aria-label="New enrollment token">
          <p>Copy this token now; it is not shown again. {made.uses} use(s), expires {formatTime(made.expiresAt)}.</p>
          <output class="token" data-testid="enrollment-token">{made.token}</output>
        </section>
      )}
    </>
  );
}
