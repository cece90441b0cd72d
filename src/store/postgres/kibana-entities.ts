// All SQL of the Kibana issue's entities on PostgreSQL: service tokens, application privileges,
// user profiles and role mappings. Deleting a service token revokes it: that write answers after
// the fleet applied it; the others change no credential.
import {
  PROFILE_COLUMNS,
  SERVICE_TOKEN_COLUMNS as TOKEN_COLUMNS,
  privilegeFromRow as privilegeOf,
  profileFromRow as profileOf,
  roleMappingFromRow as mappingOf,
  serviceTokenFromRow as tokenOf,
  type PrivilegeRow,
  type ProfileRow,
  type RoleMappingRow as MappingRow,
  type ServiceTokenRow,
} from '../rows-entities.js';
import type {
  ApplicationPrivilegeRecord,
  ApplicationPrivilegeRepository,
  ProfileRecord,
  ProfileRepository,
  RoleMappingRecord,
  RoleMappingRepository,
  ServiceTokenRecord,
  ServiceTokenRepository,
} from '../types.js';
import type { PgDb } from './db.js';
import type { Fleet } from './fleet.js';

export class PgServiceTokens implements ServiceTokenRepository {
  constructor(
    private readonly db: PgDb,
    private readonly fleet: Fleet,
  ) {}

  async insert(record: ServiceTokenRecord): Promise<boolean> {
    const result = await this.db.query(`INSERT INTO service_tokens (${TOKEN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, [
      record.accountId,
      record.name,
      record.digest,
      record.createdAt,
      record.creator.principal,
      record.creator.realm,
    ]);
    return result.rowCount === 1;
  }

  async get(accountId: string, name: string): Promise<ServiceTokenRecord | null> {
    const row = (await this.db.query<ServiceTokenRow>(`SELECT ${TOKEN_COLUMNS} FROM service_tokens WHERE account_id = $1 AND name = $2`, [accountId, name])).rows[0];
    return row === undefined ? null : tokenOf(row);
  }

  async list(accountId: string): Promise<ServiceTokenRecord[]> {
    return (await this.db.query<ServiceTokenRow>(`SELECT ${TOKEN_COLUMNS} FROM service_tokens WHERE account_id = $1 ORDER BY name`, [accountId])).rows.map(tokenOf);
  }

  async delete(accountId: string, name: string): Promise<boolean> {
    return this.fleet.write(async (tx) => {
      const done = (await tx.query('DELETE FROM service_tokens WHERE account_id = $1 AND name = $2', [accountId, name])).rowCount === 1;
      return { result: done, change: done ? { kind: 'service_token', subject: `${accountId}/${name}`, revokes: true } : null };
    });
  }
}

export class PgApplicationPrivileges implements ApplicationPrivilegeRepository {
  constructor(private readonly db: PgDb) {}

  async put(record: ApplicationPrivilegeRecord): Promise<{ created: boolean }> {
    const row = await this.db.query<{ created: boolean }>(
      `INSERT INTO application_privileges (application, name, actions, metadata) VALUES ($1, $2, $3, $4)
       ON CONFLICT (application, name) DO UPDATE SET actions = EXCLUDED.actions, metadata = EXCLUDED.metadata
       RETURNING (xmax = 0) AS created`,
      [record.application, record.name, JSON.stringify(record.actions), JSON.stringify(record.metadata)],
    );
    return { created: row.rows[0]?.created === true };
  }

  async list(applications?: readonly string[]): Promise<ApplicationPrivilegeRecord[]> {
    const sql = 'SELECT application, name, actions, metadata FROM application_privileges';
    const rows =
      applications === undefined
        ? await this.db.query<PrivilegeRow>(`${sql} ORDER BY application, name`)
        : await this.db.query<PrivilegeRow>(`${sql} WHERE application = ANY($1::text[]) ORDER BY application, name`, [[...new Set(applications)]]);
    return rows.rows.map(privilegeOf);
  }

  async delete(application: string, name: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM application_privileges WHERE application = $1 AND name = $2', [application, name])).rowCount === 1;
  }
}

// ILIKE on each field, as SQLite's LIKE is case-insensitive for ASCII; the prefix's wildcards are escaped.
const MATCH = "enabled AND (username ILIKE $1 ESCAPE '\\' OR full_name ILIKE $1 ESCAPE '\\' OR email ILIKE $1 ESCAPE '\\')";

export class PgProfiles implements ProfileRepository {
  constructor(private readonly db: PgDb) {}

  async get(uid: string): Promise<ProfileRecord | null> {
    const row = (await this.db.query<ProfileRow>(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE uid = $1`, [uid])).rows[0];
    return row === undefined ? null : profileOf(row);
  }

  async put(record: ProfileRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO profiles (${PROFILE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (uid) DO UPDATE SET enabled = EXCLUDED.enabled, last_synchronized = EXCLUDED.last_synchronized,
         username = EXCLUDED.username, realm_name = EXCLUDED.realm_name, realm_type = EXCLUDED.realm_type, roles = EXCLUDED.roles,
         full_name = EXCLUDED.full_name, email = EXCLUDED.email, labels = EXCLUDED.labels, data = EXCLUDED.data, seq_no = EXCLUDED.seq_no`,
      [
        record.uid,
        record.enabled,
        record.lastSynchronized,
        record.user.username,
        record.user.realmName,
        record.user.realmType,
        JSON.stringify(record.user.roles),
        record.user.fullName,
        record.user.email,
        JSON.stringify(record.labels),
        JSON.stringify(record.data),
        record.seqNo,
      ],
    );
  }

  async suggest(name: string, limit: number): Promise<{ total: number; profiles: ProfileRecord[] }> {
    const prefix = `${name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const total = (await this.db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM profiles WHERE ${MATCH}`, [prefix])).rows[0]?.n ?? '0';
    const rows = await this.db.query<ProfileRow>(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE ${MATCH} ORDER BY username LIMIT $2`, [prefix, limit]);
    return { total: Number(total), profiles: rows.rows.map(profileOf) };
  }
}

export class PgRoleMappings implements RoleMappingRepository {
  constructor(private readonly db: PgDb) {}

  async get(name: string): Promise<RoleMappingRecord | null> {
    const row = (await this.db.query<MappingRow>('SELECT name, mapping FROM role_mappings WHERE name = $1', [name])).rows[0];
    return row === undefined ? null : mappingOf(row);
  }

  async list(): Promise<RoleMappingRecord[]> {
    return (await this.db.query<MappingRow>('SELECT name, mapping FROM role_mappings ORDER BY name')).rows.map(mappingOf);
  }

  async put(record: RoleMappingRecord): Promise<{ created: boolean }> {
    const row = await this.db.query<{ created: boolean }>(
      'INSERT INTO role_mappings (name, mapping) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET mapping = EXCLUDED.mapping RETURNING (xmax = 0) AS created',
      [record.name, JSON.stringify(record.mapping)],
    );
    return { created: row.rows[0]?.created === true };
  }

  async delete(name: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM role_mappings WHERE name = $1', [name])).rowCount === 1;
  }
}
