// Turns what happened to a request into audit events, in an onSend hook: it runs before the first
// byte of the answer is written, and each line is written synchronously (audit-log.ts), so every
// answered request has its lines in the kernel first. Decisions are recorded on the request by the
// authorization steps (authzAction, authzGranted); the error answered by the error handler.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseAuthorization } from '../authc/credentials.js';
import type { AuditEventName } from '../config/schema.js';
import { isRunAsDenial } from '../errors/authz.js';
import type { Authentication } from '../services/authentication.js';
import { configChange } from './audit-changes.js';
import type { AuditLog } from './audit-log.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The action authorization was asked about (null: none was). */
    authzAction: string | null;
    /** The index expressions it was asked about, as named (null: none, or not read). */
    authzIndices: readonly string[] | null;
    /** Authorization allowed the request. */
    authzGranted: boolean;
    /** The error the request is answered with, for the audit trail. */
    answeredError: unknown;
    /** origin.address, taken when the request arrived. */
    auditOrigin: string;
  }
}

const AUTHENTICATION_TYPE: Readonly<Record<Authentication['type'], string>> = { realm: 'REALM', api_key: 'API_KEY', token: 'TOKEN', anonymous: 'ANONYMOUS' };
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The peer as Elasticsearch writes it ("127.0.0.1:5432", "[::1]:5432"), or the forwarded client's
 * address. Taken when the request arrives: a proxied request's stream may have let go of its
 * socket by the time the answer is sent.
 */
function originAddress(request: FastifyRequest): string {
  const socket = request.raw.socket as { remoteAddress?: string; remotePort?: number } | null;
  const peer = socket?.remoteAddress ?? '';
  const address = request.clientAddress;
  if (address !== peer) return address;
  const host = address.includes(':') ? `[${address}]` : address;
  return socket?.remotePort === undefined ? host : `${host}:${socket.remotePort}`;
}

function userFields(authentication: Authentication, runAsEvent: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { 'authentication.type': AUTHENTICATION_TYPE[authentication.type] };
  const authenticating = authentication.authenticatingUser;
  if (authenticating !== undefined && runAsEvent) {
    // run_as_* events: the user who asked, and whom they ask to be (Elasticsearch's user.run_as.*).
    Object.assign(out, { 'user.name': authenticating.username, 'user.realm': authentication.authenticationRealm.name, 'user.roles': authenticating.roles, 'user.run_as.name': authentication.user.username, 'user.run_as.realm': authentication.lookupRealm.name });
  } else if (authenticating !== undefined) {
    Object.assign(out, { 'user.name': authentication.user.username, 'user.realm': authentication.lookupRealm.name, 'user.roles': authentication.user.roles, 'user.run_by.name': authenticating.username, 'user.run_by.realm': authentication.authenticationRealm.name });
  } else {
    Object.assign(out, { 'user.name': authentication.user.username, 'user.realm': authentication.authenticationRealm.name, 'user.roles': authentication.user.roles });
  }
  if (authentication.apiKey !== undefined) {
    out['apikey.id'] = authentication.apiKey.id;
    if (authentication.apiKey.name !== null) out['apikey.name'] = authentication.apiKey.name;
  }
  return out;
}

function record(request: FastifyRequest, eventType: string, action: AuditEventName, extra: Record<string, unknown>): Record<string, unknown> {
  const queryAt = request.url.indexOf('?');
  const traceparent = single(request.headers['traceparent']);
  const trace = traceparent === undefined ? null : TRACEPARENT.exec(traceparent);
  const opaqueId = single(request.headers['x-opaque-id']);
  const forwardedFor = single(request.headers['x-forwarded-for']);
  return {
    type: 'audit',
    '@timestamp': new Date().toISOString(),
    'event.type': eventType,
    'event.action': action,
    ...extra,
    'origin.type': 'rest',
    'origin.address': request.auditOrigin,
    'url.path': queryAt < 0 ? request.url : request.url.slice(0, queryAt),
    ...(queryAt < 0 ? {} : { 'url.query': request.url.slice(queryAt + 1) }),
    'request.method': request.method,
    'request.id': request.id,
    ...(opaqueId === undefined ? {} : { opaque_id: opaqueId }),
    ...(trace ? { 'trace.id': trace[1] } : {}),
    ...(forwardedFor === undefined ? {} : { x_forwarded_for: forwardedFor }),
  };
}

