// Top self-time functions of a .cpuprofile (from `npm run bench -- --profile`):
//   node bench/profile-summary.js bench/results/profiles/<stamp>/<file>.cpuprofile [top=25]
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [file, topArg = '25'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.js FILE.cpuprofile [TOP]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfTicks = new Map();
for (const id of profile.samples) selfTicks.set(id, (selfTicks.get(id) ?? 0) + 1);
// Percentages are of the busy samples: the profile also spans the time other targets were measured.
const idleIds = new Set(profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id));
const total = profile.samples.filter((id) => !idleIds.has(id)).length;

const where = (frame) => {
  const url = frame.url.replace(/^file:\/\//, '');
  const short = url.includes('node_modules/') ? url.slice(url.lastIndexOf('node_modules/') + 13) : url ? path.relative(process.cwd(), url) : '';
  return short ? `${short}:${frame.lineNumber + 1}` : '';
};
const byFunction = new Map();
const byPackage = new Map();
for (const [id, ticks] of selfTicks) {
  if (idleIds.has(id)) continue;
  const frame = byId.get(id).callFrame;
  const key = `${frame.functionName || '(anonymous)'}  ${where(frame)}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + ticks);
  const url = frame.url;
  const pkg = url.includes('node_modules/')
    ? url.slice(url.lastIndexOf('node_modules/') + 13).split('/').slice(0, url.includes('node_modules/@') ? 2 : 1).join('/')
    : url.includes('/dist/')
      ? `esgate ${url.slice(url.indexOf('/dist/') + 6)}`
      : url.startsWith('node:')
        ? 'node core'
        : frame.functionName.startsWith('(') ? frame.functionName : 'native/other';
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ticks);
}
const show = (title, map, top) => {
  process.stdout.write(`\n${title}\n`);
  for (const [key, ticks] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${((ticks / total) * 100).toFixed(1).padStart(6)}%  ${key}\n`);
};
process.stdout.write(`${total} busy samples of ${profile.samples.length} (percentages are of busy time)\n`);
show('self time by package / file', byPackage, 20);
show('self time by function', byFunction, Number(topArg));
