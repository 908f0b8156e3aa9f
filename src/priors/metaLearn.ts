/**
 * Learning the KaP prior on the source (METHODS.md §2), alternating with CMKD steps on θ:
 *   1. inner, teacherless as on the target: θ′ = θ − α ∇_θ [L_task(θ; x_w, y) + R_φ(θ)]
 *   2. outer: φ ← φ − β ∂L_meta(θ′)/∂φ,  L_meta = L_CMKD on a held-out source batch
 *   3. CMKD step on θ, reusing ∇_{θ′} L_meta (first-order: the gradient at θ′ is applied at θ), so an
 *      iteration costs two gradient evaluations, as two CMKD steps would.
 * μ is θ_src when the state was created. The CMKD steps only move θ around θ_src so that g′(θ − μ)
 * is informative; θ is restored to θ_src at the end, so the student handed to the target is θ_src = μ.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';
import { silentProgress, type ProgressSink } from '../core/progress.js';
import type { BatchSource, SourceBatch } from '../distill/batches.js';
import { cmkdObjective, type CmkdParts } from '../distill/cmkd.js';
import { createOptimizer } from '../train/optimizer.js';
import { kapToPrior, metaGradient, type KapState } from './kapPrior.js';
import type { Prior } from './prior.js';

export interface MetaLearnOptions {
  readonly state: KapState;
  readonly parts: CmkdParts;
  /** Source batches for the teacherless inner step (weak modality and labels are used). */
  readonly innerBatches: BatchSource<SourceBatch>;
  /** Held-out source batches for the outer loss. */
  readonly metaBatches: BatchSource<SourceBatch>;
  readonly steps: number;
  /** Inner step size α. */
  readonly alpha: number;
  /** φ learning rate β (Adam). */
  readonly beta: number;
  /** Learning rate of the interleaved CMKD steps on θ (SGD). */
  readonly cmkdLr: number;
  readonly innerSteps?: number;
  readonly onProgress?: ProgressSink;
}

export interface MetaLearnResult {
  readonly prior: Prior;
  /** Outer loss per step, for plots. */
  readonly metaLosses: number[];
}

export const metaLearnPrior = async (o: MetaLearnOptions): Promise<MetaLearnResult> => {
  if (!Number.isInteger(o.steps) || o.steps < 1) throw kapriError('InvalidConfig', `meta-learning steps must be a positive integer, got ${o.steps}`);
  for (const [k, v] of [['beta', o.beta], ['cmkdLr', o.cmkdLr]] as const) {
    if (!Number.isFinite(v) || v <= 0) throw kapriError('InvalidConfig', `${k} must be > 0, got ${v}`);
  }
  const progress = o.onProgress ?? silentProgress;
  const s = o.state;
  const phiOpt = createOptimizer({ kind: 'adam' }, s.phi);
  const thetaSrc = s.theta.map((v) => tf.clone(v));
  const metaLosses: number[] = [];
  try {
    for (let step = 0; step < o.steps; step++) {
      const inner = o.innerBatches(step);
      const r = metaGradient(s, {
        alpha: o.alpha,
        ...(o.innerSteps !== undefined ? { innerSteps: o.innerSteps } : {}),
        innerLoss: () => {
          if (!inner.label) throw kapriError('InvalidData', `meta-learning needs labelled source batches for the inner step; batch ${step} has none`);
          const { output } = o.parts.student.forward([inner.weak], { training: true });
          return o.parts.losses.task(output, inner.label);
        },
        metaLoss: () => cmkdObjective(o.parts, o.metaBatches(step)),
      });
      tf.dispose([inner.weak, inner.superior, ...(inner.label ? [inner.label] : [])]);
      if (!Number.isFinite(r.metaLossValue)) {
        tf.dispose([...r.phiGrads, ...r.thetaGrads]);
        throw kapriError('NumericalError', `meta-learning: the outer loss became ${r.metaLossValue} at step ${step}; lower alpha or beta`, { step });
      }
      phiOpt.step(r.phiGrads, o.beta);
      tf.tidy(() => s.theta.forEach((v, i) => v.assign(tf.sub(v, tf.mul(r.thetaGrads[i]!, o.cmkdLr)))));
      tf.dispose([...r.phiGrads, ...r.thetaGrads]);
      metaLosses.push(r.metaLossValue);
      if ((step + 1) % Math.max(1, Math.floor(o.steps / 20)) === 0 || step === o.steps - 1) {
        progress({ stage: 'prior', step: step + 1, total: o.steps, message: `meta loss ${r.metaLossValue.toFixed(4)}` });
        await new Promise((res) => setTimeout(res, 0));
      }
    }
  } finally {
    s.theta.forEach((v, i) => v.assign(thetaSrc[i]!));
    tf.dispose(thetaSrc);
    phiOpt.dispose();
  }
  return { prior: kapToPrior(s, { alpha: o.alpha, beta: o.beta, steps: o.steps, innerSteps: o.innerSteps ?? 1 }), metaLosses };
};
