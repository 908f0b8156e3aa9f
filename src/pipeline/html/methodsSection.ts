/**
 * The first screen: did knowledge as priors help? The methods side by side (test mean with its 95%
 * interval, the paired difference to fine-tuning with its interval and Holm-corrected p, the strength
 * chosen on validation) and one plot of each seed's paired difference to fine-tuning (docs/methods.md §6).
 */
import { studentTQuantile } from '../../core/pairedStats.js';
import type { Comparison } from '../../core/pairedStats.js';
import type { MethodSummary, PageReport } from '../report.js';
import { PLAIN_METHODS } from '../targetStage.js';
import { dotChartSvg } from './dotChart.js';
import { esc } from './escapeHtml.js';
import { figure } from './figure.js';
import { fmtDiff, fmtInterval, fmtMetric, fmtP, fmtParam } from './numberFormat.js';
import { differenceRange } from './valueRange.js';

/** The baseline every method is compared with on the first screen. */
export const BASELINE = 'finetune';

/** What each method is, for a reader who has not read docs/methods.md. */
const METHOD_NOTES: Record<string, string> = {
  scratch: 'trained on the target alone',
  finetune: 'the source student, fine-tuned',
  l2sp: 'fine-tuned, pulled to the source weights (L2-SP)',
  fisher: 'fine-tuned, pulled by Fisher weights (EWC-style)',
  kap: 'fine-tuned under the meta-learned prior',
  kapFixed: 'the prior with the strengths fixed, not learned',
};

/** The 95% t interval of a method's mean over seeds, or null with fewer than two seeds. */
export const meanInterval = (m: MethodSummary): [number, number] | null => {
  const n = m.perSeed.length;
  if (n < 2) return null;
  const h = studentTQuantile(0.975, n - 1) * (m.std / Math.sqrt(n));
  return [m.mean - h, m.mean + h];
};

const comparison = (r: PageReport, method: string): Comparison | undefined =>
  r.target.comparisons.find((c) => c.method === method && c.baseline === BASELINE);

/** docs/methods.md §6: A beats B when the Holm-corrected p < 0.05 with at least 5 seeds. */
const verdict = (c: Comparison): string => {
  if (c.nSeeds < 5) return `too few seeds to decide (${c.nSeeds}; §6 asks for ≥ 5)`;
  if (c.pHolm !== null && c.pHolm < 0.05) return 'better than fine-tuning';
  const flipped = c.ci95 !== null && c.ci95[1] < 0;
  return flipped ? 'worse than fine-tuning' : 'no significant difference';
};

/** The prior the page is about: kap in a run; in `kapri target`, the one prior the run was given. */
const headlinePrior = (r: PageReport): string | undefined => {
  const names = Object.keys(r.target.methods);
  return names.includes('kap')
    ? 'kap'
    : r.kind === 'target'
      ? names.find((n) => !(PLAIN_METHODS as readonly string[]).includes(n))
      : undefined;
};

/** The sentence above the table: the prior against fine-tuning, in words. */
const headline = (r: PageReport): string => {
  const prior = headlinePrior(r);
  const c = prior === undefined ? undefined : comparison(r, prior);
  if (!c) return '';
  const direction = r.target.higherIsBetter ? 'higher is better' : 'lower is better';
  const seeds = `${c.nSeeds} seed${c.nSeeds === 1 ? '' : 's'}`;
  const stats = c.ci95 ? `95% interval ${fmtInterval(c.ci95)}, Holm p ${fmtP(c.pHolm)}` : 'no interval or p-value';
  return `<p class="headline">Knowledge as priors (<b>${esc(c.method)}</b>) against fine-tuning on the target: <b>${esc(fmtDiff(c.meanDiff))}</b> ${esc(r.target.metric)} (paired over ${seeds}; ${esc(stats)}): <b>${esc(verdict(c))}</b>. Positive differences mean better (${direction}).</p>`;
};

