// Known secret strings fed through requests; expectNoSecrets() proves none leaked.
import { expect } from 'vitest';

export const KNOWN_SECRETS = {
  bootstrapPassword: 'bootstrap-Secret-4711',
  userPassword: 'user-Secret-0815',
  wrongPassword: 'wrong-Secret-1234',
} as const;

export function expectNoSecrets(text: string, secrets: readonly string[] = Object.values(KNOWN_SECRETS)): void {
  for (const secret of secrets) {
    expect(text, `secret ${secret.slice(0, 4)}… leaked`).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(secret).toString('base64'));
  }
}
