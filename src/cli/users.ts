// `esgate users …`, modelled on elasticsearch-users: useradd, passwd, roles, list, userdel.
import { parseArgs } from 'node:util';
import { EsError } from '../errors/es-error.js';
import { RESERVED_USERNAMES } from '../services/reserved-users.js';
import type { UserService } from '../services/user-service.js';
import { CliError, EXIT_DATA, EXIT_NO_USER, EXIT_USAGE } from './errors.js';
import { promptNewPassword, type Io } from './prompt.js';

export const USERS_USAGE = `Usage: esgate users <command> [options]

  useradd NAME [-p PASSWORD] [-r ROLE[,ROLE...]]   add a user (prompts for the password if -p is absent)
  passwd NAME [-p PASSWORD]                       change a user's password
  roles NAME [-a ROLE[,ROLE...]] [-r ROLE[,...]]  add and/or remove roles
  list [NAME]                                     list users and their roles
  userdel NAME                                    delete a user
`;

const splitRoles = (value: string | undefined): string[] =>
  value === undefined ? [] : value.split(',').map((role) => role.trim()).filter((role) => role !== '');

function onlyName(positionals: readonly string[], command: string): string {
  if (positionals.length !== 1 || positionals[0] === undefined) throw new CliError(EXIT_USAGE, `users ${command} takes exactly one username\n\n${USERS_USAGE}`);
  return positionals[0];
}

/** Validation errors from the service read as Elasticsearch's; on the command line, the bare message. */
function rethrow(err: unknown): never {
  if (err instanceof EsError) throw new CliError(EXIT_DATA, err.reason);
  throw err;
}

export async function usersCommand(args: readonly string[], users: UserService, io: Io): Promise<void> {
  const [command, ...rest] = args;
  switch (command) {
    case 'useradd': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { password: { type: 'string', short: 'p' }, roles: { type: 'string', short: 'r' } },
      });
      const username = onlyName(positionals, 'useradd');
      // Validation.Users.validateUsername(name, allowReserved = false), as elasticsearch-users words it.
      if (RESERVED_USERNAMES.has(username)) throw new CliError(EXIT_DATA, `Invalid username [${username}]... Username [${username}] is reserved and may not be used.`);
      if (await users.get(username)) throw new CliError(EXIT_DATA, `User [${username}] already exists`);
      const password = values.password ?? (await promptNewPassword(io, username));
      const created = await users.create({ username, password, roles: splitRoles(values.roles) }).catch(rethrow);
      if (!created) throw new CliError(EXIT_DATA, `User [${username}] already exists`);
      return;
    }
    case 'passwd': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { password: { type: 'string', short: 'p' } } });
      const username = onlyName(positionals, 'passwd');
      if (!(await users.get(username))) throw new CliError(EXIT_NO_USER, `User [${username}] doesn't exist`);
      const password = values.password ?? (await promptNewPassword(io, username));
      if (!(await users.changePassword(username, password).catch(rethrow))) throw new CliError(EXIT_NO_USER, `User [${username}] doesn't exist`);
      return;
    }
    case 'roles': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { add: { type: 'string', short: 'a' }, remove: { type: 'string', short: 'r' } },
      });
      const username = onlyName(positionals, 'roles');
      const user = await users.get(username);
      if (!user) throw new CliError(EXIT_NO_USER, `User [${username}] doesn't exist`);
      if (RESERVED_USERNAMES.has(username) && (values.add !== undefined || values.remove !== undefined)) {
        throw new CliError(EXIT_DATA, `user [${username}] is reserved and only the password can be changed`);
      }
      const removed = new Set(splitRoles(values.remove));
      const roles = [...new Set([...user.roles, ...splitRoles(values.add)])].filter((role) => !removed.has(role));
      if (values.add === undefined && values.remove === undefined) {
        io.stdout.write(`${formatUser(user.username, user.roles)}\n`);
        return;
      }
      await users.setRoles(username, roles);
      return;
    }
    case 'list': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
      const all = await users.listStored();
      const wanted = positionals[0];
      const shown = wanted === undefined ? all : all.filter((user) => user.username === wanted);
      if (wanted !== undefined && shown.length === 0) throw new CliError(EXIT_NO_USER, `User [${wanted}] doesn't exist`);
      for (const user of shown) io.stdout.write(`${formatUser(user.username, user.roles)}\n`);
      return;
    }
    case 'userdel': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
      const username = onlyName(positionals, 'userdel');
      // As the delete user API: the built-in users stay (reset their password instead).
      if (RESERVED_USERNAMES.has(username)) throw new CliError(EXIT_DATA, `user [${username}] is reserved and cannot be deleted`);
      if (!(await users.delete(username))) throw new CliError(EXIT_NO_USER, `User [${username}] doesn't exist`);
      return;
    }
    default:
      throw new CliError(EXIT_USAGE, command === undefined ? USERS_USAGE : `unknown users command [${command}]\n\n${USERS_USAGE}`);
  }
}

/** elasticsearch-users prints "%-15s: %s". */
function formatUser(username: string, roles: readonly string[]): string {
  return `${username.padEnd(15)}: ${roles.length > 0 ? roles.join(',') : '-'}`;
}
