// The web console's built files (console/dist, made by `npm run build`), read once at start-up and
// kept in memory with their gzip form: a handful of small files, served without touching the disk.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface ConsoleAsset {
  readonly body: Buffer;
  readonly gzip: Buffer;
  readonly contentType: string;
  /** Hashed names never change content: cached for a year; index.html is revalidated every time. */
  readonly immutable: boolean;
}

export interface ConsoleAssets {
  readonly index: ConsoleAsset;
  /** By file name under assets/. */
  readonly files: ReadonlyMap<string, ConsoleAsset>;
}

/** src/ops and dist/ops are both two levels below the package root. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../console/dist/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Only plain names (letters, digits, dot, dash, underscore): nothing that could climb out of assets/. */
export const ASSET_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/;

function asset(body: Buffer, name: string, immutable: boolean): ConsoleAsset | null {
  const ext = name.slice(name.lastIndexOf('.'));
  const contentType = CONTENT_TYPES[ext];
  if (contentType === undefined) return null;
  return { body, gzip: gzipSync(body, { level: 9 }), contentType, immutable };
}

/** null when the console was not built (the route then says how to build it). */
export function loadConsoleAssets(dir: string = DEFAULT_CONSOLE_DIR): ConsoleAssets | null {
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) return null;
  const index = asset(readFileSync(indexFile), 'index.html', false);
  if (index === null) return null;
  const files = new Map<string, ConsoleAsset>();
  const assetsDir = join(dir, 'assets');
  if (existsSync(assetsDir)) {
    for (const name of readdirSync(assetsDir)) {
      if (!ASSET_NAME.test(name)) continue;
      const loaded = asset(readFileSync(join(assetsDir, name)), name, true);
      if (loaded !== null) files.set(name, loaded);
    }
  }
  return { index, files };
}
