/**
 * The run configuration, decoded with io-ts. Errors name the path of the bad field and what was
 * expected; unknown keys are refused (a typo must not be silently ignored). A user's file is a
 * partial config laid over the chosen preset.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { fail, type KapriError } from '../core/errors.js';

const positiveInt = t.refinement(t.number, (n) => Number.isInteger(n) && n > 0, 'a positive integer');
const nonNegative = t.refinement(t.number, (n) => Number.isFinite(n) && n >= 0, 'a number ≥ 0');
const positive = t.refinement(t.number, (n) => Number.isFinite(n) && n > 0, 'a number > 0');
const probability = t.refinement(t.number, (n) => n > 0 && n <= 1, 'a number in (0, 1]');

export const ScenarioName = t.keyof({ hands: null, physio: null, actions: null, cardio: null, gauss: null }, 'hands | physio | actions | cardio | gauss');
export const PresetName = t.keyof({ quick: null, default: null, full: null }, 'quick | default | full');
export const PriorFamilyName = t.keyof({ l2sp: null, fisher: null, kap: null }, 'l2sp | fisher | kap');

const Training = t.type({ width: positiveInt, steps: positiveInt, lr: positive, batchSize: positiveInt }, 'training');

export const Config = t.type(
  {
    scenario: ScenarioName,
    preset: PresetName,
    seed: t.refinement(t.number, Number.isInteger, 'an integer'),
    seeds: positiveInt,
    devices: t.array(t.string, 'a list of device names or JSON files'),
    data: t.type(
      {
        sourceTrain: positiveInt,
        sourceLabelled: positiveInt,
        targetLabelled: positiveInt,
        targetTest: positiveInt,
        sweep: t.array(positiveInt, 'a list of labelled-set sizes'),
        // hands only: 'wrist' removes the target's label-root shift (an ablation, README).
        handsTargetRoot: t.keyof({ palm: null, wrist: null }, 'palm | wrist'),
      },
      'data',
    ),
    teacher: Training,
    student: Training,
    distill: t.type(
      {
        temperature: positive,
        lambdaKd: nonNegative,
        lambdaFeat: nonNegative,
        projection: t.keyof({ linear: null, lowRank: null }, 'linear | lowRank'),
        rank: positiveInt,
      },
      'distill',
    ),
    prior: t.type(
      {
        layers: t.array(t.string, 'a list of parameter path prefixes'),
        l2spLambda: nonNegative,
        fisherLambda: nonNegative,
        fisherBatches: positiveInt,
        kap: t.type(
          {
            form: t.keyof({ gaussian: null, laplace: null }, 'gaussian | laplace'),
            mu: t.keyof({ source: null, zero: null }, 'source | zero'),
            granularity: t.keyof({ parameter: null, tensor: null }, 'parameter | tensor'),
            initWeight: positive,
            alpha: positive,
            beta: positive,
            steps: positiveInt,
            innerSteps: positiveInt,
          },
          'kap',
        ),
      },
      'prior',
    ),
    target: t.type({ steps: positiveInt, lr: positive, batchSize: positiveInt }, 'target'),
    compress: t.type(
      {
        calibration: t.keyof({ minmax: null, percentile: null, mse: null }, 'minmax | percentile | mse'),
        percentile: t.refinement(t.number, (n) => n > 50 && n <= 100, 'a number in (50, 100]'),
        calibrationSamples: positiveInt,
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
  if (extra.length > 0) return fail('InvalidConfig', `${source}: unknown key${extra.length > 1 ? 's' : ''} ${extra.join(', ')}`);
  const r = Config.decode(x);
  if (E.isRight(r)) return E.right(r.right);
  const err = r.left[0]!;
  const path = err.context.map((c) => c.key).filter((k) => k !== '').join('.');
  const expected = err.context[err.context.length - 1]!.type.name;
  return fail('InvalidConfig', `${source}: '${path}' must be ${expected}, got ${describeValue(err.value)}`, { path });
};

/** Lays `over` onto `base` (objects merged key by key, anything else replaced). */
export const deepMerge = (base: unknown, over: unknown): unknown => {
  if (typeof base !== 'object' || base === null || Array.isArray(base) || typeof over !== 'object' || over === null || Array.isArray(over)) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out;
};
