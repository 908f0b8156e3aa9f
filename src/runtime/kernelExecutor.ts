/**
 * Runs a decoded QModel on the WebAssembly SIMD kernels. Everything is planned at load: weights
 * packed into the arena once (int4 sections stay int4), every activation tensor given an arena
 * buffer, buffers whose tensors are dead reused by later ones (first fit over the op order), and one
 * padded-input scratch, the largest any conv needs, shared by all of them.
 * An inference copies the input in, runs the kernels and copies the outputs out; it allocates
 * nothing in the arena. Results are bit-exact with the JS reference executor.
 *
 * @example
 * const kernels = await loadKernels();
 * const exe = createKernelExecutor(model, kernels);
 * const { output } = exe.run(new Float32Array(32 * 32 * 3));
 * exe.dispose();
 */
import * as E from 'fp-ts/lib/Either.js';
import { kapriError } from '../core/errors.js';
import type { Region } from '../kernels/arena.js';
import type { KernelModule } from '../kernels/loader.js';
import { checkRunner, serialRunner, type Runner } from '../kernels/parallel.js';
import {
  disposeQs8Conv2d,
  planQs8Conv2d,
  qs8ConvScratchBytes,
  runQs8Conv2dAt,
  type Qs8ConvPlan,
} from '../kernels/qs8Conv.js';
import {
  disposeQs8Depthwise,
  planQs8Depthwise,
  qs8DepthwiseScratchBytes,
  runQs8DepthwiseAt,
  type Qs8DepthwisePlan,
} from '../kernels/qs8Depthwise.js';
import { qs8AddAt, qs8AvgPoolAt, qs8MaxPoolAt } from '../kernels/qs8Pool.js';
import { dequantizeS8At, quantizeF32At } from '../kernels/qs8Quantize.js';
import type { Executor } from './executor.js';
import { addQuantOf, geometryOf, poolGeometryOf, poolQuantOf, weightSpecOf } from './kernelSpecs.js';
import type { QModel, QOp, QTensor } from './qmodelTypes.js';
import { decodeQModel } from './qmodelFile.js';
import { checkRunOptions, runGuard, type RunOptions } from './runGuard.js';

/** An executor on the kernels; `dispose` returns its arena regions. */
export interface KernelExecutor extends Executor {
  /** Bytes of packed weights in the arena. */
  readonly weightBytes: number;
  /** Bytes of the activation buffers (after reuse) and of the shared conv input scratch. */
  readonly activationBytes: number;
  /** Activation buffers planned for the model's tensors (fewer than the tensors when reused). */
  readonly activationBuffers: number;
  readonly kernels: KernelModule;
  dispose(): void;
}

/** Options of {@link createKernelExecutor}; the run options bound every inference. */
export interface KernelExecutorOptions extends RunOptions {
  /** How kernel calls are split (a thread pool over the threads build, of this module); default one thread. */
  readonly runner?: Runner;
}

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const bytesOf = (t: QTensor): number => size(t.shape) * (t.dtype === 'f32' ? 4 : 1);

type Step = () => void;

/**
 * Plans a model on a kernel module (see the file comment). A `runner` must belong to `k`
 * (`InvalidArgument` otherwise): one of another module would write into that module's memory.
 */
