// `esgate keys rotate | list`: the key pairs that sign the ECE login's JWTs. A rotation makes a new
// signing key; the previous ones still verify the JWTs they signed (they live at most
// authc.token.timeout) and stay in the JWKS for a day. Running instances pick the change up from the store.
import type { JwtService } from '../services/jwt-service.js';
import { CliError, EXIT_USAGE } from './errors.js';
import type { Io } from './prompt.js';

export const KEYS_USAGE = `Usage: esgate keys rotate | list

  rotate   create a new signing key for the ECE login's JWTs (/api/v1/users/auth/_login)
  list     print the key ids published at /_esgate/jwks.json, the signing key first
`;

export async function keysCommand(args: readonly string[], jwt: JwtService, io: Io): Promise<void> {
  const [command, ...rest] = args;
  if (rest.length > 0 || (command !== 'rotate' && command !== 'list')) throw new CliError(EXIT_USAGE, `${command === undefined ? 'missing keys command' : `unknown keys command [${command}]`}\n\n${KEYS_USAGE}`);
  if (command === 'rotate') {
    io.stdout.write(`new signing key: ${await jwt.rotate()}\n`);
    return;
  }
  for (const key of (await jwt.jwks()).keys) io.stdout.write(`${key.kid}\n`);
}
