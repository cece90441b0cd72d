// `esgate store backup --out FILE`: a consistent copy of the store while esgate serves (SQLite's
// online backup API, WAL included), where a plain `cp esgate.db` may copy an empty or torn file.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Store } from '../store/types.js';
import { CliError, EXIT_DATA, EXIT_USAGE } from './errors.js';
import type { Io } from './prompt.js';

export const STORE_USAGE = `Usage: esgate store <command> [options]

  backup --out FILE    write a consistent copy of the store to FILE (mode 0600), also while esgate serves
`;

export async function storeCommand(args: readonly string[], store: Store, io: Io): Promise<void> {
  const [command, ...rest] = args;
  if (command !== 'backup') {
    throw new CliError(EXIT_USAGE, command === undefined ? STORE_USAGE : `unknown store command [${command}]\n\n${STORE_USAGE}`);
  }
  const { values } = parseArgs({ args: rest, options: { out: { type: 'string', short: 'o' } } });
  if (values.out === undefined || values.out === '') throw new CliError(EXIT_USAGE, `store backup needs --out FILE\n\n${STORE_USAGE}`);
  const out = path.resolve(values.out);
  // Never overwrite: an older backup may be the only good copy.
  if (existsSync(out)) throw new CliError(EXIT_DATA, `[${out}] already exists; choose a new file`);
  await store.backup(out);
  io.stdout.write(`store copied to ${out}\n`);
}
