/**
 * The alignments that stand in for a skipped encoder: closed-form ridge fits between the float
 * features of every source training pair, judged by R² on the validation pairs.
 */
import { fitLinearAlignment, rSquared } from '../../compress/alignmentFit.js';
import { refGemmF32 } from '../../kernels/reference/f32.js';
import type { AlignmentProjection } from '../../runtime/alignment.js';
import type { MultiModalReport, PerSlot } from './types.js';

/** `x · W + b` for n rows of a linear alignment (the float reference of what the kernels run). */
export const project = (p: AlignmentProjection, x: Float32Array, n: number): Float32Array =>
  refGemmF32(x, p.w!, { m: n, k: p.inDim, n: p.outDim }, p.bias);

/** `align[m]` maps the other slot's feature to m's, fitted on n paired rows of features. */
export const fitAlignments = (f: PerSlot<Float32Array>, n: number): PerSlot<AlignmentProjection> => ({
  superior: fitLinearAlignment(f.weak, f.superior, { from: 'weak', to: 'superior', n }),
  weak: fitLinearAlignment(f.superior, f.weak, { from: 'superior', to: 'weak', n }),
});

/** R² of each substituted feature against the real one, over n paired rows (e.g. validation). */
export const alignmentR2Of = (
  align: PerSlot<AlignmentProjection>,
  f: PerSlot<Float32Array>,
  n: number,
): MultiModalReport['alignmentR2'] => ({
  weakToSuperior: rSquared(project(align.superior, f.weak, n), f.superior, align.superior.outDim),
  superiorToWeak: rSquared(project(align.weak, f.superior, n), f.weak, align.weak.outDim),
});

/** Floats an alignment stores (W and b): its bytes on the device are four times this. */
export const alignmentFloats = (p: AlignmentProjection): number => p.w!.length + p.bias.length;
