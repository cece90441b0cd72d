// `esgate store migrate --to postgres://…`: copies the configured SQLite store into an empty
// PostgreSQL store, then verifies the copy by counts. The target URL's password (or PGPASSWORD)
// is never printed.
import { parseArgs } from 'node:util';
import type { Config } from '../config/schema.js';
import { buildLogger, openStore } from '../context.js';
import { systemClock } from '../runtime/clock.js';
import { copyStore, TargetNotEmptyError } from '../store/copy.js';
import { CliError, EXIT_DATA, EXIT_USAGE } from './errors.js';
import { BACKUP_USAGE, backupCommand } from './store.js';
import type { Io } from './prompt.js';

export const STORE_USAGE = `Usage: esgate store <command> [options]

  migrate --to URL     copy the SQLite store of data_dir (users with their password hashes, roles, tokens
                       of the last 24 hours, API keys) into an empty PostgreSQL store, and verify the copy
${BACKUP_USAGE}`;

export async function storeCommand(args: readonly string[], config: Config, io: Io): Promise<void> {
  const [command, ...rest] = args;
  const quiet: Config = { ...config, logging: { ...config.logging, level: 'warn' } };
  if (command === 'backup') {
    const store = await openStore(quiet, buildLogger(quiet));
    try {
      return await backupCommand(rest, store, io, STORE_USAGE);
    } finally {
      await store.close();
    }
  }
  if (command !== 'migrate') throw new CliError(EXIT_USAGE, command === undefined ? STORE_USAGE : `unknown store command [${command}]\n\n${STORE_USAGE}`);
  const { values } = parseArgs({ args: [...rest], options: { to: { type: 'string' } } });
  const to = values.to;
  if (to === undefined || !/^postgres(ql)?:\/\//.test(to)) throw new CliError(EXIT_USAGE, `--to needs a postgres:// URL\n\n${STORE_USAGE}`);
  const logger = buildLogger(quiet);
  const source = await openStore({ ...config, store: { ...config.store, type: 'sqlite' } }, logger);
  try {
    const target = await openStore({ ...config, store: { type: 'postgres', postgres: { ...config.store.postgres, url: to } } }, logger);
    try {
      const copied = await copyStore(source, target, systemClock.now());
      io.stdout.write(`copied ${copied.users} users, ${copied.roles} roles, ${copied.tokens} tokens and ${copied.apiKeys} API keys; the counts in the target match\n`);
    } catch (err) {
      if (err instanceof TargetNotEmptyError) throw new CliError(EXIT_DATA, err.message);
      throw err;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
