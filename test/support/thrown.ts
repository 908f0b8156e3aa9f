/** The value a function throws (or an Error saying it did not throw). */
export const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return new Error('expected a throw');
};
