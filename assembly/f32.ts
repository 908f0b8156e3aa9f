// f32 kernels: GEMM for dense layers and alignment projections, the fused low-rank projection,
// row L2-normalisation and cosine similarity. (Filled in by the f32 kernel work.)
