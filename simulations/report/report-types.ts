/** The shape of every simulation report: `report.json` is this object, `report.html` draws it. */

/** One line chart: a shared x axis (seconds since start, unless `xLabel` says otherwise) and its series. */
export interface ReportChart {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  x: number[];
  series: { label: string; values: Array<number | null> }[];
}

/** One row of the summary table; `pass` is set where the row checks a target. */
export interface ReportSummaryRow {
  label: string;
  value: string;
  target?: string;
  pass?: boolean;
}

/** A table of figures (e.g. one row per client count), drawn after the summary. */
export interface ReportTable {
  id: string;
  title: string;
  columns: string[];
  rows: string[][];
}

export interface SimulationReport {
  kind: 'checkins' | 'rollout';
  title: string;
  startedAt: string;
  finishedAt: string;
  /** The options the run used, as given on the command line or defaulted. */
  parameters: Record<string, unknown>;
  summary: ReportSummaryRow[];
  tables?: ReportTable[];
  charts: ReportChart[];
  /** Raw measurements specific to the kind, for tools that read report.json. */
  data: Record<string, unknown>;
}
