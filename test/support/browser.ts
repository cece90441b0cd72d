// Headless Chromium (Debian's package; Playwright's own browser download does not work here),
// driven by playwright-core with a fresh profile per test file. .ci/run installs the package.
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';
import { tempDir } from './temp-dir.js';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(options: { origin: string; width?: number; height?: number }): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium), as .ci/run does`);
  const profile = tempDir('esgate-chromium-');
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    acceptDownloads: true,
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    timeout: 30_000,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: options.origin });
  context.setDefaultTimeout(10_000);
  return {
    context,
    async close() {
      // Closing the context ends the browser process it started (and only that one).
      await context.close();
      profile.remove();
    },
  };
}
