// Elasticsearch's rules for usernames and passwords (Validation.Users), worded as it words them.
const MAX_USERNAME_LENGTH = 507;
export const MIN_PASSWORD_LENGTH = 6;

/** null when valid, else Elasticsearch's message. */
export function usernameProblem(username: string): string | null {
  const printableAscii = /^[\x20-\x7E]+$/.test(username);
  if (
    username.length < 1 ||
    username.length > MAX_USERNAME_LENGTH ||
    !printableAscii ||
    username.trim() !== username
  ) {
    return (
      `Invalid username [${username}]... Valid usernames must be at least 1 and no more than ${MAX_USERNAME_LENGTH} characters. ` +
      'They can contain alphanumeric characters (a-z, A-Z, 0-9), spaces, punctuation, and printable symbols in the Basic Latin (ASCII) block. ' +
      'Leading or trailing whitespace is not allowed.'
    );
  }
  return null;
}

export function passwordProblem(password: string): string | null {
  return password.length < MIN_PASSWORD_LENGTH ? `passwords must be at least [${MIN_PASSWORD_LENGTH}] characters long` : null;
}
