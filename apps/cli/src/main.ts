import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { ENTITIES } from '#clinic/schema';
import {
  ConfigError,
  DomainError,
  PlatformModule,
  TenancyService,
  applyMigrations,
  createDataSource,
  loadConfig,
  pendingSchemaChanges,
  startRuntime,
  type VigilConfig,
} from '#platform';
import { MIGRATIONS } from '../../../migrations/index.js';
import { createScratchDatabase } from './scratch-database.js';

const USAGE = `usage: npm run vigil -- <command>
  clinic:create --name <name> --timezone <IANA zone> --admin-email <email> --admin-password <password> [--admin-name <name>]
  migration:run                 apply pending migrations
  migration:revert              undo the last migration
  migration:check               fail when the entities and the migrations disagree
  migration:generate <Name>     write migrations/<timestamp>-<Name>.ts from the difference`;

const schema = { entities: ENTITIES, migrations: MIGRATIONS };

async function withRuntime<T>(
  config: VigilConfig,
  fn: (rt: Awaited<ReturnType<typeof startRuntime>>) => Promise<T>,
  opts: { migrate?: boolean } = {},
): Promise<T> {
  // The CLI is the operator's: it connects as the owner of the tables (DATABASE_MIGRATION_URL, or
  // the embedded server's superuser) so migrations can be applied, reverted and checked.
  const runtime = await startRuntime(config, schema, (m) => process.stderr.write(`${m}\n`), { ...opts, asOwner: true });
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

/** Applies every migration to a fresh database and returns the SQL still missing for the entities. */
async function schemaDiff(config: VigilConfig): Promise<{ up: string[]; down: string[] }> {
  // The scratch database gets the migrations; the configured one is left as it is.
  return withRuntime(
    config,
    async (rt) => {
      const scratch = await createScratchDatabase(rt.databaseUrl, 'vigil_schema_check');
      const ds = createDataSource(scratch.url, { ...schema, poolSize: 2 });
      try {
        await ds.initialize();
        await applyMigrations(ds);
        return await pendingSchemaChanges(ds);
      } finally {
        if (ds.isInitialized) await ds.destroy();
        await scratch.drop();
      }
    },
    { migrate: false },
  );
}

function migrationSource(className: string, up: string[], down: string[]): string {
  const q = (sql: string) => `    await queryRunner.query(${JSON.stringify(sql)});`;
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${up.map(q).join('\n')}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${[...down].reverse().map(q).join('\n')}
  }
}
`;
}

async function migrationRun(config: VigilConfig): Promise<number> {
  await withRuntime(config, async (rt) => {
    process.stdout.write(rt.appliedMigrations.length ? `applied: ${rt.appliedMigrations.join(', ')}\n` : 'nothing to apply\n');
  });
  return 0;
}

async function migrationRevert(config: VigilConfig): Promise<number> {
  await withRuntime(
    config,
    async (rt) => {
      await rt.dataSource.undoLastMigration({ transaction: 'each' });
      process.stdout.write('reverted the last migration\n');
    },
    { migrate: false },
  );
  return 0;
}

async function migrationCheck(config: VigilConfig): Promise<number> {
  const diff = await schemaDiff(config);
  if (diff.up.length === 0) {
    process.stdout.write('migrations and entities agree\n');
    return 0;
  }
  process.stderr.write(
    `the entities need SQL no migration has (run npm run migration:generate -- <Name>):\n${diff.up.map((s) => `  ${s};`).join('\n')}\n`,
  );
  return 1;
}

async function migrationGenerate(config: VigilConfig, args: string[]): Promise<number> {
  const name = args[0];
  if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    process.stderr.write('migration:generate needs a PascalCase name, e.g. AddPatients\n');
    return 2;
  }
  const diff = await schemaDiff(config);
  if (diff.up.length === 0) {
    process.stdout.write('no schema change to generate\n');
    return 0;
  }
  const stamp = Date.now();
  const file = `migrations/${stamp}-${name}.ts`;
  await writeFile(file, migrationSource(`${name}${stamp}`, diff.up, diff.down));
  process.stdout.write(`wrote ${file}; read it, tidy it, and add it to migrations/index.ts\n`);
  return 0;
}

async function clinicCreate(config: VigilConfig, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      timezone: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-password': { type: 'string' },
      'admin-name': { type: 'string' },
    },
  });
  return withRuntime(config, async (rt) => {
    const app = await NestFactory.createApplicationContext(PlatformModule.forRoot(rt), { logger: ['error', 'warn'] });
    try {
      const { clinic, adminId } = await app.get(TenancyService).createClinic({
        name: values.name ?? '',
        timeZone: values.timezone ?? '',
        adminEmail: values['admin-email'] ?? '',
        adminPassword: values['admin-password'] ?? '',
        adminName: values['admin-name'],
      });
      process.stdout.write(`${JSON.stringify({ clinicId: clinic.id, name: clinic.name, timeZone: clinic.timeZone, adminId })}\n`);
      return 0;
    } finally {
      await app.close();
    }
  });
}

/** Each command of USAGE, given the configuration and the arguments after its name; returns the exit code. */
const COMMANDS: Record<string, (config: VigilConfig, args: string[]) => Promise<number>> = {
  'migration:run': migrationRun,
  'migration:revert': migrationRevert,
  'migration:check': migrationCheck,
  'migration:generate': migrationGenerate,
  'clinic:create': clinicCreate,
};

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  const handler = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (handler) return handler(config, rest);
  process.stderr.write(`${USAGE}\n`);
  return command ? 2 : 0;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else if (err instanceof DomainError)
      process.stderr.write(
        `${err.code}: ${err.message}\n${err.details.map((d) => `  - ${String('field' in d ? d.field : d.code)}: ${String(d.message)}`).join('\n')}\n`,
      );
    else process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
