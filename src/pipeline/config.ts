/**
 * The run configuration, decoded with io-ts. Errors name the path of the bad field and what was
 * expected; unknown keys are refused (a typo must not be silently ignored). A user's file is a
 * partial config laid over the chosen preset.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { fail, type KapriError } from '../core/errors.js';
import { priorRegistry } from '../priors/registry.js';
import { scenarioRegistry } from '../scenarios/registry.js';
import { SHIFT_MAX } from '../scenarios/targetShift.js';
import { registryKey } from './registryKey.js';

/** An integer in [1, max]: the upper bounds keep a run finite and its allocations sane. */
const countUpTo = (max: number) =>
  t.refinement(t.number, (n) => Number.isInteger(n) && n > 0 && n <= max, `a positive integer (at most ${max})`);
const stepCount = countUpTo(1_000_000);
const seedCount = countUpTo(1000);
const widthCount = countUpTo(1024);
const sampleCount = countUpTo(10_000_000);
const batchCount = countUpTo(65_536);
const nonNegative = t.refinement(t.number, (n) => Number.isFinite(n) && n >= 0 && n <= 1e6, 'a number in [0, 1e6]');
const positive = t.refinement(t.number, (n) => Number.isFinite(n) && n > 0 && n <= 1e6, 'a number in (0, 1e6]');
const probability = t.refinement(t.number, (n) => n > 0 && n <= 1, 'a number in (0, 1]');
const unitInterval = t.refinement(t.number, (n) => n >= 0 && n <= 1, 'a number in [0, 1]');
const shiftScale = t.refinement(
  t.number,
  (n) => Number.isFinite(n) && n >= 0 && n <= SHIFT_MAX,
  `a number in [0, ${SHIFT_MAX}] (the scale of the scenario's source → target shift: 1 = the stated target, 0 = the source's distribution)`,
);
/** A non-empty list of at most 16 candidates (a grid searched on a validation split). */
const grid = <C extends t.Mixed>(c: C, what: string) =>
  t.refinement(t.array(c), (xs) => xs.length >= 1 && xs.length <= 16, `a list of 1 to 16 ${what}`);

/** A registered scenario (src/scenarios/registry.ts): the embedded five and any registered since. */
export const ScenarioName = registryKey(scenarioRegistry);
export const PresetName = t.keyof(
  { quick: null, default: null, paper: null, full: null },
  'quick | default | paper | full',
);
/** A registered prior family (src/priors/registry.ts), e.g. one of the target stage's prior methods. */
export const PriorFamilyName = registryKey(priorRegistry);

const Training = t.type(
  {
    width: widthCount,
    /** Encoder stages after the stem (each halves the resolution and doubles the channels). */
    depth: countUpTo(4),
    /** The cap on steps; training stops earlier when validation stops improving. */
    steps: stepCount,
    lr: positive,
    batchSize: batchCount,
    /** Validations (10 over the cap) without improvement before training stops. */
    patience: countUpTo(100),
  },
  'training',
);

