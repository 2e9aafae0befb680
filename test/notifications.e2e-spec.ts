import type { SMTPServer } from 'smtp-server';
import { freePort } from '../libs/platform/src/index.js';
import { ownDatabase, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { consentedPatient } from './support/sessions.js';
import { smtp, type Received } from './support/smtp.js';

const until = async (what: string, check: () => Promise<boolean> | boolean, ms = 20000): Promise<void> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('notifications by SMTP', () => {
  let t: TestApp;
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  let a: Staff;
  let port: number;
  const inbox: Received[] = [];
  let server: SMTPServer | null = null;
  beforeAll(async () => {
    port = await freePort();
    server = await smtp(port, inbox);
    db = await ownDatabase();
    t = await startTestApp({
      DATABASE_URL: db.url,
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      WORKER_EMBEDDED: 'true',
      SWEEPER_INTERVAL_SEC: '1',
    });
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  async function withdrawConsent(): Promise<string> {
    const patientId = await consentedPatient(t.http, a);
    const consents = await t.http.get(`/api/v1/patients/${patientId}/consents`).set(bearer(a.token.nurse)).expect(200);
    await t.http
      .post(`/api/v1/patients/${patientId}/consents/${consents.body.items[0].id}/withdraw`)
      .set(bearer(a.token.nurse))
      .send({ reason: 'moving away' })
      .expect(200);
    const [row] = await t.runtime.dataSource.query<{ id: string }[]>(
      `SELECT n.id FROM notifications n JOIN follow_ups f ON n.body LIKE '%' || f.id || '%' WHERE f.patient_id = $1`,
      [patientId],
    );
    return row.id;
  }

  const status = async (id: string) =>
    (
      await t.runtime.dataSource.query<{ status: string; attempts: number }[]>(`SELECT status, attempts FROM notifications WHERE id = $1`, [
        id,
      ])
    )[0];

  it('an outbox message is delivered once to the SMTP server, after commit', async () => {
    const id = await withdrawConsent();
    await until('delivery', async () => (await status(id)).status === 'sent');
    const mine = inbox.filter((m) => m.raw.includes(`<${id}@vigil>`));
    expect(mine).toHaveLength(1);
    expect(mine[0].to).toEqual([a.admin.email]);
    expect(mine[0].subject).toBe('Vigil: consent withdrawn');
    expect(mine[0].raw).toContain('moving away');
    const list = await t.http.get('/api/v1/notifications?status=sent').set(bearer(a.token.admin)).expect(200);
    expect(list.body.items.some((n: { id: string }) => n.id === id)).toBe(true);
    const nurses = await t.http.get('/api/v1/notifications').set(bearer(a.token.nurse)).expect(200);
    expect(nurses.body.items.some((n: { id: string }) => n.id === id)).toBe(false);
  });

  it('with the SMTP server down, the message waits in the outbox and goes out once when it is back', async () => {
    await new Promise<void>((r) => server!.close(() => r()));
    server = null;
    const id = await withdrawConsent();
    await until('a failed attempt', async () => (await status(id)).attempts >= 1);
    expect((await status(id)).status).toBe('pending');
    const [err] = await t.runtime.dataSource.query<{ last_error: string }[]>(`SELECT last_error FROM notifications WHERE id = $1`, [id]);
    expect(err.last_error).toMatch(/ECONNREFUSED|connect/i);
    server = await smtp(port, inbox);
    await until('delivery after the outage', async () => (await status(id)).status === 'sent', 30000);
    expect(inbox.filter((m) => m.raw.includes(`<${id}@vigil>`))).toHaveLength(1);
  });
});
