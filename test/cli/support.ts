// Runs the CLI in-process with fake streams against a temp data dir, as `esgate …` would from a shell.
import { existsSync } from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import argon2 from 'argon2';
import { runCli } from '../../src/cli/index.js';
import { openSqliteStore, sqliteFile } from '../../src/store/sqlite/index.js';
import type { UserRecord } from '../../src/store/types.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function capture(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

/** An empty, migrated store, as the first `esgate serve` leaves it (the CLI never creates one). */
export async function ensureStore(dataDir: string): Promise<void> {
  if (!existsSync(sqliteFile(dataDir))) await openSqliteStore(sqliteFile(dataDir)).close();
}

/** `input` lines are written to a piped (non-terminal) stdin, as `echo pw | esgate …` would. */
export async function cli(dataDir: string, argv: readonly string[], input: readonly string[] = []): Promise<CliRun> {
  await ensureStore(dataDir);
  const stdin = new PassThrough();
  for (const line of input) stdin.write(`${line}\n`);
  stdin.end();
  const stdout = capture();
  const stderr = capture();
  const code = await runCli(argv, { stdin, stdout, stderr }, { ESGATE_DATA_DIR: dataDir, ESGATE_LOGGING_LEVEL: 'warn' });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** Reads a user straight from the store file, as another process would. */
export async function storedUser(dataDir: string, username: string): Promise<UserRecord | null> {
  const store = openSqliteStore(sqliteFile(dataDir));
  try {
    return await store.users.get(username);
  } finally {
    await store.close();
  }
}

export async function passwordVerifies(dataDir: string, username: string, password: string): Promise<boolean> {
  const user = await storedUser(dataDir, username);
  return user !== null && (await argon2.verify(user.passwordHash, password));
}
