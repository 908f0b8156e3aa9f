/** Raw exports of the f32 kernel family (assembly/f32.ts). Pointers are byte offsets. */
export interface F32Exports {}

/** Names the f32 family requires of every build. */
export const F32_EXPORTS: readonly (keyof F32Exports)[] = [];
