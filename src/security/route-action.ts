// Each security route declares the Elasticsearch action it performs; the security scope's
// preHandler authorizes that action for the request's authentication before the handler runs.
import type { FastifyRequest } from 'fastify';

export type RouteAction = string | ((request: FastifyRequest) => string | null);

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Elasticsearch's action name (e.g. `cluster:admin/xpack/security/token/create`), or a function of
     * the parsed request returning it (null: the handler authorizes itself). Absent: no privilege needed.
     */
    action?: RouteAction;
    /**
     * For routes any caller may use on itself (no `action`): the action name used when a run-as
     * request must be authorized (Elasticsearch authorizes run-as for every action).
     */
    selfAction?: string;
  }
}
