#!/usr/bin/env node
// Thin launcher: the compiled entry point lives in dist/ (npm run build).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
// Checked up front: a missing package inside dist/ also fails with ERR_MODULE_NOT_FOUND and must not read as "not built".
if (!existsSync(entry)) {
  process.stderr.write('esgate: dist/ is missing; run `npm run build` first\n');
  process.exit(1);
}
await import(entry.href);
