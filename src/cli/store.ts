// `esgate store backup --out FILE`: a consistent copy of the store while esgate serves (SQLite's
// online backup API, WAL included), where a plain `cp esgate.db` may copy an empty or torn file.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Store } from '../store/types.js';
import { CliError, EXIT_DATA, EXIT_USAGE } from './errors.js';
import type { Io } from './prompt.js';

export const BACKUP_USAGE = `  backup --out FILE    write a consistent copy of the store to FILE (mode 0600), also while esgate serves
`;

/** `esgate store backup …` (the arguments after `backup`). */
export async function backupCommand(rest: readonly string[], store: Store, io: Io, usage: string): Promise<void> {
  const { values } = parseArgs({ args: rest, options: { out: { type: 'string', short: 'o' } } });
  if (values.out === undefined || values.out === '') throw new CliError(EXIT_USAGE, `store backup needs --out FILE\n\n${usage}`);
  const out = path.resolve(values.out);
  // Never overwrite: an older backup may be the only good copy.
  if (existsSync(out)) throw new CliError(EXIT_DATA, `[${out}] already exists; choose a new file`);
  await store.backup(out);
  io.stdout.write(`store copied to ${out}\n`);
}
