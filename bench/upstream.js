// A small Elasticsearch-like upstream for the benchmark: fixed answers, no recording, so its own
// cost stays flat and the same for every target. Run as a child process: prints nothing, sends
// {port} over IPC once it listens on 127.0.0.1.
import http from 'node:http';

const PRODUCT = { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' };

function fixed(body) {
  const buffer = Buffer.from(JSON.stringify(body));
  return { ...PRODUCT, 'content-length': String(buffer.length), body: buffer };
}

const HEALTH = fixed({
  cluster_name: 'bench',
  status: 'green',
  timed_out: false,
  number_of_nodes: 1,
  number_of_data_nodes: 1,
  active_primary_shards: 1,
  active_shards: 1,
  relocating_shards: 0,
  initializing_shards: 0,
  unassigned_shards: 0,
});

const SEARCH = fixed({
  took: 1,
  timed_out: false,
  _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
  hits: {
    total: { value: 3, relation: 'eq' },
    max_score: 1,
    hits: [1, 2, 3].map((n) => ({ _index: 'idx', _id: String(n), _score: 1, _source: { title: `document ${n}`, n } })),
  },
});

const MGET = fixed({ docs: [1, 2, 3].map((n) => ({ _index: 'idx', _id: String(n), _version: 1, found: true, _source: { title: `document ${n}`, n } })) });

const ROOT = fixed({ name: 'bench-node', cluster_name: 'bench', version: { number: '8.17.0', build_flavor: 'default' }, tagline: 'You Know, for Search' });

const NOT_FOUND = fixed({
  error: { root_cause: [{ type: 'illegal_argument_exception', reason: 'no handler' }], type: 'illegal_argument_exception', reason: 'no handler' },
  status: 404,
});

/** Bulk answers by number of actions; the bench always sends the same body, so this stays tiny. */
const bulkAnswers = new Map();

function bulkAnswer(actions) {
  let answer = bulkAnswers.get(actions);
  if (answer === undefined) {
    const items = [];
    for (let i = 0; i < actions; i++) items.push({ index: { _index: 'idx', _id: String(i), _version: 1, result: 'created', status: 201 } });
    answer = fixed({ took: 5, errors: false, items });
    if (bulkAnswers.size < 16) bulkAnswers.set(actions, answer);
  }
  return answer;
}

function send(res, status, answer) {
  res.writeHead(status, { 'content-type': answer['content-type'], 'x-elastic-product': answer['x-elastic-product'], 'content-length': answer['content-length'] });
  res.end(answer.body);
}

const NEWLINE = 0x0a;

function handle(req, res) {
  const path = req.url.split('?', 1)[0];
  if (req.method === 'POST' && path.endsWith('/_bulk')) {
    // Consume the whole body as Elasticsearch would; an action line plus a source line per document.
    let lines = 0;
    req.on('data', (chunk) => {
      let at = chunk.indexOf(NEWLINE);
      while (at !== -1) {
        lines += 1;
        at = chunk.indexOf(NEWLINE, at + 1);
      }
    });
    req.on('end', () => send(res, 200, bulkAnswer(Math.floor(lines / 2))));
    return;
  }
  // Other bodies are small; drain them before answering.
  req.resume();
  req.on('end', () => {
    if (path === '/_cluster/health') send(res, 200, HEALTH);
    else if (path.endsWith('/_search')) send(res, 200, SEARCH);
    else if (path.endsWith('/_mget')) send(res, 200, MGET);
    else if (path === '/') send(res, 200, ROOT);
    else send(res, 404, NOT_FOUND);
  });
}

export function startUpstream(port = 0) {
  const server = http.createServer({ keepAliveTimeout: 65_000 }, handle);
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.send) {
  const server = await startUpstream();
  process.send({ port: server.address().port });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  process.on('disconnect', () => process.exit(0));
}
