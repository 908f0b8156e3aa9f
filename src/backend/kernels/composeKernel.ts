/**
 * Lets a backend kernel be written with tfjs ops. tfjs records no tape inside a kernel (kernelDepth
 * > 0), so nested ops are invisible to gradients; we only have to hand the engine a TensorInfo whose
 * data outlives the temporary tensors. The result's data gets one extra reference before the temporaries
 * are disposed, which the engine's new output tensor then owns. Inputs get an extra reference too:
 * wrapping a TensorInfo in a Tensor adds none, and disposing the wrapper would free the caller's data.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

interface RefCountingBackend extends KernelBackend {
  incRef(dataId: object): void;
}

/** Wraps `body` (which receives the inputs as tensors) into a kernel function. */
export const composeKernel =
  <A extends object>(body: (inputs: Record<string, tf.Tensor>, attrs: A) => tf.Tensor) =>
  (args: { inputs: NamedTensorInfoMap; backend: KernelBackend; attrs?: NamedAttrMap }): TensorInfo => {
    const engine = tf.engine();
    const backend = args.backend as RefCountingBackend;
    let out: TensorInfo | null = null;
    tf.tidy(() => {
      const ts: Record<string, tf.Tensor> = {};
      for (const [k, v] of Object.entries(args.inputs))
        if (v) {
          backend.incRef(v.dataId);
          ts[k] = engine.makeTensorFromTensorInfo(v, backend);
        }
      const r = body(ts, (args.attrs ?? {}) as unknown as A);
      backend.incRef(r.dataId);
      out = { dataId: r.dataId, shape: r.shape.slice(), dtype: r.dtype };
    });
    return out!;
  };
