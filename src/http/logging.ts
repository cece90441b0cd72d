// pino options (redaction paths fixed here, never from input) and the one summary line per request.
import type { FastifyInstance } from 'fastify';
import type { LoggerOptions } from 'pino';

/** Every place a secret could sit in a logged object; explicit paths, no wildcards (pino docs). */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["es-secondary-authorization"]',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["es-secondary-authorization"]',
  'headers["proxy-authorization"]',
  'password',
  'body.password',
  'body.password_hash',
  'body.refresh_token',
  'body.access_token',
  'body.api_key',
  'body.token',
  'body.kerberos_ticket',
  'api_key',
  'access_token',
  'refresh_token',
  'token',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: [...REDACT_PATHS], censor: '[REDACTED]' },
    // Fastify's default request serializer logs no headers; keep it that way for errors too.
    serializers: {
      err: (err: unknown) => {
        const e = err as { name?: string; message?: string; code?: unknown; stack?: string };
        return { type: e.name, message: e.message, code: e.code, stack: e.stack };
      },
    },
  };
}

/** Levels at which the info summary line is written; above them it is not even built. */
const SUMMARY_LEVELS: ReadonlySet<string> = new Set(['trace', 'debug', 'info']);

/** One line per request: method, path, status, duration, user and scheme. */
export function requestLogHook(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    if (!SUMMARY_LEVELS.has(request.log.level)) return;
    const queryAt = request.url.indexOf('?');
    const authentication = request.authentication;
    request.log.info(
      {
        method: request.method,
        path: queryAt < 0 ? request.url : request.url.slice(0, queryAt),
        status: reply.statusCode,
        duration_ms: Math.round(reply.elapsedTime * 1000) / 1000,
        user: authentication?.user.username ?? null,
        scheme: authentication?.scheme ?? null,
        ...(request.errorReason === null ? {} : { reason: request.errorReason }),
      },
      'request',
    );
  });
}
