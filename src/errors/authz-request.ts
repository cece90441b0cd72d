// 400s for requests esgate cannot classify unambiguously before authorization: paths an
// intermediary could read differently, bodies whose targets cannot be parsed exactly.
import { EsError } from './es-error.js';

/** A path esgate will not authorize or forward because it could mean two things. */
export function ambiguousPath(path: string, why: string): EsError {
  return new EsError(400, 'illegal_argument_exception', `request path [${path}] is ambiguous and is not forwarded: ${why}`);
}

/** A query parameter that names targets was given more than once with different values. */
export function ambiguousParameter(name: string): EsError {
  return new EsError(400, 'illegal_argument_exception', `request parameter [${name}] is given more than once with different values`);
}

/** A body that must be read to find the request's targets but cannot be (encoding, content type). */
export function unreadableBody(reason: string): EsError {
  return new EsError(400, 'illegal_argument_exception', reason);
}

/** Date math in an index name esgate does not resolve; Elasticsearch's wording for bad date math. */
export function unsupportedDateMath(expression: string, why: string): EsError {
  return new EsError(400, 'parse_exception', `invalid date math expression [${expression}]: ${why}`);
}

/** Elasticsearch's ParsingException (`parsing_exception`), e.g. an unknown key in an `_mget` body. */
export function parsingException(reason: string): EsError {
  return new EsError(400, 'parsing_exception', reason);
}
