// Request-body helpers for the security APIs: a required body, a JSON object, fields of known types.
// Elasticsearch answers these with parse exceptions naming the request and the field.
import { EsError } from '../errors/es-error.js';
import { parseException } from '../errors/request.js';

export type JsonObject = Record<string, unknown>;

export const isJsonObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The parsed JSON object body, or Elasticsearch's "request body is required". */
export function requireObjectBody(body: unknown): JsonObject {
  if (body === undefined || body === null || body === '') throw parseException('request body is required');
  if (!isJsonObject(body)) throw new EsError(400, 'x_content_parse_exception', 'request body must be a JSON object');
  return body;
}

export function optionalObjectBody(body: unknown): JsonObject {
  if (body === undefined || body === null || body === '') return {};
  return requireObjectBody(body);
}

/** Rejects fields the request does not know, as Elasticsearch's ObjectParser does. */
export function rejectUnknownFields(body: JsonObject, known: readonly string[], requestName: string): void {
  for (const key of Object.keys(body)) {
    if (!known.includes(key)) throw new EsError(400, 'x_content_parse_exception', `[${requestName}] unknown field [${key}]`);
  }
}

function wrongType(requestName: string, field: string, expected: string): EsError {
  return new EsError(400, 'x_content_parse_exception', `[${requestName}] failed to parse field [${field}]: expected ${expected}`);
}

export function stringField(body: JsonObject, field: string, requestName: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(requestName, field, 'a string');
  return value;
}

export function booleanField(body: JsonObject, field: string, requestName: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw wrongType(requestName, field, 'a boolean');
  return value;
}

export function stringArrayField(body: JsonObject, field: string, requestName: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw wrongType(requestName, field, 'an array of strings');
  return value as string[];
}

export function objectField(body: JsonObject, field: string, requestName: string): JsonObject | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw wrongType(requestName, field, 'an object');
  return value;
}

/** Comma-separated names of a path parameter (`/_security/user/a,b`). */
export function namesParam(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((name) => name.trim()).filter((name) => name !== '');
}
