// GET /_security/stats (GetSecurityStatsAction): one node, this esgate. Elasticsearch reports its
// roles store there (the DLS bit-set cache); esgate enforces no document level security, so it is empty.
import type { FastifyInstance } from 'fastify';
import { nodesAnswer, type NodeIdentity } from './nodes.js';

const EMPTY_BIT_SET_CACHE = { count: 0, memory: '0b', memory_in_bytes: 0, hits: 0, misses: 0, evictions: 0, hits_time_in_millis: 0, misses_time_in_millis: 0 };

export async function statsRoutes(app: FastifyInstance, options: { node: NodeIdentity }): Promise<void> {
  app.get('/_security/stats', { config: { action: 'cluster:monitor/xpack/security/stats' } }, async () => {
    const answer = nodesAnswer(options.node);
    return { ...answer, nodes: { [options.node.id]: { roles: { dls: { bit_set_cache: EMPTY_BIT_SET_CACHE } } } } };
  });
}
