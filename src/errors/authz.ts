// 403 texts of Elasticsearch's AuthorizationService.actionDenied / Messages.
import { EsError } from './es-error.js';

export interface DeniedSubject {
  readonly username: string;
  /** Roles of the effective user; omitted for API keys, as Elasticsearch does. */
  readonly roles: readonly string[] | null;
  readonly apiKeyId?: string;
  readonly runAs?: string;
}

function subjectText(subject: DeniedSubject): string {
  let text = subject.apiKeyId !== undefined ? `API key id [${subject.apiKeyId}] of user [${subject.username}]` : `user [${subject.username}]`;
  if (subject.runAs !== undefined) text += ` run as [${subject.runAs}]`;
  if (subject.roles !== null) text += ` with effective roles [${subject.roles.join(',')}]`;
  return text;
}

export function clusterActionDenied(action: string, subject: DeniedSubject, grantedBy: readonly string[]): EsError {
  let reason = `action [${action}] is unauthorized for ${subjectText(subject)}`;
  if (grantedBy.length > 0) reason += `, this action is granted by the cluster privileges [${grantedBy.join(',')}]`;
  return new EsError(403, 'security_exception', reason);
}

export function indexActionDenied(action: string, subject: DeniedSubject, indices: readonly string[], grantedBy: readonly string[]): EsError {
  let reason = `action [${action}] is unauthorized for ${subjectText(subject)} on indices [${indices.join(',')}]`;
  if (grantedBy.length > 0) reason += `, this action is granted by the index privileges [${grantedBy.join(',')}]`;
  return new EsError(403, 'security_exception', reason);
}

/** Run-as refusals, told apart from action refusals for the audit trail (run_as_denied). */
const RUN_AS_DENIALS = new WeakSet<object>();

export function isRunAsDenial(error: unknown): boolean {
  return typeof error === 'object' && error !== null && RUN_AS_DENIALS.has(error);
}

export function runAsDenied(action: string, subject: DeniedSubject, target: string): EsError {
  const { runAs: _ignored, ...authenticating } = subject;
  const error = new EsError(
    403,
    'security_exception',
    `action [${action}] is unauthorized for ${subjectText(authenticating)}, because user [${subject.username}] is unauthorized to run as [${target}]`,
  );
  RUN_AS_DENIALS.add(error);
  return error;
}

/** A request no row of the endpoint table describes: only the cluster privilege `all` allows it. */
export function unclassifiedDenied(method: string, path: string, subject: DeniedSubject): EsError {
  return new EsError(
    403,
    'security_exception',
    `action [${method} ${path}] is unauthorized for ${subjectText(subject)}, this request is not classified by esgate and is granted by the cluster privileges [all]`,
  );
}

/** A scroll or point-in-time id that belongs to another identity (SecuritySearchOperationListener). */
export function searchContextMissing(id: string): EsError {
  return new EsError(404, 'search_context_missing_exception', `No search context found for id [${id}]`);
}

export function asyncSearchMissing(id: string): EsError {
  return new EsError(404, 'resource_not_found_exception', id);
}
