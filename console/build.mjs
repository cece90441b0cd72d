// Builds the web console into console/dist: one hashed ES module, one hashed stylesheet and an
// index.html that links both by absolute path (no inline script or style, so the CSP stays strict).
//   node console/build.mjs          (npm run build runs it; the test setup too)
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const BASE = '/_esgate/console/assets/';

/** @returns {Promise<{ js: string, css: string, jsBytes: number, jsGzipBytes: number }>} */
export async function buildConsole(outDir = join(here, 'dist')) {
  rmSync(outDir, { recursive: true, force: true });
  const assetsDir = join(outDir, 'assets');
  mkdirSync(assetsDir, { recursive: true });
  const result = await build({
    entryPoints: { app: join(here, 'src/main.tsx') },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: assetsDir,
    entryNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
  const js = outputs.find((name) => name.endsWith('.js'));
  const css = outputs.find((name) => name.endsWith('.css'));
  if (js === undefined || css === undefined) throw new Error(`console build produced ${outputs.join(', ')}`);
  const html = readFileSync(join(here, 'index.html'), 'utf8').replace('%JS%', BASE + js).replace('%CSS%', BASE + css);
  writeFileSync(join(outDir, 'index.html'), html);
  const bytes = readFileSync(join(assetsDir, js));
  return { js, css, jsBytes: bytes.length, jsGzipBytes: gzipSync(bytes, { level: 9 }).length };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await buildConsole();
  console.log(`console: ${out.js} ${out.jsBytes} bytes (${out.jsGzipBytes} gzip), ${out.css}`);
}
