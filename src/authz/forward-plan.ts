// What the proxy must send upstream for an authorized request: the value authorization returns and
// the proxy alone carries out (proxy/upstream.ts). Nothing else about the request is changed.
import type { ContinuationKind } from './continuations.js';

export type ForwardBody =
  /** No body, or one whose targets cannot change the decision: the client's bytes stream untouched. */
  | { readonly kind: 'stream' }
  /** The body esgate parsed and authorized, re-serialized (UTF-8, no Content-Encoding). */
  | { readonly kind: 'canonical'; readonly bytes: Buffer; readonly contentType: string };

export interface ForwardPlan {
  /** Upstream method: a GET with a body goes as POST on the read APIs that read GET bodies. */
  readonly method: string;
  /** Canonical (or narrowed) path and the query string, as authorized. */
  readonly url: string;
  readonly body: ForwardBody;
  /** Which continuation id the upstream's answer carries for this identity, if any. */
  readonly continuation: ContinuationKind | null;
}

export const STREAM_BODY: ForwardBody = Object.freeze({ kind: 'stream' });
