/** Output length of a convolution or pooling window along one axis. */
export const convOutSize = (inSize: number, kernel: number, stride: number, padding: 'same' | 'valid'): number =>
  padding === 'same' ? Math.ceil(inSize / stride) : Math.floor((inSize - kernel) / stride) + 1;
