// The console's only way to the server: esgate's Elasticsearch-compatible APIs, with the signed-in
// user's access token. Errors keep Elasticsearch's status, type and reason so screens can show them.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'ApiError';
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Elasticsearch's error bodies ({error:{type,reason}}, {error:"text"}) and OAuth2's ({error, error_description}). */
export function apiErrorOf(status: number, body: unknown): ApiError {
  if (isObject(body)) {
    const error = body['error'];
    if (isObject(error)) return new ApiError(status, String(error['type'] ?? 'error'), String(error['reason'] ?? 'unknown error'));
    if (typeof error === 'string') {
      const description = body['error_description'];
      return typeof description === 'string' ? new ApiError(status, error, description) : new ApiError(status, 'error', error);
    }
  }
  return new ApiError(status, 'error', `HTTP ${status}`);
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** One request; the body is JSON; the response is parsed whatever its status. */
export async function send(method: string, path: string, authorization: string | null, body?: unknown, extra: Record<string, string> = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { ...extra, accept: 'application/json' };
  if (authorization !== null) headers['authorization'] = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), credentials: 'omit', cache: 'no-store' });
  const text = await response.text();
  let parsed: unknown = null;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { error: text.slice(0, 200) };
    }
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

export async function call<T = Json>(method: string, path: string, authorization: string | null, body?: unknown, extra?: Record<string, string>): Promise<T> {
  const response = await send(method, path, authorization, body, extra);
  if (response.status >= 400) throw apiErrorOf(response.status, response.body);
  return response.body as T;
}

/** A path segment: Elasticsearch names may hold characters that have a meaning in a URL. */
export const seg = (name: string) => encodeURIComponent(name);
