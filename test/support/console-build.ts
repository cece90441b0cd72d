// vitest globalSetup: the console's browser tests and static-file tests need console/dist, which
// `npm run build` makes; the test run builds it once itself so `npm test` works on a fresh clone.
import { buildConsole } from '../../console/build.mjs';

export default async function setup(): Promise<void> {
  await buildConsole();
}
