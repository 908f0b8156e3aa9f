/**
 * The self-contained report.html, laid out around the two questions a reader brings: did knowledge
 * as priors help (first screen: the methods table and the per-seed paired differences), then the
 * source (what the teacher taught) and what deployment costs; then the training curves and the raw
 * configuration folded away. Flags (reportFlags) sit above it all.
 * Charts are Vega-Lite rendered to inline SVG in Node: the page needs no script and no network.
 */
import { curvesSection } from './html/curvesSection.js';
import { deploymentSection } from './html/deploymentSection.js';
import { esc } from './html/escapeHtml.js';
import { methodsSection } from './html/methodsSection.js';
import { fmtMetric } from './html/numberFormat.js';
import { sourceSection } from './html/sourceSection.js';
import { renumberClipIds } from './html/vegaSvg.js';
import type { PageReport } from './report.js';
import { reportFlags } from './reportFlags.js';

const base64 = (b: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
};

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:16px 24px;max-width:1240px;color:#222}
h1{font-size:19px;margin:0 0 2px}h2{font-size:17px;margin:22px 0 6px;border-bottom:1px solid #ddd}h2 small,h1+p{color:#666;font-weight:normal;font-size:13px}h3{font-size:15px}
p{margin:6px 0}.headline{font-size:15px}
table{border-collapse:collapse;font-size:13px;margin:4px 0}th{font-weight:600;text-align:right;border-bottom:2px solid #bbb;padding:2px 8px;vertical-align:bottom}
td{border-bottom:1px solid #e4e4e4;padding:2px 8px}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th:first-child,td.name{text-align:left}
td small{color:#777}td.ci{color:#555}td.best{font-weight:700}tr.chosen td{background:#fff6d6}tr.misfit td{background:#fde2e2}
.flags{border:1px solid #e0a800;background:#fff8e1;padding:4px 12px;margin:8px 0}.flags li{margin:2px 0}
.first{display:flex;flex-wrap:wrap;gap:8px 24px;align-items:flex-start}.row{display:flex;flex-wrap:wrap;gap:12px 32px;align-items:flex-start}
.grid{display:flex;flex-wrap:wrap;gap:8px 24px}figure{margin:4px 0}figcaption{font-size:12px;color:#555;max-width:600px}
details{margin:8px 0}summary{cursor:pointer;color:#335}pre{font-size:12px;background:#f6f6f6;padding:8px;overflow:auto}`;

/** The flags of reportFlags, as a box at the top of the page (nothing when there are none). */
const flagsBox = (r: PageReport): string => {
  const flags = reportFlags(r);
  return flags.length
    ? `<section id="flags" class="flags"><b>Read these numbers with care:</b><ul>${flags.map((f) => `<li data-flag="${f.id}">${esc(f.message)}</li>`).join('')}</ul></section>`
    : '';
};

/** The configuration and provenance, folded away. */
const rawSection = (r: PageReport): string => {
  const json = (x: unknown) => esc(JSON.stringify(x, null, 2));
  return `<section id="raw"><h2>Configuration and provenance</h2>
<details><summary>Resolved configuration</summary><pre>${json(r.config)}</pre></details>
<details><summary>Versions, timings (s)${r.priors ? ", the KaP prior's learning statistics" : ''}</summary><pre>${json({ versions: r.versions, timings: r.timings, ...(r.priors ? { priors: r.priors.kap } : {}) })}</pre></details>
<details><summary>Notes</summary><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></details></section>`;
};

/** The page's name: the scenario, or the manifest of a teacherless target. */
const titleOf = (r: PageReport): string =>
  r.scenario ?? (r.kind === 'target' ? `target ${r.dataset?.manifest ?? ''}` : 'run');

/** The line under the title: preset, seeds, metric, and the source's three models where a source ran. */
const subtitle = (r: PageReport): string => {
  const s = r.source;
  const source = s
    ? `source: teacher ${fmtMetric(s.teacher)}, student alone ${fmtMetric(s.studentNoKd)}, student + CMKD ${fmtMetric(s.studentKd)}.`
    : 'teacherless target: no source stage, no teacher and no superior modality in this run.';
  return `${r.preset} preset, seed${r.seeds.length === 1 ? '' : 's'} ${r.seeds.join(', ')}; metric ${r.target.metric} (${r.target.higherIsBetter ? 'higher' : 'lower'} is better); ${source}`;
};

/**
 * The page of a `kapri run` report or a `kapri target` report (parts without data are left out);
 * `preview` is a PNG of source samples (superior | weak) or null.
 */
export const renderHtmlReport = async (r: PageReport, preview: Uint8Array | null): Promise<string> => {
  const [methods, source, deployment, curves] = await Promise.all([
    methodsSection(r),
    r.source ? sourceSection({ ...r, source: r.source }) : '',
    deploymentSection(r),
    curvesSection(r),
  ]);
  return renumberClipIds(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kapri report: ${esc(titleOf(r))}</title>
<style>${STYLE}</style></head>
<body>
<h1>kapri report: ${esc(titleOf(r))}</h1>
<p>${esc(subtitle(r))}</p>
${flagsBox(r)}
${methods}
${source}
${deployment}
${curves}
${preview ? `<h2>Source samples <small>superior | weak</small></h2><img alt="source samples, superior and weak modality side by side" src="data:image/png;base64,${base64(preview)}">` : ''}
${rawSection(r)}
</body></html>
`);
};
