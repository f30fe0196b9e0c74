import { formatBytes } from './format.js';

/** A labelled progress bar for bytes sent, with the figures as text (announced politely to screen readers). */
export function ProgressBar({ label, done, total }: { label: string; done: number; total: number }) {
  const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
  return (
    <div class="progress">
      <progress aria-label={label} max={100} value={percent} />
      <span aria-live="polite">{formatBytes(done)} of {formatBytes(total)} ({percent} %)</span>
    </div>
  );
}
