/** Round half to even, as `f32x4.nearest` does (banker's rounding). */
export const roundHalfEven = (x: number): number => {
  const r = Math.round(x); // rounds halves toward +∞
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
};
