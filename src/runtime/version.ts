// esgate's version, read from package.json (one level above both src/ and dist/).
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function esgateVersion(): string {
  if (cached === undefined) {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    cached = typeof version === 'string' ? version : 'unknown';
  }
  return cached;
}
