// pino options (redaction paths fixed here, never from input) and the one summary line per request.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';

declare module 'fastify' {
  interface FastifyRequest {
    /** The status the upstream answered a proxied request with (null: not proxied, or no answer). */
    upstreamStatus: number | null;
  }
}

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

/**
 * reply-from warns 'response errored' with the stack for every failed upstream request; the
 * request's own line already says it (status 502/504 and the reason), once and without a stack.
 */
const DUPLICATE_MESSAGES: ReadonlySet<unknown> = new Set(['response errored']);

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    hooks: {
      logMethod(args, method) {
        if (args.length >= 2 && DUPLICATE_MESSAGES.has(args[1])) return;
        method.apply(this, args);
      },
    },
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
const DEBUG_LEVELS: ReadonlySet<string> = new Set(['trace', 'debug']);
/** Probes every few seconds would drown the log: their lines are written at debug. */
const HEALTH_PATH = '/_esgate/health';
/** The cluster could not be reached or did not answer: expected, said once on the request's line. */
const UPSTREAM_FAILURES: ReadonlySet<string> = new Set(['esgate_upstream_exception', 'esgate_upstream_timeout_exception']);

export function isUpstreamFailure(type: string): boolean {
  return UPSTREAM_FAILURES.has(type);
}

function summary(request: FastifyRequest, reply: FastifyReply, path: string): Record<string, unknown> {
  const authentication = request.authentication;
  return {
    method: request.method,
    path,
    status: reply.statusCode,
    duration_ms: Math.round(reply.elapsedTime * 1000) / 1000,
    client: request.clientAddress,
    user: authentication?.user.username ?? null,
    realm: authentication?.authenticationRealm.name ?? null,
    scheme: authentication?.scheme ?? null,
    ...(request.upstreamStatus === null ? {} : { upstream_status: request.upstreamStatus }),
    ...(request.errorReason === null ? {} : { reason: request.errorReason }),
  };
}

/** One line per request: method, path, status, duration, client address, user, realm, scheme, upstream status. */
export function requestLogHook(app: FastifyInstance): void {
  app.decorateRequest('upstreamStatus', null);
  app.addHook('onResponse', async (request, reply) => {
    const queryAt = request.url.indexOf('?');
    const path = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
    if (path === HEALTH_PATH) {
      if (DEBUG_LEVELS.has(request.log.level)) request.log.debug(summary(request, reply, path), 'request');
      return;
    }
    // An unreachable upstream is a warning an operator acts on, in this one line (no stack).
    if (reply.statusCode >= 502 && reply.statusCode <= 504 && request.errorReason !== null) {
      request.log.warn(summary(request, reply, path), 'request');
      return;
    }
    if (!SUMMARY_LEVELS.has(request.log.level)) return;
    request.log.info(summary(request, reply, path), 'request');
  });
}
