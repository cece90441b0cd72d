// The token endpoint answers RFC 6749 §5.2 bodies, as Elasticsearch's RestGetTokenAction does.
export type OAuth2ErrorCode = 'invalid_request' | 'invalid_grant' | 'unsupported_grant_type';

export class OAuth2Error extends Error {
  readonly status = 400;
  readonly error: OAuth2ErrorCode;

  constructor(error: OAuth2ErrorCode, description: string) {
    super(description);
    this.name = 'OAuth2Error';
    this.error = error;
  }

  toBody(): Record<string, unknown> {
    return { error: this.error, error_description: this.message };
  }
}
