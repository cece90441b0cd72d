// A small Elasticsearch-like upstream on 127.0.0.1:0 that records what it received.
// It answers like an Elasticsearch node with security off, and can be told to misbehave.
import { createHash } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Bodies up to 1 MiB are kept; larger ones only counted and hashed. */
  readonly body: Buffer;
  readonly bodyBytes: number;
  readonly bodySha256: string;
  /** The client port of the connection it came on (tells keep-alive reuse apart from new connections). */
  readonly remotePort: number;
}

/**
 * normal: answer like Elasticsearch; hang: read the request, never answer; reset: destroy the socket
 * on arrival; slow-body: send the status line, headers and half the body, then stall.
 */
export type UpstreamBehaviour = 'normal' | 'hang' | 'reset' | 'slow-body';

/** A test's own answer, used instead of the Elasticsearch-like one once the body has arrived. */
export type UpstreamResponder = (req: RecordedRequest, res: http.ServerResponse) => void;

export interface FakeUpstream {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  behaviour: UpstreamBehaviour;
  /** When set (and behaviour is normal), answers every request instead of the Elasticsearch-like handler. */
  respond: UpstreamResponder | null;
  /** Request body bytes received so far, over all requests, counted as they arrive (before a request ends). */
  readonly bytesReceived: number;
  /** Documents indexed through _doc, _create and _bulk, by index then id. */
  readonly indices: Map<string, Map<string, unknown>>;
  close(): Promise<void>;
}

const KEEP_BODY_BYTES = 1024 * 1024;

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-elastic-product': 'Elasticsearch',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function indexDoc(indices: FakeUpstream['indices'], index: string, id: string, source: unknown): void {
  let docs = indices.get(index);
  if (!docs) {
    docs = new Map();
    indices.set(index, docs);
  }
  docs.set(id, source);
}

let autoId = 0;

function answer(upstream: FakeUpstream, req: RecordedRequest, res: http.ServerResponse): void {
  const [pathname = '/'] = req.url.split('?');
  const parts = pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  const text = req.body.toString('utf8');

  if (req.method === 'HEAD' && parts.length === 0) {
    res.writeHead(200, { 'x-elastic-product': 'Elasticsearch', 'content-type': 'application/json', 'content-length': '0' });
    res.end();
    return;
  }
  if (parts.length === 0) {
    json(res, 200, { name: 'fake-node', cluster_name: 'fake', version: { number: '8.17.0', build_flavor: 'default' }, tagline: 'You Know, for Search' });
    return;
  }
  if (parts[0] === '_cluster' && parts[1] === 'health') {
    json(res, 200, { cluster_name: 'fake', status: 'green', number_of_nodes: 1 });
    return;
  }
  if (parts[parts.length - 1] === '_bulk' && req.bodyBytes > req.body.length) {
    // Only the first MiB was kept: acknowledge without indexing rather than parse a cut line.
    json(res, 200, { took: 1, errors: false, items: [] });
    return;
  }
  if (parts[parts.length - 1] === '_bulk') {
    const defaultIndex = parts.length > 1 ? parts[0] : undefined;
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const items: unknown[] = [];
    for (let i = 0; i < lines.length; i++) {
      const action = JSON.parse(lines[i] as string) as Record<string, { _index?: string; _id?: string }>;
      const [op = 'index', meta = {}] = Object.entries(action)[0] ?? [];
      const index = meta._index ?? defaultIndex ?? 'unknown';
      const id = meta._id ?? `auto-${++autoId}`;
      if (op !== 'delete') {
        indexDoc(upstream.indices, index, id, JSON.parse(lines[++i] as string));
      }
      items.push({ [op]: { _index: index, _id: id, status: op === 'create' ? 201 : 200, result: op === 'delete' ? 'deleted' : 'created' } });
    }
    json(res, 200, { took: 1, errors: false, items });
    return;
  }
  if (parts[parts.length - 1] === '_search' || parts[parts.length - 1] === '_count') {
    const index = parts.length > 1 ? (parts[0] as string) : '*';
    const names = index === '*' || index === '_all' ? [...upstream.indices.keys()] : index.split(',');
    const hits = names.flatMap((name) =>
      [...(upstream.indices.get(name)?.entries() ?? [])].map(([id, source]) => ({ _index: name, _id: id, _score: 1, _source: source })),
    );
    if (parts[parts.length - 1] === '_count') json(res, 200, { count: hits.length });
    else json(res, 200, { took: 1, timed_out: false, hits: { total: { value: hits.length, relation: 'eq' }, max_score: 1, hits } });
    return;
  }
  if (parts.length >= 2 && (parts[1] === '_doc' || parts[1] === '_create') && (req.method === 'PUT' || req.method === 'POST')) {
    const id = parts[2] ?? `auto-${++autoId}`;
    indexDoc(upstream.indices, parts[0] as string, id, text === '' ? {} : JSON.parse(text));
    json(res, 201, { _index: parts[0], _id: id, _version: 1, result: 'created' });
    return;
  }
  if (parts.length === 1 && req.method === 'PUT') {
    upstream.indices.set(parts[0] as string, upstream.indices.get(parts[0] as string) ?? new Map());
    json(res, 200, { acknowledged: true, shards_acknowledged: true, index: parts[0] });
    return;
  }
  if (parts.length === 1 && parts[0] !== undefined && parts[0].startsWith('_refresh')) {
    json(res, 200, { _shards: { total: 1, successful: 1, failed: 0 } });
    return;
  }
  // Anything else: echo what arrived, so tests can inspect it.
  json(res, 200, { echo: { method: req.method, url: req.url, bytes: req.bodyBytes } });
}

function stallMidBody(res: http.ServerResponse): void {
  const text = JSON.stringify({ took: 1, timed_out: false, hits: { total: { value: 0, relation: 'eq' }, hits: [] } });
  res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch', 'content-length': Buffer.byteLength(text) });
  res.write(text.slice(0, text.length >> 1));
}

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const upstream = {
    requests,
    behaviour: 'normal' as UpstreamBehaviour,
    respond: null,
    bytesReceived: 0,
    indices: new Map(),
  } as unknown as FakeUpstream & {
    url: string;
    port: number;
    bytesReceived: number;
  };

  const server = http.createServer((req, res) => {
    if (upstream.behaviour === 'reset') {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let kept = 0;
    let total = 0;
    const hash = createHash('sha256');
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      upstream.bytesReceived += chunk.length;
      hash.update(chunk);
      if (kept < KEEP_BODY_BYTES) {
        chunks.push(chunk);
        kept += chunk.length;
      }
    });
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks),
        bodyBytes: total,
        bodySha256: hash.digest('hex'),
        remotePort: req.socket.remotePort ?? 0,
      };
      requests.push(recorded);
      if (upstream.behaviour === 'hang') return;
      if (upstream.behaviour === 'slow-body') {
        stallMidBody(res);
        return;
      }
      try {
        if (upstream.respond !== null) upstream.respond(recorded, res);
        else answer(upstream, recorded, res);
      } catch (err) {
        // A body the fake cannot read must not crash the test process.
        if (!res.headersSent) json(res, 400, { error: { type: 'parse_exception', reason: String(err) }, status: 400 });
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  upstream.port = port;
  upstream.url = `http://127.0.0.1:${port}`;
  upstream.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return upstream;
}
