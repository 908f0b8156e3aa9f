/**
 * Architectures are data: a sequence of layer specs. The same description is trained here (tfjs),
 * quantized by src/compress and executed by the edge runtime on the kernels, so every kind below
 * has a quantized counterpart in the kernels (conv, depthwise, dense, pooling, add).
 */
export type Activation = 'none' | 'relu' | 'relu6';
export type Padding = 'same' | 'valid';

export interface Conv2dSpec {
  readonly kind: 'conv2d';
  readonly name: string;
  readonly filters: number;
  readonly kernel: number;
  readonly stride?: number;
  readonly padding?: Padding;
  /** Batch norm after the conv (folded into the conv for deployment). */
  readonly batchNorm?: boolean;
  readonly activation?: Activation;
}

export interface DepthwiseSpec {
  readonly kind: 'depthwise';
  readonly name: string;
  readonly kernel: 3;
  readonly stride?: 1 | 2;
  readonly batchNorm?: boolean;
  readonly activation?: Activation;
}

/** A 1-D convolution over [batch, length, channels] (signals). */
export interface Conv1dSpec {
  readonly kind: 'conv1d';
  readonly name: string;
  readonly filters: number;
  readonly kernel: number;
  readonly stride?: number;
  readonly padding?: Padding;
  readonly batchNorm?: boolean;
  readonly activation?: Activation;
}

export interface DenseSpec {
  readonly kind: 'dense';
  readonly name: string;
  readonly units: number;
  readonly activation?: Activation;
}

export interface PoolSpec {
  readonly kind: 'maxPool' | 'avgPool';
  readonly size: number;
  readonly stride?: number;
  readonly padding?: Padding;
}

/** Mean over every spatial (or temporal) axis: [B, H, W, C] or [B, L, C] → [B, C]. */
export interface GlobalAvgPoolSpec {
  readonly kind: 'globalAvgPool';
}

export interface FlattenSpec {
  readonly kind: 'flatten';
}

/** y = act(body(x) + shortcut(x)); the shortcut is a 1×1 conv when the shape changes. */
export interface ResidualSpec {
  readonly kind: 'residual';
  readonly name: string;
  readonly body: readonly LayerSpec[];
  readonly activation?: Activation;
}

export type LayerSpec =
  | Conv2dSpec
  | DepthwiseSpec
  | Conv1dSpec
  | DenseSpec
  | PoolSpec
  | GlobalAvgPoolSpec
  | FlattenSpec
  | ResidualSpec;

/** A network: input shape (without batch) and its layers. */
export interface NetworkSpec {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly layers: readonly LayerSpec[];
}
