// Shared helpers for the classification tests: classify a raw request and summarise its targets
// as one readable string.
import { classifyRequest, type Classification, type Targets } from '../../src/authz/classify.js';
import { normalizePath } from '../../src/authz/path.js';

export interface RawRequest {
  readonly method: string;
  readonly url: string;
  readonly body?: string | Buffer;
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly maxBodyBytes?: number;
}

export function classify(request: RawRequest): Classification {
  return classifyRequest({
    method: request.method,
    path: normalizePath(request.url),
    body: request.body,
    contentType: request.contentType ?? (request.body === undefined ? undefined : 'application/json'),
    contentEncoding: request.contentEncoding,
    maxBodyBytes: request.maxBodyBytes,
  });
}

/** `cluster`, `ALL`, `a,b`, `ANY`, `OPAQUE`, `scroll:x`, `pit:x`, `async:x`, or `action index; …` for items. */
export function summarize(targets: Targets): string {
  switch (targets.kind) {
    case 'none':
      return 'cluster';
    case 'indices':
      return targets.expressions.length === 0 ? 'ALL' : targets.expressions.join(',');
    case 'any_index':
      return 'ANY';
    case 'opaque':
      return 'OPAQUE';
    case 'scroll':
      return `scroll:${targets.ids.join(',')}`;
    case 'pit':
      return `pit:${targets.id}`;
    case 'async_search':
      return `async:${targets.id}`;
    case 'items':
      return (targets.remote ? 'REMOTE ' : '') + targets.items.map((item) => `${item.action} ${item.expressions.join(',') || 'ALL'}`).join('; ');
  }
}
