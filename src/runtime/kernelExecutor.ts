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
import { sizeOf } from '../core/shape.js';
import type { Region } from '../kernels/arena.js';
import type { KernelModule } from '../kernels/loader.js';
import { checkRunner, serialRunner, type Runner } from '../kernels/parallel.js';
import type { Executor, ExecutorOptions } from './executor.js';
import { QOP_REGISTRY, type QOp } from './ops/builtinOps.js';
import type { KernelStep, QOpBase } from './ops/opDefinition.js';
import { bindOps } from './ops/opRegistry.js';
import type { QModel, QTensor } from './qmodelTypes.js';
import { decodeQModel } from './qmodelFile.js';
import { checkRunOptions, runGuard } from './runGuard.js';

/** An executor on the kernels; `dispose` returns its arena regions. */
export interface KernelExecutor<Op extends QOpBase = QOp> extends Executor<Op> {
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
export interface KernelExecutorOptions extends ExecutorOptions {
  /** How kernel calls are split (a thread pool over the threads build, of this module); default one thread. */
  readonly runner?: Runner;
}

const bytesOf = (t: QTensor): number => sizeOf(t.shape) * (t.dtype === 'f32' ? 4 : 1);

/**
 * Plans a model on a kernel module (see the file comment). A `runner` must belong to `k`
 * (`InvalidArgument` otherwise): one of another module would write into that module's memory.
 */
export const createKernelExecutor = <Op extends QOpBase = QOp>(
  model: QModel<Op>,
  k: KernelModule,
  options: KernelExecutorOptions = {},
): KernelExecutor<Op> => {
  const defaults = checkRunOptions(options);
  const runner = options.runner ?? serialRunner(k);
  checkRunner(k, runner);
  const byName = new Map(model.header.tensors.map((t) => [t.name, t]));
  const tensor = (n: string): QTensor => byName.get(n)!;
  const ops = bindOps(model, options.ops ?? QOP_REGISTRY);
  const inName = model.header.inputs[0]!;
  const outputs = model.header.outputs;

  // Liveness: the last op reading each tensor; outputs and the input live throughout.
  const lastUse = new Map<string, number>();
  ops.forEach(({ op }, i) => op.inputs.forEach((n) => lastUse.set(n, i)));
  for (const n of [inName, ...outputs]) lastUse.set(n, Infinity);

  const owned: Region[] = [];
  const steps: KernelStep[] = [];
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
    for (const s of steps) s.dispose();
    for (const r of owned) k.arena.free(r);
    steps.length = 0;
    owned.length = 0;
  };

  let scratch: Region | null = null;
  try {
    // Kernels run one at a time, so one padded-input scratch, the largest any of them needs, serves all.
    const scratchBytes = ops.reduce((m, { op, def, tensors }) => Math.max(m, def.scratchBytes?.(op, tensors) ?? 0), 0);
    if (scratchBytes > 0) {
      scratch = k.arena.alloc(scratchBytes);
      owned.push(scratch);
      activationBytes += scratch.bytes;
    }
    buffers.set(inName, bufferFor(inName));
    ops.forEach(({ op, def, tensors }, i) => {
      const region = bufferFor(op.output);
      buffers.set(op.output, region);
      steps.push(
        def.plan(op, {
          ...tensors,
          kernels: k,
          runner,
          inputRegions: op.inputs.map((n) => buffers.get(n)!),
          outputRegion: region,
          scratch,
        }),
      );
      for (const n of new Set(op.inputs)) {
        if (lastUse.get(n) === i) free.push(buffers.get(n)!);
      }
    });
  } catch (e) {
    release();
    throw e;
  }

  const inTensor = tensor(inName);
  const inSize = sizeOf(inTensor.shape);
  const inRegion = buffers.get(inName)!;
  const weightBytes = steps.reduce((a, s) => a + s.packedBytes, 0);
  /** Runs each sample of a batch through the steps into `outs`. */
  const runSamples = (
    input: Float32Array,
    batch: number,
    guard: ReturnType<typeof runGuard>,
    outs: Record<string, Float32Array>,
  ): void => {
    for (let i = 0; i < batch; i++) {
      k.arena.f32(inRegion, inSize).set(input.subarray(i * inSize, (i + 1) * inSize));
      steps.forEach((step, s) => {
        guard?.(i * steps.length + s, batch * steps.length);
        step.run();
      });
      for (const name of outputs) {
        const t = tensor(name);
        const n = sizeOf(t.shape);
        const r = buffers.get(name)!;
        outs[name]!.set(t.dtype === 'f32' ? k.arena.f32(r, n) : Float32Array.from(k.arena.i8(r, n)), i * n);
      }
    }
  };
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
      for (const name of outputs) outs[name] = new Float32Array(batch * sizeOf(tensor(name).shape));
      // one burst per inference: a pool's workers wake while the input is copied in and the first
      // (small) ops run, stay hot across the layers, and sleep again after it; the pool runs this
      // model's inferences split or serially, whichever it measured faster
      const cool = runner.keepWarm?.(steps);
      try {
        runSamples(input, batch, guard, outs);
      } finally {
        cool?.();
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
