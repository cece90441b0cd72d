// esgate's version, read from its package.json: the nearest one named `esgate` above this module
// (one level above both src/ and dist/; builds elsewhere, as in tests, look further up).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

function findVersion(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === 'esgate' && typeof pkg.version === 'string') return pkg.version;
      } catch {
        // not ours: keep looking
      }
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

export function esgateVersion(): string {
  cached ??= findVersion();
  return cached;
}