const methodRow = (r: PageReport, name: string, m: MethodSummary, best: number): string => {
  const c = comparison(r, name);
  const ci = meanInterval(m);
  const strength = r.target.chosen[name]?.strength;
  const same = r.target.grid[name]?.find((g) => g.strength === strength)?.sameAs;
  const note = same ? `equals ${same} at this strength (not re-run)` : (METHOD_NOTES[name] ?? '');
  const cells = [
    `<td class="name"><b>${esc(name)}</b> <small>${esc(note)}</small></td>`,
    `<td class="num${m.mean === best ? ' best' : ''}">${esc(fmtMetric(m.mean))}</td>`,
    `<td class="num ci">${esc(ci ? `[${fmtMetric(ci[0])}, ${fmtMetric(ci[1])}]` : '–')}</td>`,
    `<td class="num">${name === BASELINE ? 'baseline' : esc(c ? fmtDiff(c.meanDiff) : '–')}</td>`,
    `<td class="num ci">${esc(c ? fmtInterval(c.ci95) : '–')}</td>`,
    `<td class="num">${esc(c ? fmtP(c.pHolm) : '–')}</td>`,
    `<td class="num">${esc(strength === undefined ? '–' : `λ = ${fmtParam(strength)}`)}</td>`,
    `<td class="num">${esc(fmtMetric(r.target.validation[name]?.mean))}</td>`,
  ];
  return `<tr>${cells.join('')}</tr>`;
};

/** The methods table. */
export const methodsTable = (r: PageReport): string => {
  const entries = Object.entries(r.target.methods);
  const means = entries.map(([, m]) => m.mean);
  const best = r.target.higherIsBetter ? Math.max(...means) : Math.min(...means);
  const metric = esc(r.target.metric);
  return `<table id="methods-table"><thead><tr><th>method</th><th>test ${metric}<br>mean</th><th>95%<br>interval</th><th>Δ vs fine-<br>tuning, paired</th><th>95%<br>interval</th><th>p (Holm,<br>one-sided)</th><th>strength, chosen<br>on validation</th><th>validation<br>${metric} mean</th></tr></thead><tbody>${entries
    .map(([name, m]) => methodRow(r, name, m, best))
    .join('')}</tbody></table>`;
};

/** The per-seed paired differences to fine-tuning, one row per method. */
export const pairedDifferencesFigure = async (r: PageReport): Promise<string> => {
  const rows = Object.keys(r.target.methods)
    .filter((m) => m !== BASELINE)
    .flatMap((m) => {
      const c = comparison(r, m);
      return c ? [{ name: m, values: c.perSeed, mean: c.meanDiff, ci95: c.ci95 }] : [];
    });
  const svg = await dotChartSvg({
    title: `Paired difference to fine-tuning, per seed (target test ${r.target.metric})`,
    xTitle: `Δ ${r.target.metric} vs fine-tuning (> 0: better)`,
    rows,
    valid: differenceRange(r.target.metric),
    zeroLine: true,
  });
  return figure(
    'paired-differences',
    svg,
    `Circles: each seed's difference (the same seed, data and batches for both methods); black tick: the mean; line: its 95% interval${r.seeds.length < 2 ? ' (none with one seed)' : ''}; dashed: no difference.`,
    { x: differenceRange(r.target.metric) },
  );
};

/** Whether the meta-learned prior learned: the spread of its strengths and its outer loss, first → last. */
const priorLine = (r: PageReport): string => {
  if (!r.priors) return '';
  const k = r.priors.kap;
  const g = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : '–');
  return `<p>The KaP prior: spread of the learned strengths (90th / 10th percentile) ${esc(g(k.phiSpread))}; outer loss ${esc(g(k.outerLossFirst))} (first quarter of the meta steps) → ${esc(g(k.outerLossLast))} (last quarter); median meta-gradient norm ${esc(g(k.metaGradNorm))}.</p>`;
};

/** The whole first-screen section. */
export const methodsSection = async (r: PageReport): Promise<string> =>
  `<section id="methods"><h2>Did knowledge as priors help? <small>target, ${r.target.labelled} labelled samples, test split, ${r.seeds.length} seed${r.seeds.length === 1 ? '' : 's'}</small></h2>
${headline(r)}
<div class="first">${methodsTable(r)}${await pairedDifferencesFigure(r)}</div>
${priorLine(r)}</section>`;
