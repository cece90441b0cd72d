// GET /_esgate/console/: the web console's static files, outside the authenticated scope (the page
// signs in through /_security/oauth2/token like any client; it has no private back end).
// A strict CSP allows only this origin's hashed scripts and styles and calls to this origin.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.js';
import { resourceNotFound } from '../errors/request.js';
import { ASSET_NAME, loadConsoleAssets, type ConsoleAsset, type ConsoleAssets } from './console-assets.js';

export const CONSOLE_PATH = '/_esgate/console/';

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  // The forms are handled by script; a form that ever submitted itself (script failed) would put
  // the password in a URL: refuse that navigation.
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost|\[::1\])$/i;

export function consoleEnabled(config: Config): boolean {
  const setting = config.console.enabled;
  return setting === 'auto' ? LOOPBACK.test(config.http.host) : setting;
}

function send(request: FastifyRequest, reply: FastifyReply, file: ConsoleAsset): FastifyReply {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
  const gzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
  reply
    .header('content-type', file.contentType)
    .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('vary', 'accept-encoding');
  if (gzip) reply.header('content-encoding', 'gzip');
  return reply.code(200).send(gzip ? file.gzip : file.body);
}

export interface ConsoleRoutesOptions {
  readonly config: Config;
  /** Tests point this at a directory of their own; console/dist by default. */
  readonly assetsDir?: string;
}

export async function consoleRoutes(app: FastifyInstance, options: ConsoleRoutesOptions): Promise<void> {
  const enabled = consoleEnabled(options.config);
  const assets: ConsoleAssets | null = enabled ? loadConsoleAssets(options.assetsDir) : null;
  const unavailable = () =>
    enabled
      ? resourceNotFound('the web console was not built; run [npm run build] and restart esgate')
      : resourceNotFound('the web console is disabled; set [console.enabled] to true to serve it');

  // With ignoreTrailingSlash, /_esgate/console and /_esgate/console/ are this one route; the page
  // links its assets by absolute path, so both work.
  app.get('/_esgate/console', async (request, reply) => {
    if (assets === null) throw unavailable();
    return send(request, reply, assets.index);
  });
  app.get<{ Params: { name: string } }>('/_esgate/console/assets/:name', async (request, reply) => {
    if (assets === null) throw unavailable();
    const file = ASSET_NAME.test(request.params.name) ? assets.files.get(request.params.name) : undefined;
    if (file === undefined) throw resourceNotFound(`no console asset [${request.params.name}]`);
    return send(request, reply, file);
  });
  // Any other path below the console is esgate's, never the upstream's.
  app.get('/_esgate/console/*', async (request) => {
    if (assets === null) throw unavailable();
    throw resourceNotFound(`no console page [${request.url}]; the console lives at [${CONSOLE_PATH}]`);
  });
}
