/** The raw exports of a kernel build. Pointers are byte offsets into the module's memory. */
export interface KernelExports {
  heap_base(): number;
  qs8_quantize_f32(x: number, y: number, n: number, scale: number, zp: number): void;
  qs8_dequantize_f32(q: number, y: number, n: number, scale: number, zp: number): void;
  qs8_dot(a: number, b: number, n: number): number;
}

/** Names every build must export; a stale or foreign build is refused at load. */
export const REQUIRED_EXPORTS: readonly (keyof KernelExports)[] = ['heap_base', 'qs8_quantize_f32', 'qs8_dequantize_f32', 'qs8_dot'];
