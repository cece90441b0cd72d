export interface PgMigration {
  readonly version: number;
  readonly name: string;
  /** One or more statements, run inside the migration's transaction. */
  readonly sql: string;
}
