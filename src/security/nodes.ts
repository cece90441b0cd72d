// The `_nodes` answer of Elasticsearch's node-level actions (cache clears): one node, this esgate.
import { hostname } from 'node:os';

export interface NodeIdentity {
  readonly id: string;
  readonly name: string;
}

export function nodeIdentity(randomId: string): NodeIdentity {
  return Object.freeze({ id: randomId, name: hostname() });
}

/** NodesResponseRestListener's body: `_nodes` counts, `cluster_name` and the nodes by id. */
export function nodesAnswer(node: NodeIdentity, clusterName = 'esgate'): Record<string, unknown> {
  return { _nodes: { total: 1, successful: 1, failed: 0 }, cluster_name: clusterName, nodes: { [node.id]: { name: node.name } } };
}
