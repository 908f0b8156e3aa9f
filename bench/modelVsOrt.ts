/**
 * The end-to-end ratios against onnxruntime (`summary.modelVsOrtWeb`, `summary.modelVsOrtNode`):
 * onnxruntime median ms ÷ kapri median ms on the same model and thread count, geometric mean over
 * the models. Computed from the rows alone, so that it is tested on synthetic rows, not timings.
 */
import type { BenchCase } from './benchCase.js';
import { geomean } from './measure.js';

/** A peer runtime: its row impl prefix (thread count appended: `onnxruntime-node-int8-2t`). */
export type OrtPeer = 'onnxruntime-web' | 'onnxruntime-node';

/** The peers in row order. */
export const ORT_PEERS: readonly OrtPeer[] = ['onnxruntime-web', 'onnxruntime-node'];

/** A peer row's impl: `onnxruntime-web-int8-1t`. */
export const ortImpl = (peer: OrtPeer, threads: number): string => `${peer}-int8-${threads}t`;

/** The op of every end-to-end model row. */
export const MODEL_OP = 'model_int8';

/** Kapri's row impl on a thread count: `kapri-int8-2t`. */
export const kapriImpl = (threads: number): string => `kapri-int8-${threads}t`;

/**
 * The ratio of `peer` to kapri on `threads` threads over the models of `cases` (rows of op
 * `model_int8`): null unless every model has both rows (a ratio this run did not measure in full is
 * not reported).
 */
export const modelVsOrt = (cases: readonly BenchCase[], peer: OrtPeer, threads: number): number | null => {
  const rows = cases.filter((c) => c.op === MODEL_OP);
  const models = [...new Set(rows.map((c) => c.shape))];
  const ms = (shape: string, impl: string) => rows.find((c) => c.shape === shape && c.impl === impl)?.msMedian;
  const ratios: number[] = [];
  for (const m of models) {
    const k = ms(m, kapriImpl(threads));
    const o = ms(m, ortImpl(peer, threads));
    if (k === undefined || o === undefined || !(k > 0) || !(o > 0)) return null;
    ratios.push(o / k);
  }
  return ratios.length > 0 ? geomean(ratios) : null;
};

/** The summary fields of the model rows, named as `conv2dInt8VsTfjsF32` and its two variants are. */
export interface ModelVsOrtSummary {
  /** On `threads` threads when the multi-thread rows ran, else on one. */
  readonly modelVsOrtWeb: number | null;
  readonly modelVsOrtWebOneThread: number | null;
  /** On `threads` threads (2 on a 2-core machine); null when no multi-thread rows ran. */
  readonly modelVsOrtWebPooled: number | null;
  readonly modelVsOrtNode: number | null;
  readonly modelVsOrtNodeOneThread: number | null;
  readonly modelVsOrtNodePooled: number | null;
}

/**
 * The six fields from the rows; `threads` is the bench's multi-thread count. The headline fields are
 * the pooled ones when kapri's multi-thread model rows ran, else the one-thread ones.
 */
export const modelVsOrtSummary = (cases: readonly BenchCase[], threads: number): ModelVsOrtSummary => {
  const pooledRan = threads > 1 && cases.some((c) => c.op === MODEL_OP && c.impl === kapriImpl(threads));
  const pair = (peer: OrtPeer) => {
    const one = modelVsOrt(cases, peer, 1);
    const pooled = pooledRan ? modelVsOrt(cases, peer, threads) : null;
    return { headline: pooledRan ? pooled : one, one, pooled };
  };
  const web = pair('onnxruntime-web');
  const node = pair('onnxruntime-node');
  return {
    modelVsOrtWeb: web.headline,
    modelVsOrtWebOneThread: web.one,
    modelVsOrtWebPooled: web.pooled,
    modelVsOrtNode: node.headline,
    modelVsOrtNodeOneThread: node.one,
    modelVsOrtNodePooled: node.pooled,
  };
};
