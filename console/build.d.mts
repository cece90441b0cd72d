// Types of build.mjs for the TypeScript that imports it (the test setup).
export interface ConsoleBuild {
  readonly js: string;
  readonly css: string;
  readonly jsBytes: number;
  readonly jsGzipBytes: number;
}
export function buildConsole(outDir?: string): Promise<ConsoleBuild>;
