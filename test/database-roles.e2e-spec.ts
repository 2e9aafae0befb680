import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startTestApp, ownDatabase, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient } from './support/factories.js';

/**
 * Migrations run as the owner of the tables (DATABASE_MIGRATION_URL); the API runs as a member of
 * `vigil_app`, which reads and writes rows but cannot alter the tables, nor the audit trail's triggers.
 */
describe('database roles: the application cannot alter what keeps the trail append-only', () => {
  const role = `vigil_api_t${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let db: { url: string; drop(): Promise<void> };
  let admin: DataSource;
  let t: TestApp;
  let asApp: DataSource;

  beforeAll(async () => {
    db = await ownDatabase();
    admin = new DataSource({ type: 'postgres', url: db.url });
    await admin.initialize();
    // As compose's init script does: a login role, member of the role the migrations grant to.
    await admin.query(`DO $$ BEGIN CREATE ROLE vigil_app NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}' IN ROLE vigil_app`);
    const appUrl = new URL(db.url);
    appUrl.username = role;
    appUrl.password = password;
    t = await startTestApp({ DATABASE_URL: appUrl.toString(), DATABASE_MIGRATION_URL: db.url });
    asApp = t.runtime.dataSource;
  });
  afterAll(async () => {
    await t?.close();
    await admin?.destroy();
    await db?.drop();
    const cleanup = new DataSource({ type: 'postgres', url: db.url.replace(/\/[^/?]+(\?|$)/, '/postgres$1') });
    await cleanup.initialize();
    await cleanup.query(`DROP ROLE IF EXISTS ${role}`);
    await cleanup.destroy();
  });

  it('the API works as that role: sign-in, a registration and its audit row', async () => {
    const staff = await clinicWithStaff(asApp, t.http);
    const patient = await createPatient(t.http, staff.token.nurse);
    await t.http.get(`/api/v1/patients/${patient.id}`).set(bearer(staff.token.nurse)).expect(200);
    const [{ current_user: user }] = await asApp.query<Array<{ current_user: string }>>('SELECT current_user');
    expect(user).toBe(role);
    const rows = await asApp.query<unknown[]>(`SELECT 1 FROM audit_events WHERE resource_id = $1`, [patient.id]);
    expect(rows.length).toBeGreaterThan(0);
  });

  it.each([
    'ALTER TABLE audit_events DISABLE TRIGGER tr_audit_events_no_update_delete',
    'DROP TRIGGER tr_audit_events_no_truncate ON audit_events',
    'DROP TABLE audit_events',
    "UPDATE audit_events SET action = 'rewritten'",
    'DELETE FROM audit_events',
    'TRUNCATE audit_events',
    // The controlled-substance ledger, likewise: read and append only.
    "UPDATE cs_events SET reason = 'rewritten'",
    'DELETE FROM cs_events',
    'TRUNCATE cs_events',
    'ALTER TABLE cs_events DISABLE TRIGGER tr_cs_events_no_update_delete',
    'ALTER TABLE patients ADD COLUMN x int',
    "INSERT INTO migrations (timestamp, name) VALUES (1, 'forged')",
  ])('refuses: %s', async (sql) => {
    await expect(asApp.query(sql)).rejects.toMatchObject({ code: '42501' });
  });
});
