// Elasticsearch's built-in service accounts (ElasticServiceAccounts): a principal `elastic/<service>`,
// one role descriptor each, and the user _authenticate shows. kibana's descriptor is kibana_system's.
import type { Authentication, AuthenticatedUser } from './authentication.js';
import { BUILTIN_ROLES } from './builtin-roles.js';
import type { RoleDescriptor } from './role-descriptor.js';

export interface ServiceAccount {
  readonly principal: string;
  readonly roleDescriptor: RoleDescriptor;
  readonly user: AuthenticatedUser;
}

const index = (names: string[], privileges: string[], allowRestricted = false) => ({ names, privileges, allow_restricted_indices: allowRestricted });

const descriptor = (partial: Partial<RoleDescriptor>): RoleDescriptor => ({
  cluster: partial.cluster ?? [],
  indices: partial.indices ?? [],
  applications: partial.applications ?? [],
  run_as: [],
  metadata: partial.metadata ?? {},
});

const FLEET_SERVER = descriptor({
  cluster: ['monitor', 'manage_own_api_key'],
  indices: [
    index(['logs-*', 'metrics-*', 'traces-*', '.logs-endpoint.diagnostic.collection-*', '.logs-endpoint.action.responses-*'], ['write', 'create_index', 'auto_configure']),
    index(['profiling-*'], ['read', 'write', 'auto_configure']),
    index(['traces-apm.sampled-*'], ['read', 'monitor', 'maintenance']),
    index(['.fleet-secrets*'], ['read'], true),
    index(['.fleet-*'], ['read', 'write', 'monitor', 'create_index', 'auto_configure', 'maintenance'], true),
    index(['synthetics-*'], ['read', 'write', 'create_index', 'auto_configure']),
  ],
  applications: [{ application: 'kibana-*', privileges: ['reserved_fleet-setup'], resources: ['*'] }],
});

const ENTERPRISE_SEARCH = descriptor({
  cluster: ['manage', 'manage_security'],
  indices: [
    index(
      [
        'search-*',
        '.elastic-analytics-collections',
        '.ent-search-*',
        '.monitoring-ent-search-*',
        'metricbeat-ent-search-*',
        'enterprise-search-*',
        'logs-app_search.analytics-default',
        'logs-elastic_analytics.events-*',
        'logs-enterprise_search.api-default',
        'logs-enterprise_search.audit-default',
        'logs-app_search.search_relevance_suggestions-default',
        'logs-crawler-default',
        'logs-elastic_crawler-default',
        'logs-workplace_search.analytics-default',
        'logs-workplace_search.content_events-default',
        '.elastic-connectors*',
      ],
      ['manage', 'read', 'write'],
    ),
  ],
});

function account(service: string, roleDescriptor: RoleDescriptor): [string, ServiceAccount] {
  const principal = `elastic/${service}`;
  const user: AuthenticatedUser = Object.freeze({
    username: principal,
    roles: Object.freeze([]) as readonly string[],
    fullName: `Service account - ${principal}`,
    email: null,
    metadata: Object.freeze({ _elastic_service_account: true }),
    enabled: true,
  });
  return [principal, Object.freeze({ principal, roleDescriptor, user })];
}

/** By principal, sorted as Elasticsearch lists them. */
export const SERVICE_ACCOUNTS: ReadonlyMap<string, ServiceAccount> = new Map([
  account('enterprise-search-server', ENTERPRISE_SEARCH),
  account('fleet-server', FLEET_SERVER),
  account('kibana', BUILTIN_ROLES.get('kibana_system') as RoleDescriptor),
]);

/** The realm of a service account authentication, as _authenticate shows it. */
export const SERVICE_ACCOUNT_REALM = Object.freeze({ name: '_service_account', type: '_service_account' });

/** The authentication of a service account token (or of an OAuth2 token it obtained). */
export function serviceAccountAuthentication(account: ServiceAccount, tokenName: string): Authentication {
  return Object.freeze({
    user: account.user,
    authenticationRealm: SERVICE_ACCOUNT_REALM,
    lookupRealm: SERVICE_ACCOUNT_REALM,
    type: 'token',
    scheme: 'bearer',
    serviceAccount: Object.freeze({ principal: account.principal, tokenName, tokenSource: 'index' as const }),
  });
}
