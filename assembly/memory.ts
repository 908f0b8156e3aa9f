// The first byte the JS arena may use: everything below belongs to the module's static data.
export function heap_base(): usize {
  return __heap_base;
}
