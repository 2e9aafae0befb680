import type { DataSource } from 'typeorm';

const MIGRATION_LOCK = 0x76_69_67_6d; // 'vigm'

/**
 * Applies pending migrations, each in its own transaction, holding an advisory lock so API and
 * worker processes starting together apply them once.
 */
export async function applyMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * The SQL that would bring the schema in line with the entities; empty when the migrations and
 * the entities agree. Used by `migration:check` (part of the test command) and `migration:generate`.
 */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<{ up: string[]; down: string[] }> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return {
    up: log.upQueries.map((q) => q.query),
    down: log.downQueries.map((q) => q.query),
  };
}
