/**
 * The report of a finished run, assembled from the seeds' results: each prior's strength chosen on
 * the target validation split (equal tuning, docs/methods.md §6), every method compared with every other
 * paired over seeds, the first seed's deployment, curves and sweep. A pure function of its inputs.
 */
import { kapriError } from '../core/errors.js';
import { compareAll } from '../core/pairedStats.js';
import type { MetaLearnStats } from '../priors/metaLearn.js';
import type { Artifacts } from './artifacts.js';
import type { Config } from './config.js';
import type { GammaPoint } from './gammaSweep.js';
import { summarize, type Report } from './report.js';
import type { SeedResult } from './seedRun.js';
import { peakMemoryReport } from './jobMemory.js';
import { sumTimings, type Timings } from './stage.js';
import type { Dataset } from './userDataset.js';
import { isBetter } from './taskSpec.js';
import { priorMethods, targetMethods, type Method, type MethodResult } from './targetStage.js';

export interface ReportInputs {
  readonly config: Config;
  readonly seeds: readonly number[];
  /** In seed order; the first carries the deployment, curves and sweep. */
  readonly runs: readonly SeedResult[];
  readonly gammaSweep: GammaPoint[] | null;
  readonly versions: Report['versions'];
  /** Stages run once for the whole run (e.g. the γ sweep), added to the seeds' summed timings. */
  readonly timings: Timings;
  readonly totalS: number;
  readonly jobs: number;
  /** The user's dataset the run read, when it ran on one. */
  readonly dataset?: Dataset;
  readonly artifacts: Artifacts;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const byName = <A>(names: readonly string[], f: (m: string) => A): Record<string, A> =>
  Object.fromEntries(names.map((m) => [m, f(m)]));
const SOURCE_MODELS = ['teacher', 'studentNoKd', 'studentKd'] as const;
type SourceModel = (typeof SOURCE_MODELS)[number];

/** One seed's target results: by method, one per strength. */
export interface SeedTargetResults {
  readonly seed: number;
  readonly target: Readonly<Record<Method, MethodResult[]>>;
}

/**
 * Every seed's results of one target method, by seed then strength. A seed without the method ran on
 * a worker thread, which sees the built-in registrations only: a family registered at run time in this
 * thread needs jobs 1.
 */
const seedResults = (runs: readonly SeedTargetResults[], m: Method): MethodResult[][] =>
  runs.map((r) => {
    const rs = r.target[m];
    if (!rs)
      throw kapriError(
        'Unsupported',
        `seed ${r.seed} has no results for the target method '${m}': a prior family registered at run time is not seen by seed worker threads; run it with jobs 1`,
        { seed: r.seed, method: m },
      );
    return rs;
  });

/**
 * Equal tuning (docs/methods.md §6): the index of the strength with the best mean target-validation metric
 * over the seeds (results by seed, then strength), from the same grid for every prior.
 */
export const chosenStrength = (bySeed: readonly MethodResult[][], higherIsBetter: boolean): number => {
  const perStrength = bySeed[0]!.map((_, j) => mean(bySeed.map((seedRs) => seedRs[j]!.val)));
  return perStrength.reduce((bi, v, j) => (isBetter(v, perStrength[bi]!, higherIsBetter) ? j : bi), 0);
};

/** The target section of a report (test, validation, chosen strengths, grid, comparisons) and the first seed's curves. */
export interface TargetSummary {
  readonly section: Omit<Report['target'], 'metric' | 'higherIsBetter' | 'labelled'>;
  readonly curves: Record<string, Report['curves']['target'][string]>;
}

/**
 * Summarises the target methods over seeds (results by seed, then method, then strength): each prior's
 * strength chosen by equal tuning, every method paired with every other. A full run and `kapri target`
 * report their target stage the same way.
 */
export const summarizeTarget = (
  bySeed: readonly SeedTargetResults[],
  methods: readonly Method[],
  priors: readonly Method[],
  higher: boolean,
): TargetSummary => {
  const results = byName(methods, (m) => seedResults(bySeed, m));
  const chosen = byName(methods, (m) => chosenStrength(results[m]!, higher));
  const at = (m: Method) => results[m]!.map((seedRs) => seedRs[chosen[m]!]!);
  const firstAt = (m: Method) => results[m]![0]![chosen[m]!]!;
  const byMethod = <A>(f: (m: Method) => A) => byName(methods, f);
  const tgt = byMethod((m) => at(m).map((r) => r.score));
  const tgtVal = byMethod((m) => at(m).map((r) => r.val));
  const pairs = methods.flatMap((m) => methods.filter((b) => b !== m).map((b) => [m, b] as const));
  const grid = byName(priors, (m) =>
    results[m]![0]!.map((r0, j) => ({
      strength: r0.strength!,
      val: mean(results[m]!.map((seedRs) => seedRs[j]!.val)),
      test: mean(results[m]!.map((seedRs) => seedRs[j]!.score)),
      ...(r0.sameAs ? { sameAs: r0.sameAs } : {}),
    })),
  );
  return {
    section: {
      methods: byMethod((m) => summarize(tgt[m]!)),
      validation: byMethod((m) => summarize(tgtVal[m]!)),
      chosen: byName(priors, (m) => ({ strength: firstAt(m).strength! })),
      grid,
      comparisons: compareAll(tgt, higher, pairs),
      details: byMethod((m) => firstAt(m).details),
    },
    curves: byMethod((m) => firstAt(m).curve),
  };
};

/** The report.json of the run (docs/contracts.md). */
export const assembleReport = (i: ReportInputs): Report => {
  const { config: c, runs } = i;
  const first = runs[0]!.first!;
  const data = first.data;
  const higher = runs[0]!.higherIsBetter;
  const bySeed = (f: (r: SeedResult) => Record<SourceModel, number>) =>
    Object.fromEntries(SOURCE_MODELS.map((k) => [k, runs.map((r) => f(r)[k])])) as Record<SourceModel, number[]>;
  const src = bySeed((r) => r.source.scores);
  const srcVal = bySeed((r) => r.source.validation);
  const target = summarizeTarget(runs, targetMethods(), priorMethods(), higher);
  const kapStats: MetaLearnStats[] = runs.map((r) => r.kapStats);
  const statMean = (k: keyof MetaLearnStats) => mean(kapStats.map((x) => x[k]));
  return {
    scenario: i.dataset ? data.name : c.scenario,
    ...(i.dataset ? { dataset: { manifest: i.dataset.manifest, files: [...i.dataset.files] } } : {}),
    seeds: [...i.seeds],
    preset: c.preset,
    config: c,
    versions: i.versions,
    source: {
      metric: data.metric,
      higherIsBetter: data.higherIsBetter,
      teacher: mean(src.teacher),
      studentNoKd: mean(src.studentNoKd),
      studentKd: mean(src.studentKd),
      perSeed: src,
      validation: srcVal,
      distill: runs.map(({ source: { distill } }) => ({ lambdaKd: distill.lambdaKd, lambdaFeat: distill.lambdaFeat })),
      distillCandidates: runs.map((r) => r.source.distill.candidates),
      stepsRun: runs.map((r) => r.source.stepsRun),
      comparisons: compareAll(src, higher, [['studentKd', 'studentNoKd']]),
    },
    target: {
      metric: data.metric,
      higherIsBetter: data.higherIsBetter,
      labelled: c.data.targetLabelled,
      ...target.section,
    },
    priors: {
      kap: {
        phiSpread: statMean('phiSpread'),
        metaGradNorm: statMean('metaGradNorm'),
        outerLossFirst: statMean('outerLossFirst'),
        outerLossLast: statMean('outerLossLast'),
        perSeed: kapStats,
      },
    },
    ...(i.gammaSweep ? { gammaSweep: i.gammaSweep } : {}),
    learningCurve: { sizes: [...c.data.sweep], seed: i.seeds[0]!, methods: first.sweep },
    compression: first.deploy.compression,
    deployment: first.deploy.deployment,
    artifacts: i.artifacts,
    ...(first.multiModal ? { multiModal: first.multiModal } : {}),
    latencyMeasuredOn: first.deploy.latencyMeasuredOn,
    curves: {
      source: first.sourceCurves,
      target: target.curves,
      kapMeta: first.kapMeta,
    },
    timings: {
      totalS: i.totalS,
      jobs: i.jobs,
      stages: sumTimings([...runs.map((r) => r.stages), i.timings]),
      peakMemoryMb: peakMemoryReport(runs.map((r) => r.peakMemoryMb)),
    },
    notes: [
      ...data.notes,
      ...(i.dataset
        ? [
            `the data is the manifest's; the config's 'scenario' (${c.scenario}) is not used, nor 'data.shift' (${c.data.shift}): the target is the manifest's as given`,
          ]
        : []),
      "model.kapri is the first seed's kap student at the strength best on that seed's target validation split, compressed as the plan of the first device (int8 when no device is planned); model-NAME.kapri is each device's plan",
      `prior.kprior is the first seed's kap prior at unit strength (the target stage scales it by the chosen λ), with its student's architecture and task; student.kparams is the distilled student θ_src${data.givenTeacher ? '' : ' and teacher.kparams the teacher'} (kapri target --prior --student trains a new target from them)`,
      ...(data.givenTeacher
        ? [
            `the teacher is the manifest's teacherOutputs (${data.givenTeacher.outputs} outputs${data.givenTeacher.features > 0 ? ` and ${data.givenTeacher.features} features` : ''} per sample): it was not trained, its scores are those of the given outputs, and no fused multi-modal deployment is planned (there is no superior encoder)`,
          ]
        : []),
    ],
  };
};
