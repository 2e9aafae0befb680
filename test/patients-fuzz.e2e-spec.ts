import fc from 'fast-check';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, patientBody, type Staff } from './support/factories.js';

/**
 * Property-based: random and half-valid bodies thrown at the patient and consent endpoints never
 * produce a 5xx, and a refused request leaves no row behind.
 */
describe('patient and consent endpoints under random input', () => {
  let t: TestApp;
  let s: Staff;
  let patientId: string;
  let formId: string;
  beforeAll(async () => {
    t = await startTestApp();
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
    patientId = (await createPatient(t.http, s.token.nurse)).id;
    formId = (
      await t.http
        .post('/api/v1/consent-forms')
        .set(bearer(s.token.admin))
        .send({ kind: 'ketamine-off-label', title: 'Off-label ketamine', body: 'text' })
        .expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  const RUNS = 120;
  /** Any JSON value as the raw body (supertest itself only sends objects and strings). */
  const json = (value: unknown) => JSON.stringify(value) ?? 'null';
  const weird = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.string({ unit: 'grapheme', maxLength: 300 }),
    fc.constantFrom('', ' ', '1990-02-30', '2999-12-31', 'NaN', '-1', '1e308', '0', '700', '\u0000', "'; DROP TABLE patients; --", 'ZZZ'),
    fc.double(),
    fc.integer(),
    fc.constantFrom(null, true, false, [], {}),
  );

  /** A valid body with some fields replaced by junk, some removed, and maybe an unknown one added. */
  const mutated = (valid: Record<string, unknown>) =>
    fc
      .record({
        replace: fc.dictionary(fc.constantFrom(...Object.keys(valid)), weird, { maxKeys: 3 }),
        drop: fc.subarray(Object.keys(valid), { maxLength: 2 }),
        extra: fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), weird, { maxKeys: 2 })),
      })
      .map(({ replace, drop, extra }) => {
        const body: Record<string, unknown> = { ...valid, ...replace, ...(extra ?? {}) };
        for (const k of drop) delete body[k];
        return body;
      });

  const anyBody = (valid: Record<string, unknown>) => fc.oneof(mutated(valid), weird);

  // Scoped to this file's clinic: other test files write to the same database at the same time.
  const count = async (table: string) =>
    Number((await t.runtime.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE clinic_id = $1`, [s.clinic.id]))[0].n);
  const counts = async (tables: string[]) => Object.fromEntries(await Promise.all(tables.map(async (x) => [x, await count(x)])));

  async function check(send: (body: unknown) => Promise<{ status: number }>, tables: string[], body: unknown): Promise<void> {
    const before = await counts(tables);
    const res = await send(body);
    expect(res.status).toBeLessThan(500);
    if (res.status >= 400) expect(await counts(tables)).toEqual(before);
  }

  it('POST /patients', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody(patientBody({ mrn: 'FUZZ' })), async (body) => {
        if (body && typeof body === 'object' && !Array.isArray(body) && (body as Record<string, unknown>)['mrn'] === 'FUZZ')
          (body as Record<string, unknown>)['mrn'] = `FUZZ-${Math.random().toString(36).slice(2)}`;
        await check(
          (b) => t.http.post('/api/v1/patients').set(bearer(s.token.nurse)).type('json').type('json').send(json(b)),
          ['patients', 'patient_weights', 'audit_events'],
          body,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('PATCH /patients/:id', async () => {
    const valid = {
      firstName: 'Bea',
      phone: '+1 555 0102',
      heightCm: 170,
      emergencyContact: { name: 'X' },
      version: 1,
      dateOfBirth: '1970-01-01',
    };
    await fc.assert(
      fc.asyncProperty(anyBody(valid), async (body) => {
        const before = await t.runtime.dataSource.query(`SELECT row_to_json(p)::text AS row FROM patients p WHERE id = $1`, [patientId]);
        const res = await t.http.patch(`/api/v1/patients/${patientId}`).set(bearer(s.token.admin)).type('json').send(json(body));
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          const after = await t.runtime.dataSource.query(`SELECT row_to_json(p)::text AS row FROM patients p WHERE id = $1`, [patientId]);
          expect(after).toEqual(before);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('PUT /patients/:id/contraindications', async () => {
    const valid = {
      answers: [{ item: 'pregnancy', present: false }],
      allergies: [{ substance: 'latex' }],
      medications: [{ name: 'Adderall', drugClass: 'psychostimulant' }],
    };
    await fc.assert(
      fc.asyncProperty(anyBody(valid), async (body) => {
        await check(
          (b) =>
            t.http
              .put(`/api/v1/patients/${patientId}/contraindications`)
              .set(bearer(s.token.nurse))
              .type('json')
              .type('json')
              .send(json(b)),
          ['screening_answers', 'patient_allergies', 'patient_medications', 'audit_events'],
          body,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('POST /patients/:id/consents', async () => {
    const valid = { formId, signedAt: new Date().toISOString(), signedByName: 'Ana Souza', method: 'in-person' };
    await fc.assert(
      fc.asyncProperty(anyBody(valid), async (body) => {
        await check(
          (b) => t.http.post(`/api/v1/patients/${patientId}/consents`).set(bearer(s.token.nurse)).type('json').type('json').send(json(b)),
          ['patient_consents', 'audit_events'],
          body,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('POST /consent-forms', async () => {
    const valid = { kind: 'general-procedure', title: 'General', body: 'text', validMonths: 12, requiresReconsent: false };
    await fc.assert(
      fc.asyncProperty(anyBody(valid), async (body) => {
        await check(
          (b) => t.http.post('/api/v1/consent-forms').set(bearer(s.token.admin)).type('json').send(json(b)),
          ['consent_forms', 'audit_events'],
          body,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('a 10 MB string is refused with a 4xx and nothing is written', async () => {
    const before = await counts(['patients', 'audit_events']);
    const res = await t.http
      .post('/api/v1/patients')
      .set(bearer(s.token.nurse))
      .send(patientBody({ firstName: 'x'.repeat(10 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await counts(['patients', 'audit_events'])).toEqual(before);
  });
});
