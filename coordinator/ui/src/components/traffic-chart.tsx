import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SegmentTrafficRow, SourceTier } from '../api/types.js';
import { formatBytes, formatShare } from './format.js';

/** Source tiers from nearest to farthest, with their legend names and colours. */
export const TIERS: { tier: SourceTier; label: string; colour: string }[] = [
  { tier: 'segment', label: 'Own nodes', colour: '#137333' },
  { tier: 'neighbour', label: 'Neighbour segments', colour: '#2563eb' },
  { tier: 'other', label: 'Other nodes', colour: '#d97706' },
  { tier: 'origin', label: 'Origin (coordinator)', colour: '#6b7280' },
];

// Axis steps at 1, 2 and 5 × powers of 1024, so tick labels read as round KiB/MiB/GiB.
const BINARY_STEPS = [0, 1, 2, 3, 4].flatMap((k) => [1, 2, 5, 10, 20, 50, 100, 200, 500].map((m) => m * 1024 ** k));

const bytesOf = (row: SegmentTrafficRow, tier: SourceTier) => row.sources.filter((s) => s.tier === tier).reduce((n, s) => n + s.bytes, 0);

/**
 * Bytes each segment's devices received, as one stacked bar per segment (nearest source at the bottom), drawn
 * with uPlot; the same figures follow as a table for screen readers and for reading exact numbers.
 */
export function TrafficChart({ rows }: { rows: SegmentTrafficRow[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current!;
    const xs = rows.map((_, i) => i);
    // Bars are drawn in series order over each other: each series is the running total up to its tier, farthest first.
    const running = TIERS.map((_, k) => rows.map((r) => TIERS.slice(0, k + 1).reduce((n, t) => n + bytesOf(r, t.tier), 0)));
    const bars = uPlot.paths.bars!({ size: [0.6, 90] });
    const order = [...TIERS.keys()].reverse();
    const plot = new uPlot({
      width: el.clientWidth || 600, height: 240,
      series: [{}, ...order.map((k) => ({ label: TIERS[k]!.label, fill: TIERS[k]!.colour, stroke: TIERS[k]!.colour, paths: bars, points: { show: false } }))],
      scales: { x: { time: false, range: () => [-0.5, Math.max(0.5, rows.length - 0.5)] }, y: { range: (_u, _min, max) => [0, Math.max(1024, max * 1.1)] } },
      axes: [
        { splits: () => xs, values: (_u, splits) => splits.map((i) => rows[i]?.name ?? ''), grid: { show: false } },
        { incrs: BINARY_STEPS, values: (_u, splits) => splits.map((v) => formatBytes(v)), size: 80 },
      ],
      legend: { show: false },
      cursor: { show: false },
    }, [xs, ...order.map((k) => running[k]!)], el);
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 240 }));
    resize.observe(el);
    return () => { resize.disconnect(); plot.destroy(); };
  }, [rows]);
  return (
    <figure class="chart">
      <ul class="legend" aria-hidden="true">
        {TIERS.map((t) => <li key={t.tier}><span class="swatch" style={{ background: t.colour }} />{t.label}</li>)}
      </ul>
      <div ref={box} aria-hidden="true" data-testid="traffic-chart" />
      <figcaption>
        <table aria-label="Bytes by source per segment" class="compact">
          <thead><tr><th scope="col">Segment</th>{TIERS.map((t) => <th scope="col" key={t.tier}>{t.label}</th>)}<th scope="col">From own nodes</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.segmentId}>
                <th scope="row">{r.name}</th>
                {TIERS.map((t) => <td key={t.tier} data-label={t.label}>{formatBytes(bytesOf(r, t.tier))}</td>)}
                <td data-label="From own nodes">{r.totalBytes ? formatShare(r.inSegmentShare) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
