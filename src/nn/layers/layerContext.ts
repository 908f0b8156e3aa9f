/** What a layer's forward pass needs to know besides its input. */
export interface LayerContext {
  /** Batch statistics and running-statistics updates in batch norm when true. */
  readonly training: boolean;
}