export const createKernelExecutor = (
  model: QModel,
  k: KernelModule,
  options: KernelExecutorOptions = {},
): KernelExecutor => {
  const defaults = checkRunOptions(options);
  const runner = options.runner ?? serialRunner(k);
  checkRunner(k, runner);
  const byName = new Map(model.header.tensors.map((t) => [t.name, t]));
  const tensor = (n: string): QTensor => byName.get(n)!;
  const ops = model.header.ops;
  const inName = model.header.inputs[0]!;
  const outputs = model.header.outputs;

  // Liveness: the last op reading each tensor; outputs and the input live throughout.
  const lastUse = new Map<string, number>();
  ops.forEach((op, i) => op.inputs.forEach((n) => lastUse.set(n, i)));
  for (const n of [inName, ...outputs]) lastUse.set(n, Infinity);

  const owned: Region[] = [];
  const convPlans: Qs8ConvPlan[] = [];
  const dwPlans: Qs8DepthwisePlan[] = [];
  const free: Region[] = [];
  const buffers = new Map<string, Region>();
  let activationBytes = 0;
  let activationBuffers = 0;
  const bufferFor = (name: string): Region => {
    const need = Math.max(bytesOf(tensor(name)), 1);
    const i = free.findIndex((r) => r.bytes >= need);
    if (i >= 0) return free.splice(i, 1)[0]!;
    const r = k.arena.alloc(need);
    owned.push(r);
    activationBytes += r.bytes;
    activationBuffers++;
    return r;
  };

  const release = () => {
    for (const p of convPlans) disposeQs8Conv2d(k, p);
    for (const p of dwPlans) disposeQs8Depthwise(k, p);
    for (const r of owned) k.arena.free(r);
    convPlans.length = 0;
    dwPlans.length = 0;
    owned.length = 0;
  };

  const steps: Step[] = [];
  let scratch: Region | null = null;
  try {
    // Kernels run one at a time, so one padded-input scratch, the largest any of them needs, serves all.
    const scratchBytes = ops.reduce((m, op) => {
      if (op.op !== 'conv2d' && op.op !== 'dense' && op.op !== 'depthwise3x3') return m;
      const g = geometryOf(op, tensor(op.inputs[0]!));
      return Math.max(m, op.op === 'depthwise3x3' ? qs8DepthwiseScratchBytes(g) : qs8ConvScratchBytes(g));
    }, 0);
    if (scratchBytes > 0) {
      scratch = k.arena.alloc(scratchBytes);
      owned.push(scratch);
      activationBytes += scratch.bytes;
    }
    buffers.set(inName, bufferFor(inName));
    ops.forEach((op, i) => {
      const region = bufferFor(op.output);
      buffers.set(op.output, region);
      steps.push(planStep(op, region));
      for (const n of new Set(op.inputs)) {
        if (lastUse.get(n) === i) free.push(buffers.get(n)!);
      }
    });
  } catch (e) {
    release();
    throw e;
  }

  function planStep(op: QOp, y: Region): Step {
    const x = (j = 0): Region => buffers.get(op.inputs[j]!)!;
    const xt = tensor(op.inputs[0]!);
    const yt = tensor(op.output);
    switch (op.op) {
      case 'quantize': {
        const n = size(yt.shape);
        const q = yt.quant!;
        const rx = x();
        return () => quantizeF32At(k, rx, y, n, q);
      }
      case 'dequantize': {
        const n = size(xt.shape);
        const q = xt.quant!;
        const rx = x();
        return () => dequantizeS8At(k, rx, y, n, q);
      }
      case 'conv2d':
      case 'dense':
      case 'depthwise3x3': {
        const w = weightSpecOf(model, op, xt, yt);
        const rx = x();
        const lent = { scratch: scratch! };
        if (w.kind === 'depthwise') {
          const plan = planQs8Depthwise(k, w.spec, lent);
          dwPlans.push(plan);
          return () => runQs8DepthwiseAt(k, plan, rx, y, runner);
        }
        const plan = planQs8Conv2d(k, w.spec, lent);
        convPlans.push(plan);
        return () => runQs8Conv2dAt(k, plan, rx, y, runner);
      }
      case 'maxPool':
      case 'avgPool':
      case 'globalAvgPool': {
        const g = poolGeometryOf(op, xt);
        const rx = x();
        if (op.op === 'maxPool') return () => qs8MaxPoolAt(k, g, rx, y, runner);
        const q = poolQuantOf(xt, yt);
        return () => qs8AvgPoolAt(k, g, q, rx, y, runner);
      }
      case 'add': {
        const q = addQuantOf(op, xt, tensor(op.inputs[1]!), yt);
        const n = size(yt.shape);
        const ra = x(0);
        const rb = x(1);
        return () => qs8AddAt(k, q, ra, rb, y, n, runner);
      }
    }
  }

  const inTensor = tensor(inName);
  const inSize = size(inTensor.shape);
  const inRegion = buffers.get(inName)!;
  const weightBytes = convPlans.reduce((a, p) => a + p.packedBytes, 0) + dwPlans.reduce((a, p) => a + p.packedBytes, 0);
  let disposed = false;
  return {
    model,
    kernels: k,
    inputShape: inTensor.shape,
    weightBytes,
    activationBytes,
    activationBuffers,
    run(input, batch = 1, runOptions) {
      if (disposed) throw kapriError('InvalidArgument', 'this executor has been disposed');
      if (!(input instanceof Float32Array)) throw kapriError('InvalidShape', 'the model input must be a Float32Array');
      if (!Number.isInteger(batch) || batch < 1 || input.length !== batch * inSize) {
        throw kapriError(
          'InvalidShape',
          `the input must hold ${batch} × ${inSize} floats ([${inTensor.shape.join(', ')}] per sample), got ${input.length}`,
        );
      }
      const guard = runGuard(runOptions, defaults);
      const outs: Record<string, Float32Array> = {};
      for (const name of outputs) outs[name] = new Float32Array(batch * size(tensor(name).shape));
      for (let i = 0; i < batch; i++) {
        k.arena.f32(inRegion, inSize).set(input.subarray(i * inSize, (i + 1) * inSize));
        steps.forEach((step, s) => {
          guard?.(i * steps.length + s, batch * steps.length);
          step();
        });
        for (const name of outputs) {
          const t = tensor(name);
          const n = size(t.shape);
          const r = buffers.get(name)!;
          outs[name]!.set(t.dtype === 'f32' ? k.arena.f32(r, n) : Float32Array.from(k.arena.i8(r, n)), i * n);
        }
      }
      return outs;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      release();
    },
  };
};

/** Decodes bytes and plans them on the kernels; a bad file throws `CorruptModel`. */
export const kernelExecutorFromBytes = (
  bytes: Uint8Array,
  k: KernelModule,
  options: KernelExecutorOptions = {},
): KernelExecutor => {
  const r = decodeQModel(bytes);
  if (E.isLeft(r)) throw r.left;
  return createKernelExecutor(r.right, k, options);
};
