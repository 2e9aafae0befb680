import { chmod, mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ENTITIES } from '../libs/clinic/src/schema/index.js';
import {
  DomainError,
  TenancyService,
  User,
  applyMigrations,
  createDataSource,
  loadConfig,
  pendingSchemaChanges,
  startRuntime,
} from '../libs/platform/src/index.js';
import { MIGRATIONS } from '../migrations/index.js';
import { createApiApp } from '../apps/api/src/api-app.js';
import { createScratchDatabase } from '../apps/cli/src/scratch-database.js';
import { testConfigEnv } from './support/app.js';
import { testEnv } from './support/test-env.js';

const schema = { entities: ENTITIES, migrations: MIGRATIONS };

describe('schema: generated migrations match the entities', () => {
  it('a fresh database with every migration applied needs no further SQL, and the migrations revert cleanly', async () => {
    const scratch = await createScratchDatabase(testEnv.serverUrl(), 'vigil_test_schema');
    const ds = createDataSource(scratch.url, { ...schema, poolSize: 2 });
    try {
      await ds.initialize();
      expect(await applyMigrations(ds)).toEqual(MIGRATIONS.map((m) => m.name));
      expect(await pendingSchemaChanges(ds)).toEqual({ up: [], down: [] });
      expect(await applyMigrations(ds)).toEqual([]);
      for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      const tables: Array<{ tablename: string }> = await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
      expect(tables.map((t) => t.tablename)).toEqual(['migrations']);
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await scratch.drop();
    }
  });
});

describe('first start and clinics', () => {
  it('creates the bootstrap clinic and administrator once, with a generated password shown once', async () => {
    const scratch = await createScratchDatabase(testEnv.serverUrl(), 'vigil_test_boot');
    const config = loadConfig(
      testConfigEnv({ DATABASE_URL: scratch.url, BOOTSTRAP_CLINIC_NAME: 'Lakeside Ketamine', BOOTSTRAP_CLINIC_TZ: 'America/Chicago' }),
    );
    const runtime = await startRuntime(config, schema);
    const app = await createApiApp(runtime, { worker: false });
    try {
      const tenancy = app.get(TenancyService);
      const [first, second] = [await tenancy.bootstrap(), await tenancy.bootstrap()];
      expect(first).toMatchObject({ created: true, email: 'admin@vigil.local' });
      expect(first.generatedPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(second).toEqual({ created: false, email: 'admin@vigil.local' });
      expect(await runtime.dataSource.getRepository(User).count()).toBe(1);
      const res = await request(app.getHttpServer())
        .post('/api/v1/auth/login')
        .send({ email: 'admin@vigil.local', password: first.generatedPassword })
        .expect(200);
      expect(res.body.user.role).toBe('admin');
      const clinic = await runtime.dataSource.query('SELECT name, time_zone FROM clinics');
      expect(clinic).toEqual([{ name: 'Lakeside Ketamine', time_zone: 'America/Chicago' }]);
    } finally {
      await app.close();
      await runtime.close();
      await scratch.drop();
    }
  });

  it('operators add clinics with their first admin; bad input names the field', async () => {
    const config = loadConfig(testConfigEnv());
    const runtime = await startRuntime(config, schema);
    const app = await createApiApp(runtime, { worker: false });
    try {
      const tenancy = app.get(TenancyService);
      const email = `owner-${Date.now()}@vigil.test`;
      const { clinic, adminId } = await tenancy.createClinic({
        name: 'Harbor Clinic',
        timeZone: 'Europe/Dublin',
        adminEmail: email,
        adminPassword: 'a strong passphrase',
      });
      expect(clinic.timeZone).toBe('Europe/Dublin');
      expect(await runtime.dataSource.getRepository(User).findOneByOrFail({ id: adminId })).toMatchObject({
        role: 'admin',
        clinicId: clinic.id,
        email,
      });
      const bad = await tenancy
        .createClinic({ name: '', timeZone: 'Nowhere/Land', adminEmail: 'x', adminPassword: 'short' })
        .catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(DomainError);
      expect((bad as DomainError).details.map((d) => ('field' in d ? d.field : ''))).toEqual([
        'name',
        'timezone',
        'admin-email',
        'admin-password',
      ]);
      const dup = await tenancy
        .createClinic({ name: 'Again', timeZone: 'UTC', adminEmail: email, adminPassword: 'a strong passphrase' })
        .catch((e: unknown) => e);
      expect((dup as DomainError).status).toBe(409);
    } finally {
      await app.close();
      await runtime.close();
    }
  });
});

describe('one machine, nothing configured', () => {
  it('starts an embedded PostgreSQL, migrates it, keeps data and secret across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-embedded-'));
    await chmod(dir, 0o755);
    const env = {
      NODE_ENV: 'test',
      VIGIL_DATA_DIR: dir,
      LOG_LEVEL: 'error',
      LOG_REQUESTS: 'false',
      BOOTSTRAP_ADMIN_PASSWORD: 'first start password',
    };
    const first = await startRuntime(loadConfig(env), schema);
    try {
      expect(first.embedded).toBe(true);
      expect(first.queue.kind).toBe('postgres');
      expect(first.appliedMigrations).toEqual(MIGRATIONS.map((m) => m.name));
      const app = await createApiApp(first, { worker: false });
      await app.get(TenancyService).bootstrap();
      await app.close();
    } finally {
      await first.close();
    }
    expect((await stat(join(dir, 'jwt-secret'))).mode & 0o777).toBe(0o600);
    const secret = await readFile(join(dir, 'jwt-secret'), 'utf8');
    const second = await startRuntime(loadConfig(env), schema);
    try {
      expect(second.appliedMigrations).toEqual([]);
      expect(second.jwtSecret).toBe(secret.trim());
      const app = await createApiApp(second);
      const ready = await request(app.getHttpServer()).get('/health/ready').expect(200);
      expect(ready.body.queue.backend).toBe('postgres');
      await request(app.getHttpServer())
        .post('/api/v1/auth/login')
        .send({ email: 'admin@vigil.local', password: 'first start password' })
        .expect(200);
      await app.close();
    } finally {
      await second.close();
    }
  }, 90000);
});
