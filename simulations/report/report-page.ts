/** CSS of report.html (inlined; the CSP allows it by hash). */
export const REPORT_PAGE_CSS = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 8px; }
.meta { color: #5a6272; margin: 0 0 16px; }
table { border-collapse: collapse; background: #fff; width: 100%; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
th { background: #eef0f3; font-weight: 600; }
td.pass { color: #0a7a32; font-weight: 600; }
td.fail { color: #b3261e; font-weight: 600; }
.chart { background: #fff; border: 1px solid #e3e6ea; border-radius: 6px; padding: 8px 8px 4px; margin: 12px 0; }
.chart h3 { font-size: 14px; margin: 0 0 6px; }
.empty { color: #5a6272; font-style: italic; }
details { margin-top: 8px; }
pre { background: #fff; border: 1px solid #e3e6ea; padding: 8px; overflow: auto; }
`;

/**
 * The page's script: reads the inert JSON report and draws the heading, summary table, other tables, charts
 * (uPlot) and parameters with DOM calls only (text never becomes markup). Plain ES2017, no imports.
 */
export const REPORT_PAGE_SCRIPT = `(function () {
  'use strict';
  var report = JSON.parse(document.getElementById('report-data').textContent);
  var root = document.getElementById('report');
  root.textContent = '';
  var COLORS = ['#2f6fdf', '#d9480f', '#2b8a3e', '#9c36b5', '#e8590c', '#0b7285', '#c2255c', '#5c940d', '#364fc7', '#a61e4d'];

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  root.appendChild(el('h1', report.title));
  root.appendChild(el('p', report.kind + ' simulation · started ' + report.startedAt + ' · finished ' + report.finishedAt, 'meta'));

  root.appendChild(el('h2', 'Summary'));
  var table = el('table');
  table.setAttribute('aria-label', 'Summary');
  var head = el('tr');
  ['Measure', 'Value', 'Target', 'Result'].forEach(function (h) { head.appendChild(el('th', h)); });
  table.appendChild(el('thead')).appendChild(head);
  var body = table.appendChild(el('tbody'));
  report.summary.forEach(function (row) {
    var tr = el('tr');
    tr.appendChild(el('td', row.label));
    tr.appendChild(el('td', row.value));
    tr.appendChild(el('td', row.target || ''));
    tr.appendChild(row.pass === undefined ? el('td', '') : el('td', row.pass ? 'PASS' : 'FAIL', row.pass ? 'pass' : 'fail'));
    body.appendChild(tr);
  });
  root.appendChild(table);

  (report.tables || []).forEach(function (t) {
    root.appendChild(el('h2', t.title));
    var figures = el('table');
    figures.setAttribute('aria-label', t.title);
    figures.setAttribute('data-table', t.id);
    var tr = el('tr');
    t.columns.forEach(function (c) { tr.appendChild(el('th', c)); });
    figures.appendChild(el('thead')).appendChild(tr);
    var tbody = figures.appendChild(el('tbody'));
    t.rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (cell) { row.appendChild(el('td', cell)); });
      tbody.appendChild(row);
    });
    root.appendChild(figures);
  });

  root.appendChild(el('h2', 'Charts'));
  var width = Math.max(320, Math.min(1050, root.clientWidth - 20));
  report.charts.forEach(function (chart) {
    var box = el('section', undefined, 'chart');
    box.setAttribute('data-chart', chart.id);
    box.appendChild(el('h3', chart.title));
    root.appendChild(box);
    if (!chart.x.length) { box.appendChild(el('p', 'no data', 'empty')); return; }
    var series = [{ label: chart.xLabel }];
    chart.series.forEach(function (s, i) {
      series.push({ label: s.label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false, points: { show: chart.x.length < 40 } });
    });
    var data = [chart.x].concat(chart.series.map(function (s) { return s.values; }));
    new uPlot({
      width: width, height: 260, series: series,
      scales: { x: { time: false } },
      axes: [{ label: chart.xLabel }, { label: chart.yLabel, size: 70 }],
    }, data, box);
  });

  root.appendChild(el('h2', 'Parameters'));
  var details = el('details');
  details.appendChild(el('summary', 'Options of this run'));
  details.appendChild(el('pre', JSON.stringify(report.parameters, null, 2)));
  root.appendChild(details);
})();
`;