/** The events of one answered request, in the order Elasticsearch writes them. */
export function auditEventsOf(request: FastifyRequest, status: number, audit: AuditLog): void {
  const authentication = request.authentication;
  const emit = (eventType: string, action: AuditEventName, extra: Record<string, unknown>): void => {
    if (audit.wants(action)) audit.write(record(request, eventType, action, extra));
  };
  if (authentication === null) {
    if (status !== 401 && status !== 429) return;
    const credentials = parseAuthorization(request.headers.authorization);
    if (credentials.kind === 'none') {
      emit('rest', 'anonymous_access_denied', {});
      return;
    }
    const principal = credentials.kind === 'basic' ? { 'user.name': credentials.username } : {};
    emit('rest', 'authentication_failed', { ...principal, ...(status === 429 ? { 'esgate.throttled': true } : {}) });
    return;
  }
  // Elasticsearch repeats the authenticating realm as `realm` on this event.
  if (authentication.type !== 'anonymous') emit('rest', 'authentication_success', { realm: authentication.authenticationRealm.name, ...userFields(authentication, false) });
  const action = request.authzAction;
  if (action === null) return;
  if (request.authzGranted) {
    if (authentication.authenticatingUser !== undefined) emit('transport', 'run_as_granted', { ...userFields(authentication, true), action });
    emit('transport', 'access_granted', { ...userFields(authentication, false), action, ...indicesField(request) });
    const route = request.routeOptions.url;
    if (status < 300 && route !== undefined && route.startsWith('/_security/')) {
      const change = configChange({ method: request.method, route, params: request.params as Record<string, string | undefined>, body: request.body, user: authentication.user });
      if (change !== null) emit('security_config_change', 'security_config_change', { 'event.action': change.name, ...change.fields, ...userFields(authentication, false) });
    }
    return;
  }
  if (status === 403 || status === 401) {
    if (isRunAsDenial(request.answeredError)) {
      emit('transport', 'run_as_denied', { ...userFields(authentication, true), action });
      return;
    }
    // Run-as was allowed; the effective user may not do the action.
    if (authentication.authenticatingUser !== undefined) emit('transport', 'run_as_granted', { ...userFields(authentication, true), action });
    emit('transport', 'access_denied', { ...userFields(authentication, false), action, ...indicesField(request) });
  } else if (status === 400) {
    // Refused while being classified: a body or path esgate will not read as the cluster would.
    emit('rest', 'tampered_request', { ...userFields(authentication, false), action });
  }
}

/** Elasticsearch's `indices` field: the index expressions the request named (after `action`). */
function indicesField(request: FastifyRequest): Record<string, unknown> {
  const indices = request.authzIndices;
  return indices === null || indices.length === 0 ? {} : { indices };
}

/** A proxied request that passed its preHandler was authorized (the audit's access_granted). */
export function markGranted(preHandler: (request: FastifyRequest, reply: FastifyReply) => Promise<void>) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await preHandler(request, reply);
    request.authzGranted = request.authzAction !== null;
    // Upstream latency (metrics) is counted from here.
    request.authorizedAt = performance.now();
  };
}

export function auditHook(app: FastifyInstance, audit: AuditLog | null): void {
  app.decorateRequest('authzAction', null);
  app.decorateRequest('authzIndices', null);
  app.decorateRequest('authzGranted', false);
  app.decorateRequest('answeredError', null);
  app.decorateRequest('auditOrigin', '');
  if (audit === null) return;
  app.addHook('onRequest', async (request) => {
    request.auditOrigin = originAddress(request);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    try {
      auditEventsOf(request, reply.statusCode, audit);
    } catch (err) {
      // A fault here must not turn the answer into a 500; it is counted like a failed write.
      audit.counters.writeErrors++;
      request.log.error({ err }, 'audit event not built');
    }
    return payload;
  });
}
