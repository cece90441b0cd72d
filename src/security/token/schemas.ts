// Bodies of the token API with Elasticsearch's field names (RestGetTokenAction and
// RestInvalidateTokenAction parsers): zod for the shape, Elasticsearch's parse errors for problems.
import { z } from 'zod';
import { EsError } from '../../errors/es-error.js';
import { parseException, xContentParseException } from '../../errors/request.js';

const optionalString = z.string().optional();

export const tokenRequestSchema = z
  .object({
    grant_type: optionalString,
    username: optionalString,
    password: optionalString,
    kerberos_ticket: optionalString,
    refresh_token: optionalString,
    scope: optionalString,
  })
  .strict();
export type TokenRequest = z.output<typeof tokenRequestSchema>;

export const invalidateTokenRequestSchema = z
  .object({
    token: optionalString,
    refresh_token: optionalString,
    realm_name: optionalString,
    username: optionalString,
  })
  .strict();
export type InvalidateTokenRequest = z.output<typeof invalidateTokenRequestSchema>;

/** Jackson's token names, which Elasticsearch quotes in "doesn't support values of type". */
function tokenType(value: unknown): string {
  if (value === null) return 'VALUE_NULL';
  if (Array.isArray(value)) return 'START_ARRAY';
  switch (typeof value) {
    case 'string':
      return 'VALUE_STRING';
    case 'number':
      return 'VALUE_NUMBER';
    case 'boolean':
      return 'VALUE_BOOLEAN';
    default:
      return 'START_OBJECT';
  }
}

/**
 * "line:column" of a top-level field name, as Jackson reports it. The body was parsed already, so
 * this is the position in its compact form: exact for the compact JSON clients send, near otherwise.
 */
function fieldLocation(body: Record<string, unknown>, field: string): [number, number] {
  let offset = 1;
  for (const [key, value] of Object.entries(body)) {
    if (key === field) return [1, offset + 1];
    offset += JSON.stringify(key).length + 1 + (JSON.stringify(value)?.length ?? 4) + 1;
  }
  return [1, 1];
}

/** Parses a request body the way Elasticsearch's ObjectParser named `parserName` does. */
export function parseBody<S extends z.ZodType>(schema: S, parserName: string, body: unknown): z.output<S> {
  if (body === undefined || body === null) throw parseException('request body is required');
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw xContentParseException(`[1:1] [${parserName}] Expected START_OBJECT but was: ${tokenType(body)}`);
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const record = body as Record<string, unknown>;
  // Elasticsearch stops at the first problem in document order.
  let first: { column: number; error: EsError } | undefined;
  for (const issue of result.error.issues) {
    const fields = issue.code === 'unrecognized_keys' ? issue.keys : [String(issue.path[0] ?? '')];
    for (const field of fields) {
      const [line, column] = fieldLocation(record, field);
      const reason =
        issue.code === 'unrecognized_keys'
          ? `[${line}:${column}] [${parserName}] unknown field [${field}]`
          : `[${line}:${column}] [${parserName}] ${field} doesn't support values of type: ${tokenType(record[field])}`;
      if (first === undefined || column < first.column) first = { column, error: xContentParseException(reason) };
    }
  }
  throw first?.error ?? xContentParseException(`[1:1] [${parserName}] failed to parse`);
}
