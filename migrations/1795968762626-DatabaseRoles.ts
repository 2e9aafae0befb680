import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The role the API and the worker run as: `vigil_app` (no login of its own; a login role is made a
 * member of it, e.g. `CREATE ROLE vigil_api LOGIN PASSWORD … IN ROLE vigil_app`). It reads and
 * writes Vigil's rows but owns none of its tables, so it cannot drop or disable the triggers that
 * keep the audit trail append-only, nor alter any table; on `audit_events` it may only read and
 * append, and it only reads the list of applied migrations. Tables created by later migrations
 * (run by the owner, through DATABASE_MIGRATION_URL) get the same grants by default privileges.
 * It may create schemas in the database: BullMQ's PostgreSQL backend creates its own (`bullmq`).
 * Roles belong to the whole PostgreSQL server: where the migrating user may not create roles,
 * nothing is created or granted (a NOTICE says so) and Vigil runs as the owner, as before.
 */
export class DatabaseRoles1795968762626 implements MigrationInterface {
  name = 'DatabaseRoles1795968762626';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigil_app') THEN
          IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
            RAISE NOTICE 'vigil_app not created: % may not create roles; the application runs as the owner', current_user;
            RETURN;
          END IF;
          BEGIN
            CREATE ROLE vigil_app NOLOGIN;
          EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- created meanwhile by a migration of another database of this server
          END;
        END IF;
        EXECUTE format('GRANT CONNECT, TEMPORARY, CREATE ON DATABASE %I TO vigil_app', current_database());
        GRANT USAGE ON SCHEMA public TO vigil_app;
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO vigil_app;
        GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO vigil_app;
        GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO vigil_app;
        REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM vigil_app;
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migrations FROM vigil_app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO vigil_app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO vigil_app;
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigil_app') THEN RETURN; END IF;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM vigil_app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM vigil_app;
        REVOKE ALL ON ALL TABLES IN SCHEMA public FROM vigil_app;
        REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM vigil_app;
        REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM vigil_app;
        REVOKE USAGE ON SCHEMA public FROM vigil_app;
        EXECUTE format('REVOKE ALL ON DATABASE %I FROM vigil_app', current_database());
      END
      $$`);
  }
}