export const Config = t.type(
  {
    scenario: ScenarioName,
    preset: PresetName,
    seed: t.refinement(t.number, Number.isInteger, 'an integer'),
    seeds: seedCount,
    devices: t.array(t.string, 'a list of device names or JSON files'),
    data: t.type(
      {
        sourceTrain: sampleCount,
        sourceLabelled: sampleCount,
        targetLabelled: sampleCount,
        targetTest: sampleCount,
        sweep: t.array(sampleCount, 'a list of labelled-set sizes'),
        // hands only: 'wrist' removes the target's label-root shift (an ablation, README).
        handsTargetRoot: t.keyof({ palm: null, wrist: null }, 'palm | wrist'),
        // gauss only: the share γ of decisive features that are modality-general (Modality Focusing Hypothesis).
        gamma: unitInterval,
        // gauss only: the γ values at which the source stage also runs, to report the KD gain against γ.
        gammaSweep: t.array(unitInterval, 'a list of numbers in [0, 1]'),
        // Embedded scenarios: the scale of the stated source → target shift (src/scenarios/targetShift.ts);
        // a manifest's data (kapri run --data) ignores it.
        shift: shiftScale,
      },
      'data',
    ),
    teacher: Training,
    student: Training,
    distill: t.type(
      {
        temperature: positive,
        // Candidates: every (lambdaKd, lambdaFeat) pair is trained and the best on the source validation split is kept.
        lambdaKd: grid(nonNegative, 'numbers in [0, 1e6]'),
        lambdaFeat: grid(nonNegative, 'numbers in [0, 1e6]'),
        projection: t.keyof({ linear: null, lowRank: null }, 'linear | lowRank'),
        rank: countUpTo(4096),
      },
      'distill',
    ),
    prior: t.type(
      {
        layers: t.array(t.string, 'a list of parameter path prefixes'),
        // One grid for every prior's strength λ (its mean per-parameter weight is λ/2), chosen on the target validation split.
        strengths: grid(positive, 'numbers in (0, 1e6]'),
        fisherBatches: countUpTo(10_000),
        kap: t.type(
          {
            form: t.keyof({ gaussian: null, laplace: null }, 'gaussian | laplace'),
            mu: t.keyof({ source: null, zero: null }, 'source | zero'),
            granularity: t.keyof({ parameter: null, tensor: null }, 'parameter | tensor'),
            initWeight: positive,
            alpha: positive,
            beta: positive,
            steps: stepCount,
            innerSteps: countUpTo(100),
            // The teacherless trajectories episodes are taken on: this many steps from θ_src, then back to θ_src.
            episode: stepCount,
            // Labelled source pairs the teacherless trajectories train on (the target's scarcity, simulated).
            subset: sampleCount,
          },
          'kap',
        ),
      },
      'prior',
    ),
    target: t.type({ steps: stepCount, lr: positive, batchSize: batchCount, patience: countUpTo(100) }, 'target'),
    compress: t.type(
      {
        calibration: t.keyof({ minmax: null, percentile: null, mse: null }, 'minmax | percentile | mse'),
        percentile: t.refinement(t.number, (n) => n > 50 && n <= 100, 'a number in (50, 100]'),
        calibrationSamples: sampleCount,
        mixedBytesRatio: probability,
        pruneSparsity: t.refinement(t.number, (n) => n > 0 && n < 1, 'a number in (0, 1)'),
      },
      'compress',
    ),
  },
  'Config',
);
export type Config = t.TypeOf<typeof Config>;

/** Every key the decoder knows, by path, to refuse unknown ones. */
const knownKeys = (codec: t.Mixed, prefix: string, out: Set<string>): void => {
  const props = (codec as unknown as { props?: Record<string, t.Mixed> }).props;
  if (!props) return;
  for (const [k, c] of Object.entries(props)) {
    const path = prefix ? `${prefix}.${k}` : k;
    out.add(path);
    knownKeys(c, path, out);
  }
};
const KNOWN = (() => {
  const s = new Set<string>();
  knownKeys(Config, '', s);
  return s;
})();

const unknownKeys = (x: unknown, prefix = ''): string[] => {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return [];
  return Object.entries(x).flatMap(([k, v]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    return KNOWN.has(path) ? unknownKeys(v, path) : [path];
  });
};

const describeValue = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** Decodes a full config; the first error names its path and what was expected. */
export const decodeConfig = (x: unknown, source = 'config'): E.Either<KapriError, Config> => {
  const extra = unknownKeys(x);
  if (extra.length > 0)
    return fail('InvalidConfig', `${source}: unknown key${extra.length > 1 ? 's' : ''} ${extra.join(', ')}`);
  const r = Config.decode(x);
  if (E.isRight(r)) return E.right(r.right);
  const err = r.left[0]!;
  const path = err.context
    .map((c) => c.key)
    .filter((k) => k !== '')
    .join('.');
  const expected = err.context[err.context.length - 1]!.type.name;
  return fail(
    'InvalidConfig',
    `${source}: '${path}' must be ${expected}, got ${describeValue(err.value)}${err.message ?? ''}`,
    {
      path,
    },
  );
};

/** Lays `over` onto `base` (objects merged key by key, anything else replaced). */
export const deepMerge = (base: unknown, over: unknown): unknown => {
  if (
    typeof base !== 'object' ||
    base === null ||
    Array.isArray(base) ||
    typeof over !== 'object' ||
    over === null ||
    Array.isArray(over)
  )
    return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out;
};
