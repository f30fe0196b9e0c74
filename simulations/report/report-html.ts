import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { REPORT_PAGE_CSS, REPORT_PAGE_SCRIPT } from './report-page.js';
import type { SimulationReport } from './report-types.js';

const require = createRequire(import.meta.url);

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

/** JSON that can sit inside a <script> element: no `</script>`, no `<!--`, no line separators. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The self-contained report page: uPlot and its CSS inline, the report as inert JSON, and a
 * Content-Security-Policy that allows only these exact inline scripts and styles (by hash) and no
 * network fetch at all.
 */
export async function reportHtml(report: SimulationReport): Promise<string> {
  const [uplotJs, uplotCss] = await Promise.all([
    readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  ]);
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(uplotJs)} ${cspHash(REPORT_PAGE_SCRIPT)}`,
    `style-src ${cspHash(uplotCss)} ${cspHash(REPORT_PAGE_CSS)}`,
    "img-src data:", "base-uri 'none'", "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<style>${uplotCss}</style>
<style>${REPORT_PAGE_CSS}</style>
</head>
<body>
<main id="report"><noscript>This report draws its charts with JavaScript; the numbers are in report.json beside this file.</noscript></main>
<script type="application/json" id="report-data">${scriptSafeJson(report)}</script>
<script>${uplotJs}</script>
<script>${REPORT_PAGE_SCRIPT}</script>
</body>
</html>
`;
}
