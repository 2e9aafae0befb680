import pg from 'pg';
import { PoolInsideTransactionError, TransactionRunner } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';
import { consentForm } from './support/sessions.js';
import { testEnv } from './support/test-env.js';

const api = '/api/v1';

describe('a request never holds one pooled connection while waiting for another', () => {
  let t: TestApp;
  let s: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  async function signedConsent(): Promise<{ patientId: string; consentId: string }> {
    const formId = await consentForm(t.http, s);
    const p = await createPatient(t.http, s.token.nurse);
    const res = await t.http
      .post(`${api}/patients/${p.id}/consents`)
      .set(bearer(s.token.nurse))
      .send({ formId, signedAt: new Date().toISOString(), signedByName: 'Ana Souza', method: 'in-person' })
      .expect(201);
    return { patientId: p.id, consentId: (res.body as { id: string }).id };
  }

  it('in the tests, asking the pool for a connection inside a transaction throws; outside and after commit it does not', async () => {
    const runner = t.app.get(TransactionRunner);
    const ds = t.runtime.dataSource;
    await expect(runner.run(() => ds.query('SELECT 1'))).rejects.toBeInstanceOf(PoolInsideTransactionError);
    await expect(runner.run((tx) => tx.manager.query('SELECT 1 AS one'))).resolves.toEqual([{ one: 1 }]);
    let later: Promise<unknown> = Promise.resolve();
    await runner.run(async (tx) => {
      tx.afterCommit(() => (later = ds.query('SELECT 1')));
      await tx.manager.query('SELECT 1');
    });
    await new Promise((r) => setTimeout(r, 20));
    await expect(later).resolves.toEqual([{ '?column?': 1 }]);
    await expect(ds.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
  });

  it('20 parallel withdrawals of one consent: one succeeds, the others answer 409, none 503', async () => {
    const { patientId, consentId } = await signedConsent();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.http
          .post(`${api}/patients/${patientId}/consents/${consentId}/withdraw`)
          .set(bearer(s.token.anesthesiologist))
          .send({ reason: 'patient changed their mind' }),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((x) => x === 200)).toHaveLength(1);
    expect(statuses.filter((x) => x !== 200 && x !== 409)).toEqual([]);
  });

  it('a record locked elsewhere answers 409 within two seconds, in the error shape', async () => {
    const { patientId, consentId } = await signedConsent();
    const holder = new pg.Client({ connectionString: testEnv.databaseUrl() });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM patient_consents WHERE id = $1 FOR UPDATE', [consentId]);
      const started = Date.now();
      const res = await t.http
        .post(`${api}/patients/${patientId}/consents/${consentId}/withdraw`)
        .set(bearer(s.token.anesthesiologist))
        .send({ reason: 'patient changed their mind' });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(res.status).toBe(409);
      expect(res.body).toEqual({
        statusCode: 409,
        code: 'CONFLICT',
        message: expect.any(String) as string,
        details: [],
        requestId: expect.any(String) as string,
      });
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });
});
