/**
 * The training loop every trainer uses: for `steps` steps, compute a loss and its gradients for the
 * given variables, refuse to apply a non-finite step (NumericalError naming the step: no NaN ever
 * reaches the weights), update with the optimizer at the scheduled learning rate, report progress,
 * and optionally validate, keep the best weights, and stop early.
 *
 * @example
 * const r = await trainLoop({ variables: model.variables, loss: (step) => batchLoss(step),
 *   config: { steps: 500, lr: 1e-3, optimizer: { kind: 'adam' } } });
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';
import { silentProgress, type ProgressSink } from '../core/progress.js';
import { createOptimizer, type OptimizerConfig } from './optimizer.js';
import { learningRateAt, type Schedule } from './schedule.js';

export interface TrainConfig {
  readonly steps: number;
  readonly lr: number;
  readonly optimizer: OptimizerConfig;
  readonly schedule?: Schedule;
  readonly weightDecay?: number;
  /** Validate every this many steps (and at the end) when `validate` is given. */
  readonly evalEvery?: number;
  /** Stop after this many validations without improvement (default: never). */
  readonly patience?: number;
}

export interface TrainOptions {
  readonly variables: readonly tf.Variable[];
  /**
   * Variables the loss updates without gradients (batch-norm running statistics): saved and restored
   * with the best weights, so that the restored model is the one that was validated.
   */
  readonly state?: readonly tf.Variable[];
  /** The loss of step `step` (the caller draws its seeded batch). Runs inside a gradient tape. */
  readonly loss: (step: number) => tf.Scalar;
  readonly config: TrainConfig;
  /** A validation metric; with `higherIsBetter`, the best weights are kept and restored at the end. */
  readonly validate?: () => number;
  readonly higherIsBetter?: boolean;
  readonly stage?: string;
  readonly onProgress?: ProgressSink;
}

export interface CurvePoint {
  readonly step: number;
  readonly loss: number;
  readonly val?: number;
}

export interface TrainResult {
  readonly stepsRun: number;
  readonly finalLoss: number;
  readonly bestVal: number | null;
  readonly bestStep: number | null;
  readonly stoppedEarly: boolean;
  /** Mean loss per validation interval (or per 10 steps without validation), for plots. */
  readonly curve: CurvePoint[];
}

const checkConfig = (c: TrainConfig): void => {
  if (!Number.isInteger(c.steps) || c.steps < 1)
    throw kapriError('InvalidConfig', `training steps must be a positive integer, got ${c.steps}`);
  if (!Number.isFinite(c.lr) || c.lr <= 0)
    throw kapriError('InvalidConfig', `learning rate must be a finite number > 0, got ${c.lr}`);
  if (c.evalEvery !== undefined && (!Number.isInteger(c.evalEvery) || c.evalEvery < 1))
    throw kapriError('InvalidConfig', `evalEvery must be a positive integer, got ${c.evalEvery}`);
};

/** Runs the loop (async so that progress can be drawn between steps). */
export const trainLoop = async (o: TrainOptions): Promise<TrainResult> => {
  const c = o.config;
  checkConfig(c);
  const stage = o.stage ?? 'train';
  const progress = o.onProgress ?? silentProgress;
  const opt = createOptimizer(c.optimizer, o.variables, c.weightDecay ?? 0);
  const schedule = c.schedule ?? { kind: 'constant' };
  const evalEvery = c.evalEvery ?? Math.max(1, Math.floor(c.steps / 10));
  const higher = o.higherIsBetter ?? true;
  const tracked = [...o.variables, ...(o.state ?? [])];
  let best: { val: number; step: number; weights: tf.Tensor[] } | null = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  const curve: CurvePoint[] = [];
  let windowSum = 0;
  let windowN = 0;
  let lastLoss = Number.NaN;
  let step = 0;
  try {
    for (; step < c.steps; step++) {
      const { value, grads } = tf.variableGrads(() => o.loss(step), o.variables as tf.Variable[]);
      const lossValue = value.dataSync()[0]!;
      if (!Number.isFinite(lossValue)) {
        tf.dispose([value, ...Object.values(grads)]);
        throw kapriError(
          'NumericalError',
          `${stage}: the loss became ${lossValue} at step ${step} (learning rate ${learningRateAt(schedule, c.lr, step, c.steps).toExponential(2)}); no weights were updated with it. Lower the learning rate.`,
          { step, stage },
        );
      }
      opt.step(
        o.variables.map((v) => grads[v.name]),
        learningRateAt(schedule, c.lr, step, c.steps),
      );
      tf.dispose([value, ...Object.values(grads)]);
      lastLoss = lossValue;
      windowSum += lossValue;
      windowN++;
      const last = step === c.steps - 1;
      if ((step + 1) % evalEvery === 0 || last) {
        const point: { step: number; loss: number; val?: number } = { step: step + 1, loss: windowSum / windowN };
        windowSum = 0;
        windowN = 0;
        if (o.validate) {
          const val = o.validate();
          point.val = val;
          if (best === null || (higher ? val > best.val : val < best.val)) {
            if (best) tf.dispose(best.weights);
            best = { val, step: step + 1, weights: tracked.map((v) => tf.clone(v)) };
            sinceBest = 0;
          } else if (c.patience !== undefined && ++sinceBest >= c.patience) {
            stoppedEarly = true;
          }
        }
        curve.push(point);
        progress({
          stage,
          step: step + 1,
          total: c.steps,
          message: `loss ${point.loss.toFixed(4)}${point.val !== undefined ? ` val ${point.val.toFixed(4)}` : ''}`,
        });
        await new Promise((r) => setTimeout(r, 0));
        if (stoppedEarly) {
          step++;
          break;
        }
      }
    }
    if (best) {
      const b = best;
      tracked.forEach((v, i) => v.assign(b.weights[i]!));
    }
  } finally {
    opt.dispose();
    if (best) tf.dispose(best.weights);
  }
  return {
    stepsRun: step,
    finalLoss: lastLoss,
    bestVal: best?.val ?? null,
    bestStep: best?.step ?? null,
    stoppedEarly,
    curve,
  };
};
