// First start with an empty store: create the superuser `elastic` and print its password once,
// as Elasticsearch 8's security auto-configuration does. The password is never logged.
import type { Random } from '../runtime/random.js';
import type { UserService } from '../services/user-service.js';

export const BOOTSTRAP_USER = 'elastic';

/** 20 characters of base64url: ~120 bits. */
export function generatePassword(random: Random): string {
  return random.bytes(15).toString('base64url');
}

export async function bootstrapSuperuser(
  users: UserService,
  random: Random,
  configuredPassword: string,
  print: (text: string) => void,
): Promise<'created' | 'exists'> {
  if ((await users.count()) > 0) return 'exists';
  const password = configuredPassword !== '' ? configuredPassword : generatePassword(random);
  // Two instances starting on one empty store: only the one whose insert wins prints.
  const created = await users.create({ username: BOOTSTRAP_USER, password, roles: ['superuser'] });
  if (!created) return 'exists';
  if (configuredPassword === '') {
    const rule = '-'.repeat(72);
    print(
      [
        rule,
        'esgate: security store initialised. The superuser was created:',
        '',
        `  username: ${BOOTSTRAP_USER}`,
        `  password: ${password}`,
        '',
        'This password is shown only this once. Change it with',
        `  esgate reset-password -u ${BOOTSTRAP_USER} -i`,
        rule,
        '',
      ].join('\n'),
    );
  }
  return 'created';
}
