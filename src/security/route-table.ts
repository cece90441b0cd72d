// Remembers esgate's own /_security routes so an unknown path or method is answered the way
// Elasticsearch answers it (400 no handler / 405 with Allow), and never proxied.
import type { FastifyRequest } from 'fastify';
import type { EsPlainError } from '../errors/es-error.js';
import { methodNotAllowed, noHandlerFound } from '../errors/request.js';

interface Route {
  readonly pattern: RegExp;
  readonly methods: Set<string>;
}

export class RouteTable {
  private readonly routes = new Map<string, Route>();

  add(methods: string | readonly string[], url: string): void {
    let route = this.routes.get(url);
    if (route === undefined) {
      const source = url
        .split('/')
        .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/');
      route = { pattern: new RegExp(`^${source}/?$`), methods: new Set() };
      this.routes.set(url, route);
    }
    for (const method of typeof methods === 'string' ? [methods] : methods) route.methods.add(method);
  }

  /** The error for a request no route took. */
  /** The methods esgate serves on this request's path, sorted. */
  allowed(request: FastifyRequest): string[] {
    const queryAt = request.url.indexOf('?');
    const path = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
    const allowed = new Set<string>();
    for (const route of this.routes.values()) {
      if (route.pattern.test(path)) for (const method of route.methods) allowed.add(method);
    }
    return [...allowed].sort();
  }

  unhandled(request: FastifyRequest): EsPlainError {
    const allowed = this.allowed(request);
    if (allowed.length === 0) return noHandlerFound(request.url, request.method);
    return methodNotAllowed(request.url, request.method, allowed);
  }
}
