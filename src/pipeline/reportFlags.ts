/**
 * Results that flag themselves: patterns in a report that make its numbers mean less than they seem,
 * found from report.json alone, said on the first screen of report.html and in the CLI summary.
 */
import { metricRange } from './html/valueRange.js';
import type { PageReport } from './report.js';
import type { CurvePoint } from '../train/trainLoop.js';

export interface ReportFlag {
  readonly id: 'tie' | 'teacherBelowStudent' | 'ceiling' | 'oneSeed';
  readonly message: string;
}

const f3 = (v: number): string => v.toFixed(3);
const sameValues = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** The step whose validation metric the training kept (the first of equal bests), or null without validation. */
export const keptStep = (curve: readonly CurvePoint[], higherIsBetter: boolean): number | null => {
  let best: CurvePoint | null = null;
  for (const p of curve) {
    if (p.val === undefined || !Number.isFinite(p.val)) continue;
    if (best === null || (higherIsBetter ? p.val > best.val! : p.val < best.val!)) best = p;
  }
  return best?.step ?? null;
};

const firstValStep = (curve: readonly CurvePoint[]): number | null =>
  curve.find((p) => p.val !== undefined && Number.isFinite(p.val))?.step ?? null;

/** Methods that equal another by construction: a prior that is another method's at the chosen strength (grid `sameAs`). */
const sameByConstruction = (r: PageReport, method: string): string | undefined => {
  const strength = r.target.chosen[method]?.strength;
  return r.target.grid[method]?.find((g) => g.strength === strength)?.sameAs;
};

/** Groups of target methods whose test metric is identical on every seed (a method tied by construction left out, unless all tie). */
const exactTies = (r: PageReport): string[][] => {
  const groups: string[][] = [];
  for (const [name, m] of Object.entries(r.target.methods)) {
    const g = groups.find((g) => sameValues(r.target.methods[g[0]!]!.perSeed, m.perSeed));
    if (g) g.push(name);
    else groups.push([name]);
  }
  if (groups.length === 1) return groups;
  return groups
    .map((g) => g.filter((name) => !g.includes(sameByConstruction(r, name) ?? '')))
    .filter((g) => g.length > 1);
};

const tieFlag = (r: PageReport, group: string[]): ReportFlag => {
  const all = group.length === Object.keys(r.target.methods).length;
  const who = all ? `All ${group.length} target methods` : group.join(', ');
  const score = f3(r.target.methods[group[0]!]!.mean);
  const curves = group.map((m) => r.curves.target[m] ?? []);
  const kept = curves.map((c) => keptStep(c, r.target.higherIsBetter));
  const firsts = curves.map(firstValStep);
  const allFirst = kept.every((k, i) => k !== null && k === firsts[i]);
  const why = allFirst
    ? ` On the first seed every one of them kept its first validation checkpoint (step ${kept[0]}), so nothing that sets them apart reached the weights that were scored: validate later or train with a smaller learning rate before comparing them.`
    : ' Identical scores on every seed usually mean the methods ended in the same weights.';
  return {
    id: 'tie',
    message: `${who} score exactly the same (${r.target.metric} ${score}) on every seed: the comparison between them says nothing.${why}`,
  };
};

/** The teacher of the superior modality below the student it teaches, on the source test split. */
const teacherFlag = (r: PageReport): ReportFlag[] => {
  const s = r.source;
  if (!s) return [];
  const below = s.higherIsBetter ? s.teacher < s.studentNoKd : s.teacher > s.studentNoKd;
  if (!below) return [];
  return [
    {
      id: 'teacherBelowStudent',
      message: `The teacher (superior modality) scores ${s.metric} ${f3(s.teacher)} on the source test split, worse than the student trained alone on the weak modality (${f3(s.studentNoKd)}): the "superior" modality is not superior here, so distillation has nothing better to pass on and the prior learned from it should not be expected to help.`,
    },
  ];
};

/** Every model of a set at the best value the metric allows (the ceiling, or the floor of an error). */
const ceilingFlag = (r: PageReport): ReportFlag[] => {
  const [lo, hi] = metricRange(r.target.metric);
  const best = r.target.higherIsBetter ? hi : lo;
  if (best === null) return [];
  const values = Object.values(r.target.methods).flatMap((m) => m.perSeed);
  if (values.length === 0 || !values.every((v) => Math.abs(v - best) < 1e-9)) return [];
  return [
    {
      id: 'ceiling',
      message: `Every target method scores ${r.target.metric} ${f3(best)} on every seed, the metric's ${r.target.higherIsBetter ? 'ceiling' : 'floor'}: the task is too easy to tell the methods apart.`,
    },
  ];
};

const oneSeedFlag = (r: PageReport): ReportFlag[] =>
  r.seeds.length < 2
    ? [
        {
          id: 'oneSeed',
          message: `One seed: no 95% interval and no p-value; a difference between methods may be noise (docs/methods.md §6 asks for ≥ 5 seeds, e.g. --seeds 5).`,
        },
      ]
    : [];

/** Every flag a report raises, most serious first. */
export const reportFlags = (r: PageReport): ReportFlag[] => [
  ...ceilingFlag(r),
  ...exactTies(r).map((g) => tieFlag(r, g)),
  ...teacherFlag(r),
  ...oneSeedFlag(r),
];
