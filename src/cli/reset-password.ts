// `esgate reset-password -u NAME [-i] [-b]`, modelled on elasticsearch-reset-password: a generated
// password printed once, or (-i) one typed at a no-echo prompt.
import { parseArgs } from 'node:util';
import { EsError } from '../errors/es-error.js';
import { generatePassword } from '../ops/bootstrap.js';
import type { Random } from '../runtime/random.js';
import type { UserService } from '../services/user-service.js';
import { CliError, EXIT_DATA, EXIT_NO_USER, EXIT_USAGE } from './errors.js';
import { promptNewPassword, promptSecret, type Io } from './prompt.js';

export const RESET_PASSWORD_USAGE = `Usage: esgate reset-password -u NAME [-i] [-b]

  -u, --username NAME   the user whose password is reset
  -i, --interactive     type the new password instead of generating one
  -b, --batch           do not ask for confirmation
`;

export async function resetPasswordCommand(args: readonly string[], users: UserService, random: Random, io: Io): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      username: { type: 'string', short: 'u' },
      interactive: { type: 'boolean', short: 'i', default: false },
      batch: { type: 'boolean', short: 'b', default: false },
    },
  });
  const username = values.username;
  if (username === undefined) throw new CliError(EXIT_USAGE, `reset-password needs -u NAME\n\n${RESET_PASSWORD_USAGE}`);
  if (!(await users.get(username))) throw new CliError(EXIT_NO_USER, `User [${username}] doesn't exist`);

  if (!values.batch) {
    const what = values.interactive ? 'a value you enter' : 'an auto-generated value, printed in the console';
    const answer = await promptSecret(io, `This tool will reset the password of the [${username}] user to ${what}.\nPlease confirm that you would like to continue [y/N] `);
    if (answer.trim().toLowerCase() !== 'y') throw new CliError(EXIT_DATA, 'Password reset was cancelled');
  }
  const password = values.interactive ? await promptNewPassword(io, username) : generatePassword(random);
  try {
    await users.changePassword(username, password);
  } catch (err) {
    if (err instanceof EsError) throw new CliError(EXIT_DATA, err.reason);
    throw err;
  }
  io.stdout.write(`Password for the [${username}] user successfully reset.\n`);
  if (!values.interactive) io.stdout.write(`New value: ${password}\n`);
}
