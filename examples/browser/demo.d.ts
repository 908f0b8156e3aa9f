export declare const demoInput: (size: number) => Float32Array;
export declare const runDemo: (
  bytes: Uint8Array,
  options?: { threads?: number },
) => Promise<{
  outputs: Record<string, Float32Array>;
  ms: number;
  name: string;
  isolated: boolean;
  build: string;
  threads: number;
}>;
