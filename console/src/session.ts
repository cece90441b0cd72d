// Sign-in: the password grant of POST /_security/oauth2/token. As in Elasticsearch, the token API
// needs an authenticated caller with manage_token: the user's own Basic credentials are sent for it.
// The tokens live in memory only (no cookie, so no CSRF surface; a reload signs out); the access
// token is refreshed before it expires and both tokens are invalidated on sign-out.
// A user without manage_token may not create tokens: the page then keeps the Basic credentials in
// memory instead, and says so.
import { ApiError, call } from './api.js';

const basic = (username: string, password: string) => `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${username}:${password}`)))}`;

interface TokenResponse {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly expires_in: number;
  readonly authentication?: { readonly username?: string };
}

export type Listener = (session: Session | null) => void;

/** Refresh when this share of the lifetime has passed (20m tokens: after 16 minutes). */
const REFRESH_AT = 0.8;

export class Session {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ended = false;

  private constructor(
    readonly username: string,
    private accessToken: string,
    private refreshToken: string | undefined,
    private readonly onEnd: Listener,
    /** Basic credentials instead of a token (the user lacks manage_token). */
    private readonly passwordAuthorization: string | null = null,
  ) {}

  static async signIn(username: string, password: string, onEnd: Listener): Promise<Session> {
    const authorization = basic(username, password);
    let answer: TokenResponse;
    try {
      answer = await call<TokenResponse>('POST', '/_security/oauth2/token', authorization, { grant_type: 'password', username, password });
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 403)) throw err;
      const me = await call<{ username: string }>('GET', '/_security/_authenticate', authorization);
      return new Session(me.username, '', undefined, onEnd, authorization);
    }
    const session = new Session(answer.authentication?.username ?? username, answer.access_token, answer.refresh_token, onEnd);
    session.schedule(answer.expires_in);
    return session;
  }

  /** Whether the session holds a token (else the password, see above). */
  get usesToken(): boolean {
    return this.passwordAuthorization === null;
  }

  get authorization(): string {
    return this.passwordAuthorization ?? `Bearer ${this.accessToken}`;
  }

  /** Calls an API as the signed-in user; a 401 means the session is gone (expired, invalidated). */
  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    try {
      return await call<T>(method, path, this.authorization, body, headers);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.end();
      throw err;
    }
  }

  private schedule(expiresInSeconds: number): void {
    if (this.refreshToken === undefined) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), Math.max(1, expiresInSeconds * REFRESH_AT) * 1000);
  }

  async refresh(): Promise<void> {
    if (this.ended || this.refreshToken === undefined) return;
    try {
      // The token API needs an authenticated caller, the creating client: the still-valid access token.
      const answer = await call<TokenResponse>('POST', '/_security/oauth2/token', this.authorization, { grant_type: 'refresh_token', refresh_token: this.refreshToken });
      this.accessToken = answer.access_token;
      this.refreshToken = answer.refresh_token;
      this.schedule(answer.expires_in);
    } catch {
      this.end();
    }
  }

  async signOut(): Promise<void> {
    if (this.ended) return;
    if (!this.usesToken) return this.end();
    // The refresh token first: invalidating it needs the access token, still valid then.
    const bodies = [...(this.refreshToken === undefined ? [] : [{ refresh_token: this.refreshToken }]), { token: this.accessToken }];
    for (const body of bodies) {
      // Best effort: the page forgets the tokens whatever the server answers.
      await call('DELETE', '/_security/oauth2/token', this.authorization, body).catch(() => undefined);
    }
    this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    this.accessToken = '';
    this.refreshToken = undefined;
    this.onEnd(null);
  }
}
