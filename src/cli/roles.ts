// `esgate roles [list] [NAME...]`: the roles a user can be given, built-in and stored, with a
// one-line summary each. Roles are managed over HTTP (PUT /_security/role/NAME), as in Elasticsearch.
import type { RoleService } from '../services/role-service.js';
import { CliError, EXIT_NO_USER, EXIT_USAGE } from './errors.js';
import type { Io } from './prompt.js';

export const ROLES_USAGE = `Usage: esgate roles [list] [NAME...]

  list [NAME...]   list roles (all, or the named ones) with their cluster and index privileges
`;

export async function rolesCommand(args: readonly string[], roles: RoleService, io: Io): Promise<void> {
  const [command = 'list', ...names] = args;
  if (command !== 'list') throw new CliError(EXIT_USAGE, `unknown roles command [${command}]\n\n${ROLES_USAGE}`);
  const all = await roles.list();
  const shown = names.length === 0 ? all : all.filter(([name]) => names.includes(name));
  const missing = names.filter((name) => !all.some(([known]) => known === name));
  if (missing.length > 0) throw new CliError(EXIT_NO_USER, `Role [${missing.join(',')}] doesn't exist`);
  for (const [name, descriptor] of shown) {
    const indices = descriptor.indices.map((group) => `${group.names.join(',')}:${group.privileges.join('+')}`).join(' ');
    const reserved = descriptor.metadata['_reserved'] === true ? ' (reserved)' : '';
    io.stdout.write(`${name.padEnd(28)}: cluster=[${descriptor.cluster.join(',')}] indices=[${indices}]${reserved}\n`);
  }
}
