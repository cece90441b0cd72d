// What the credential cache saves: one request per distinct user on a cold cache (argon2id
// verification of that user's password) against the same requests once cached.
import { randomBytes } from 'node:crypto';
import { basicHeader } from './esgate.js';

async function timedRequest(url, authorization) {
  const started = process.hrtime.bigint();
  const response = await fetch(url, { headers: { authorization } });
  const body = await response.text();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (response.status !== 200) throw new Error(`cold-auth request answered ${response.status}: ${body}`);
  return ms;
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { n: sorted.length, min: sorted[0], p50: at(50), max: sorted[sorted.length - 1], mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

/** Sequential, one request at a time, so each figure is one verification and nothing queues. */
export async function measureColdAuth(esgate, users = 20) {
  const created = Array.from({ length: users }, (_, i) => ({ username: `bench_user_${i}`, password: randomBytes(12).toString('base64url') }));
  await esgate.addUsers(created);
  const url = `${esgate.url}/_cluster/health`;
  // One throwaway request: the first after the CLI's writes also drops the cache (store version changed).
  await timedRequest(url, esgate.authorization);
  const miss = [];
  for (const user of created) miss.push(await timedRequest(url, basicHeader(user.username, user.password)));
  const hit = [];
  for (const user of created) hit.push(await timedRequest(url, basicHeader(user.username, user.password)));
  return { users, miss_ms: summary(miss), hit_ms: summary(hit) };
}
