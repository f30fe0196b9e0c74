import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { CheckinSeries } from '../api/types.js';

/** Check-ins per minute as a uPlot line chart that follows its container's width; a text summary for screen readers. */
export function CheckinsChart({ series }: { series: CheckinSeries }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current!;
    const start = Date.parse(series.start) / 1000;
    const xs = series.counts.map((_, i) => start + i * series.stepSeconds);
    const plot = new uPlot({
      width: el.clientWidth || 600, height: 220,
      series: [{}, { label: 'Check-ins/min', stroke: '#2563eb', fill: 'rgba(37,99,235,0.12)', width: 2 }],
      axes: [{}, { label: 'per minute' }],
      scales: { y: { range: (_u, _min, max) => [0, Math.max(5, Math.ceil(max * 1.2))] } },
      legend: { show: false },
    }, [xs, series.counts], el);
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 220 }));
    resize.observe(el);
    return () => { resize.disconnect(); plot.destroy(); };
  }, [series]);
  const total = series.counts.reduce((a, b) => a + b, 0);
  const peak = Math.max(0, ...series.counts);
  return (
    <figure class="chart">
      <div ref={box} aria-hidden="true" />
      <figcaption>{total.toLocaleString()} check-ins in the last {Math.round(series.counts.length / 60)} h; peak {peak.toLocaleString()} per minute.</figcaption>
    </figure>
  );
}
