import { AuditEvent } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, patientBody, type Staff } from './support/factories.js';
import { expectPagingRefusals, walkPages } from './support/paging.js';

describe('patients: registration, search, weights and screening', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
    b = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  const audits = (action: string, resourceId?: string) =>
    t.runtime.dataSource.getRepository(AuditEvent).countBy({ action, clinicId: a.clinic.id, ...(resourceId && { resourceId }) });

  it('a nurse registers a patient with a first weight, and the registration is audited', async () => {
    const res = await t.http
      .post('/api/v1/patients')
      .set(bearer(a.token.nurse))
      .send(patientBody({ weightKg: 72.5, heightCm: 168 }))
      .expect(201);
    expect(res.body).toMatchObject({
      firstName: 'Ana',
      lastName: 'Souza',
      dateOfBirth: '1984-05-17',
      sex: 'female',
      heightCm: 168,
      emergencyContact: { name: 'Rui Souza', relationship: 'spouse' },
      latestWeight: { weightKg: 72.5, enteredUnit: 'kg', recordedBy: a.nurse.id },
      version: 1,
    });
    expect(res.body.ageYears).toBeGreaterThanOrEqual(42);
    expect(await audits('patient.create', res.body.id)).toBe(1);
  });

  it('refuses a duplicate MRN in the same clinic with 409, but another clinic may use it', async () => {
    const first = await createPatient(t.http, a.token.nurse);
    const dup = await t.http
      .post('/api/v1/patients')
      .set(bearer(a.token.admin))
      .send(patientBody({ mrn: first.mrn }))
      .expect(409);
    expect(dup.body).toMatchObject({ code: 'DUPLICATE_KEY', details: [{ field: 'mrn' }] });
    await t.http
      .post('/api/v1/patients')
      .set(bearer(b.token.nurse))
      .send(patientBody({ mrn: first.mrn }))
      .expect(201);
  });

  it.each([
    [{ dateOfBirth: '2999-01-01' }, 'dateOfBirth'],
    [{ dateOfBirth: '2015-01-01' }, 'dateOfBirth'],
    [{ dateOfBirth: '1990-02-30' }, 'dateOfBirth'],
    [{ weightKg: 0 }, 'weightKg'],
    [{ weightKg: 700 }, 'weightKg'],
    [{ weightKg: -3 }, 'weightKg'],
    [{ weightKg: 5e-324 }, 'weightKg'],
    [{ firstName: 'A\u0000na' }, 'body'],
    [{ weightKg: 70.123 }, 'weightKg'],
    [{ weightKg: '70' }, 'weightKg'],
    [{ firstName: '' }, 'firstName'],
    [{ mrn: undefined }, 'mrn'],
    [{ sex: 'x' }, 'sex'],
    [{ favouriteColour: 'blue' }, 'favouriteColour'],
    [{ heightCm: 20 }, 'heightCm'],
    [{ emergencyContact: { name: 5 } }, 'emergencyContact.name'],
  ])('refuses %p with 400 naming %s, and writes nothing', async (extra, field) => {
    const before = await audits('patient.create');
    const res = await t.http.post('/api/v1/patients').set(bearer(a.token.nurse)).send(patientBody(extra)).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await audits('patient.create')).toBe(before);
  });

  it('searches by name ignoring case and accents, by MRN and by date of birth, and audits the search', async () => {
    const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    const jose = await createPatient(t.http, staff.token.nurse, { firstName: 'José', lastName: 'Núñez', dateOfBirth: '1971-03-09' });
    await createPatient(t.http, staff.token.nurse, { firstName: 'Joan', lastName: 'Nash', dateOfBirth: '1980-01-01' });
    const search = async (q: string) =>
      (await t.http.get('/api/v1/patients').query({ search: q }).set(bearer(staff.token.admin)).expect(200)).body.items.map(
        (p: { id: string }) => p.id,
      );
    expect(await search('jose nunez')).toEqual([jose.id]);
    expect(await search('NÚÑEZ')).toEqual([jose.id]);
    expect(await search(jose.mrn.toLowerCase())).toEqual([jose.id]);
    expect(await search('1971-03-09')).toEqual([jose.id]);
    expect(await search('jo')).toHaveLength(2);
    expect(await search('100%_')).toEqual([]);
    const trail = await t.runtime.dataSource.getRepository(AuditEvent).findBy({ action: 'patient.search', actorUserId: staff.admin.id });
    expect(trail.length).toBe(6);
  });

  it('pages through patients with a cursor', async () => {
    const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    for (let i = 0; i < 5; i++) await createPatient(t.http, staff.token.nurse);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = cursor ? { limit: 2, cursor } : { limit: 2 };
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http
        .get('/api/v1/patients')
        .query(query)
        .set(bearer(staff.token.nurse))
        .expect(200);
      seen.push(...res.body.items.map((p) => p.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(5);
  });

  it('reading a patient record is audited; edits record old and new values and honour the version', async () => {
    const p = await createPatient(t.http, a.token.nurse);
    await t.http.get(`/api/v1/patients/${p.id}`).set(bearer(a.token.anesthesiologist)).expect(200);
    expect(await audits('patient.read', p.id)).toBe(1);
    const edited = await t.http
      .patch(`/api/v1/patients/${p.id}`)
      .set(bearer(a.token.admin))
      .send({ phone: '+1 555 0199', version: 1 })
      .expect(200);
    expect(edited.body).toMatchObject({ phone: '+1 555 0199', version: 2 });
    const trail = await t.runtime.dataSource.getRepository(AuditEvent).findOneByOrFail({ action: 'patient.update', resourceId: p.id });
    expect(trail.changes).toEqual({ before: { phone: '+1 555 0100' }, after: { phone: '+1 555 0199' } });
    const stale = await t.http.patch(`/api/v1/patients/${p.id}`).set(bearer(a.token.admin)).send({ phone: '1', version: 1 }).expect(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    await t.http.patch(`/api/v1/patients/${p.id}`).set(bearer(a.token.admin)).send({ firstName: null, version: 2 }).expect(400);
  });

  it('keeps weight as a history, converting pounds to kilograms', async () => {
    const p = await createPatient(t.http, a.token.nurse, { weightKg: 80 });
    const lb = await t.http
      .post(`/api/v1/patients/${p.id}/weights`)
      .set(bearer(a.token.nurse))
      .send({ value: 165, unit: 'lb' })
      .expect(201);
    expect(lb.body).toMatchObject({ weightKg: 74.843, enteredValue: 165, enteredUnit: 'lb', recordedBy: a.nurse.id });
    await t.http.post(`/api/v1/patients/${p.id}/weights`).set(bearer(a.token.nurse)).send({ value: 1000, unit: 'lb' }).expect(400);
    const history = await t.http.get(`/api/v1/patients/${p.id}/weights`).set(bearer(a.token.nurse)).expect(200);
    expect(history.body.items.map((w: { weightKg: number }) => w.weightKg)).toEqual([74.843, 80]);
    const patient = await t.http.get(`/api/v1/patients/${p.id}`).set(bearer(a.token.nurse)).expect(200);
    expect(patient.body.latestWeight.weightKg).toBe(74.843);
  });

  it('pages the weight history newest measurement first: 50 by default, a cursor continues without gaps or repeats', async () => {
    const p = await createPatient(t.http, a.token.nurse, { weightKg: 80 });
    const day = 86_400_000;
    // 50 more, two measured at each instant (the id breaks the tie), all before the first one.
    for (let i = 0; i < 50; i++)
      await t.http
        .post(`/api/v1/patients/${p.id}/weights`)
        .set(bearer(a.token.nurse))
        .send({ value: 60 + i / 10, unit: 'kg', measuredAt: new Date(Date.now() - (10 + Math.floor(i / 2)) * day).toISOString() })
        .expect(201);
    const url = `/api/v1/patients/${p.id}/weights`;
    const first = await t.http.get(url).set(bearer(a.token.nurse)).expect(200);
    expect(first.body.items).toHaveLength(50);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const all = await walkPages<{ id: string; measuredAt: string }>(t.http, url, a.token.nurse, 7);
    expect(all).toHaveLength(51);
    expect(new Set(all.map((w) => w.id)).size).toBe(51);
    const times = all.map((w) => Date.parse(w.measuredAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect((await walkPages<{ id: string }>(t.http, url, a.token.nurse, 200)).map((w) => w.id)).toEqual(all.map((w) => w.id));
    await expectPagingRefusals(t.http, url, a.token.nurse);
  });

  it('records screening with who and when; relative cautions wait for an anesthesiologist', async () => {
    const p = await createPatient(t.http, a.token.nurse);
    const put = await t.http
      .put(`/api/v1/patients/${p.id}/contraindications`)
      .set(bearer(a.token.nurse))
      .send({
        answers: [
          { item: 'intracerebral-hemorrhage', present: false },
          { item: 'psychosis-history', present: true, note: 'single episode 2015' },
          { item: 'ketamine-hypersensitivity', present: false },
        ],
        allergies: [{ substance: 'Penicillin', reaction: 'rash' }],
        medications: [
          { name: 'Lorazepam', drugClass: 'benzodiazepine', dose: '1 mg at night' },
          { name: 'Sertraline', drugClass: 'other' },
        ],
      })
      .expect(200);
    expect(put.body.relativeCautions).toEqual(['psychosis-history']);
    expect(put.body.unacknowledgedCautions).toEqual(['psychosis-history']);
    expect(put.body.absoluteContraindications).toEqual([]);
    expect(put.body.interactingMedications).toEqual(['Lorazepam']);
    const psychosis = put.body.items.find((i: { code: string }) => i.code === 'psychosis-history');
    expect(psychosis).toMatchObject({ present: true, severity: 'relative', recordedBy: a.nurse.id });
    expect(put.body.items.find((i: { code: string }) => i.code === 'pregnancy').present).toBeNull();

    await t.http.post(`/api/v1/patients/${p.id}/contraindications/acknowledge`).set(bearer(a.token.nurse)).send({ note: 'ok' }).expect(403);
    const ack = await t.http
      .post(`/api/v1/patients/${p.id}/contraindications/acknowledge`)
      .set(bearer(a.token.anesthesiologist))
      .send({ note: 'stable for 10 years; proceed with observation' })
      .expect(200);
    expect(ack.body.unacknowledgedCautions).toEqual([]);
    expect(ack.body.lastAcknowledgement).toMatchObject({ acknowledgedBy: a.anesthesiologist.id, items: ['psychosis-history'] });

    // A new relative caution after the acknowledgement needs a new one; an unchanged answer keeps its recorder.
    const later = await t.http
      .put(`/api/v1/patients/${p.id}/contraindications`)
      .set(bearer(a.token.anesthesiologist))
      .send({
        answers: [
          { item: 'psychosis-history', present: true, note: 'single episode 2015' },
          { item: 'substance-use-disorder', present: true },
        ],
        allergies: [],
      })
      .expect(200);
    expect(later.body.unacknowledgedCautions).toEqual(['substance-use-disorder']);
    expect(later.body.items.find((i: { code: string }) => i.code === 'psychosis-history').recordedBy).toBe(a.nurse.id);
    expect(later.body.allergies).toEqual([]);
    expect(later.body.medications).toHaveLength(2);
    expect(await audits('patient.screening.update', p.id)).toBe(2);
  });

  it('refuses an unknown screening item with 400 naming it', async () => {
    const p = await createPatient(t.http, a.token.nurse);
    const res = await t.http
      .put(`/api/v1/patients/${p.id}/contraindications`)
      .set(bearer(a.token.nurse))
      .send({ answers: [{ item: 'bad-knees', present: true }] })
      .expect(400);
    expect(res.body.details[0].field).toBe('answers[0].item');
  });

  it('an admin may register and edit demographics but is refused clinical screening (403)', async () => {
    const p = await createPatient(t.http, a.token.admin);
    await t.http.get(`/api/v1/patients/${p.id}/contraindications`).set(bearer(a.token.admin)).expect(403);
    await t.http.put(`/api/v1/patients/${p.id}/contraindications`).set(bearer(a.token.admin)).send({ answers: [] }).expect(403);
    await t.http.get(`/api/v1/patients/${p.id}/weights`).set(bearer(a.token.admin)).expect(403);
    await t.http.get(`/api/v1/patients/${p.id}/dose-calculation?protocol=ketamine-iv-standard`).set(bearer(a.token.admin)).expect(403);
  });

  it("another clinic's patient answers 404 on every patient resource, exactly like a missing one", async () => {
    const p = await createPatient(t.http, b.token.nurse);
    const other = bearer(a.token.nurse);
    const calls = [
      t.http.get(`/api/v1/patients/${p.id}`).set(other),
      t.http.patch(`/api/v1/patients/${p.id}`).set(other).send({ phone: '1', version: 1 }),
      t.http.get(`/api/v1/patients/${p.id}/weights`).set(other),
      t.http.post(`/api/v1/patients/${p.id}/weights`).set(other).send({ value: 70, unit: 'kg' }),
      t.http.get(`/api/v1/patients/${p.id}/contraindications`).set(other),
      t.http.put(`/api/v1/patients/${p.id}/contraindications`).set(other).send({ answers: [] }),
      t.http.post(`/api/v1/patients/${p.id}/contraindications/acknowledge`).set(bearer(a.token.anesthesiologist)).send({ note: 'x' }),
      t.http.get(`/api/v1/patients/${p.id}/dose-calculation?protocol=ketamine-iv-standard`).set(other),
      t.http.get(`/api/v1/patients/${p.id}/consents`).set(other),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND', message: 'Patient not found' });
    }
    const list = await t.http.get('/api/v1/patients?limit=200').set(other).expect(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(p.id);
  });
});
