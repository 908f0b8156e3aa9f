/**
 * Compression and deployment: what the exported model costs. The compressed variants with their size
 * and metric, every deployment option of the weak modality (size with activations, latency measured
 * here, validation and test metric) with the plan each device got highlighted, the devices with their
 * budgets, and the fused superior + weak deployment of the source where there is one.
 */
import type { DeploymentEntry, PageReport } from '../report.js';
import { esc } from './escapeHtml.js';
import { figure } from './figure.js';
import { fmtBytes, fmtDiff, fmtMetric, fmtMs } from './numberFormat.js';
import { optionsChartSvg } from './optionsChart.js';
import { metricRange, NON_NEGATIVE } from './valueRange.js';

const td = (s: string, cls = 'num'): string => `<td class="${cls}">${esc(s)}</td>`;
const planText = (plan: Record<string, string>): string =>
  Object.entries(plan)
    .map(([slot, id]) => `${slot}: ${id}`)
    .join(', ');

/** The float model and its compressed variants: bytes of weights and test metric, against float. */
const compressionTable = (r: PageReport): string => {
  const c = r.compression;
  const rows: [string, { bytes: number; metric: number }][] = [
    ['float32', c.float],
    ['int8', c.int8],
    ...(c.mixed ? [['mixed int8/int4', c.mixed] as [string, { bytes: number; metric: number }]] : []),
    ...(c.pruned
      ? ([
          [`pruned ${Math.round(c.pruned.sparsity * 100)}%, float32`, c.pruned.float],
          [`pruned ${Math.round(c.pruned.sparsity * 100)}%, int8`, c.pruned.int8],
          [`pruned ${Math.round(c.pruned.sparsity * 100)}%, mixed int8/int4`, c.pruned.mixed],
        ] as [string, { bytes: number; metric: number }][])
      : []),
  ];
  const m = esc(r.target.metric);
  return `<table id="compression-table"><thead><tr><th>model</th><th>weights</th><th>test ${m}</th><th>Δ vs float32</th></tr></thead><tbody>${rows
    .map(
      ([name, v]) =>
        `<tr>${td(name, 'name')}${td(fmtBytes(v.bytes))}${td(fmtMetric(v.metric))}${td(fmtDiff(r.target.higherIsBetter ? v.metric - c.float.metric : c.float.metric - v.metric))}</tr>`,
    )
    .join('')}</tbody></table>`;
};

const chosenBy = (deployment: readonly DeploymentEntry[], id: string): string[] =>
  deployment.filter((d) => Object.values(d.plan).includes(id)).map((d) => d.device);

/** Every option of the weak modality; a row chosen for some device is highlighted. */
const optionsTable = (r: PageReport): string => {
  const options = r.compression.options ?? [];
  if (!options.length) return '';
  const m = esc(r.target.metric);
  return `<table id="options-table"><thead><tr><th>option</th><th>size with<br>activations</th><th>latency<br>(here)</th><th>validation ${m}</th><th>test ${m}</th><th>chosen for</th></tr></thead><tbody>${options
    .map((o) => {
      const by = chosenBy(r.deployment, o.id);
      return `<tr${by.length ? ' class="chosen"' : ''}>${td(o.id, 'name')}${td(fmtBytes(o.bytes))}${td(fmtMs(o.latencyMs))}${td(fmtMetric(o.val))}${td(fmtMetric(o.test))}${td(by.join(', ') || '–', 'name')}</tr>`;
    })
    .join('')}</tbody></table>`;
};

/** One row per device: its budget and what its plan costs there. */
export const devicesTable = (id: string, metric: string, entries: readonly DeploymentEntry[]): string =>
  `<table id="${esc(id)}"><thead><tr><th>device</th><th>memory<br>budget</th><th>latency<br>budget</th><th>chosen plan</th><th>memory</th><th>latency<br>(on device)</th><th>test ${esc(metric)}</th><th>fits</th></tr></thead><tbody>${entries
    .map(
      (d) =>
        `<tr class="chosen${d.fits ? '' : ' misfit'}">${td(d.device, 'name')}${td(fmtBytes(d.budget.memoryBytes))}${td(fmtMs(d.budget.latencyMs))}${td(planText(d.plan), 'name')}${td(fmtBytes(d.memoryBytes))}${td(fmtMs(d.latencyMs))}${td(fmtMetric(d.metric))}${td(d.fits ? 'yes' : 'NO', 'name')}</tr>`,
    )
    .join('')}</tbody></table>`;

const optionsFigure = async (r: PageReport): Promise<string> => {
  const options = r.compression.options ?? [];
  if (!options.length) return '';
  const valid = metricRange(r.target.metric);
  const svg = await optionsChartSvg(
    `Options: test ${r.target.metric} against size`,
    r.target.metric,
    options.map((o) => ({ id: o.id, bytes: o.bytes, metric: o.test, chosen: chosenBy(r.deployment, o.id).length > 0 })),
    valid,
  );
  return figure('deployment-options', svg, 'Ringed: the option chosen for at least one device.', {
    x: NON_NEGATIVE,
    y: valid,
  });
};

/** The fused superior + weak deployment on the source. */
const multiModalPart = (r: PageReport): string => {
  const m = r.multiModal;
  if (!m) return '';
  const plans = m.plans
    .map(
      (p) =>
        `<tr>${td(`${p.choice['superior']} / ${p.choice['weak']}`, 'name')}${td(fmtBytes(p.bytes))}${td(fmtMs(p.measuredLatencyMs))}${td(fmtMetric(p.val))}${td(fmtMetric(p.test))}</tr>`,
    )
    .join('');
  return `<h3>Fused deployment on the source: ${esc(m.modalities.superior)} + ${esc(m.modalities.weak)}</h3>
<p>A skipped encoder's feature is predicted from the other modality (alignment R² on validation: weak → superior ${esc(fmtMetric(m.alignmentR2.weakToSuperior))}, superior → weak ${esc(fmtMetric(m.alignmentR2.superiorToWeak))}). The governor re-plans from a frontier of ${m.frontierSize} plans in ${esc(m.governorUpdateUs.toPrecision(3))} µs.</p>
${devicesTable('fused-devices-table', `source ${m.metric}`, m.deployment)}
<details><summary>All ${m.plans.length} fused plans, measured whole</summary><table id="fused-plans-table"><thead><tr><th>superior / weak</th><th>size</th><th>latency (here)</th><th>validation ${esc(m.metric)}</th><th>test ${esc(m.metric)}</th></tr></thead><tbody>${plans}</tbody></table></details>`;
};

/** The section. */
export const deploymentSection = async (r: PageReport): Promise<string> =>
  `<section id="deployment"><h2>Compression and deployment <small>the exported student, target test split</small></h2>
<p>Latency measured on ${esc(r.latencyMeasuredOn)}.</p>
<div class="row">${compressionTable(r)}${optionsTable(r)}</div>
<div class="row">${devicesTable('devices-table', r.target.metric, r.deployment)}${await optionsFigure(r)}</div>
${multiModalPart(r)}</section>`;
