#!/usr/bin/env node
// Thin launcher: the compiled entry point lives in dist/ (npm run build).
import('../dist/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('esgate: dist/ is missing; run `npm run build` first\n');
    process.exit(1);
  }
  throw err;
});
