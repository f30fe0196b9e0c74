import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../api/client.js';
import type { Criterion, GroupPreview } from '../api/types.js';
import { Link } from '../router/link.js';

const PAUSE_MS = 350;

/** The live member count of smart-group criteria being edited: asks the coordinator after each pause in typing; nothing is saved. */
export function MemberPreview({ criteria, groupId }: { criteria: Criterion[]; groupId: number | undefined }) {
  const [answer, setAnswer] = useState<GroupPreview>();
  const [problem, setProblem] = useState<ApiError>();
  const [busy, setBusy] = useState(true);
  const key = JSON.stringify(criteria);
  useEffect(() => {
    let live = true;
    setBusy(true);
    const timer = setTimeout(() => {
      api<GroupPreview>('POST', '/groups/preview', { criteria, ...(groupId ? { groupId } : {}) }).then(
        (a) => { if (live) { setAnswer(a); setProblem(undefined); setBusy(false); } },
        (e: ApiError) => { if (live) { setProblem(e); setBusy(false); } },
      );
    }, PAUSE_MS);
    return () => { live = false; clearTimeout(timer); };
  }, [key, groupId]);
  return (
    <div class="preview notice" role="status" aria-live="polite" aria-busy={busy ? 'true' : 'false'}>
      {problem ? <span class="muted" data-testid="preview-problem">Cannot count yet: {problem.message}</span> : answer ? (
        <>
          <strong data-testid="preview-count">{answer.count.toLocaleString()}</strong> of {answer.total.toLocaleString()} computer{answer.total === 1 ? '' : 's'} match now
          {answer.sample.length > 0 && <>: {answer.sample.map((c, i) => <span key={c.id}>{i ? ', ' : ''}<Link href={`/computers/${c.id}`}>{c.name || `#${c.id}`}</Link></span>)}{answer.count > answer.sample.length ? ', …' : ''}</>}
          {busy ? ' (counting…)' : '.'}
        </>
      ) : 'Counting…'}
    </div>
  );
}
