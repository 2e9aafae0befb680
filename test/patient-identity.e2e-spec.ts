import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, patientBody, type Staff } from './support/factories.js';

const api = '/api/v1';

describe('one patient, one record: MRNs whatever their case, and a word on look-alikes', () => {
  let t: TestApp;
  let s: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  const register = (body: Record<string, unknown>) => t.http.post(`${api}/patients`).set(bearer(s.token.nurse)).send(body);

  it('concurrent registrations of abc1 and ABC1 give one 201 and one 409 naming mrn, every time', async () => {
    for (let round = 0; round < 8; round++) {
      const mrn = `abc${randomBytes(3).toString('hex')}`;
      const answers = await Promise.all([register(patientBody({ mrn })), register(patientBody({ mrn: mrn.toUpperCase() }))]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
      const refused = answers.find((a) => a.status === 409)!;
      expect(refused.body).toMatchObject({ code: 'DUPLICATE_KEY', details: [{ field: 'mrn', message: 'already in use' }] });
    }
  });

  it('the database itself refuses a second MRN of the clinic differing only in case', async () => {
    const mrn = `Db-${randomBytes(3).toString('hex')}`;
    const insert = (m: string) =>
      t.runtime.dataSource.query(
        `INSERT INTO patients (clinic_id, mrn, first_name, last_name, date_of_birth, search_text) VALUES ($1, $2, 'A', 'B', '1980-01-01', 'a b')`,
        [s.clinic.id, m],
      );
    await insert(mrn);
    await expect(insert(mrn.toLowerCase())).rejects.toMatchObject({ driverError: { code: '23505', constraint: 'ux_patients_mrn' } });
  });

  it('a patient with the same name and birth date as another is registered, with a warning naming the other', async () => {
    const dateOfBirth = '1971-03-09';
    const first = await register(patientBody({ firstName: 'José', lastName: 'Núñez', dateOfBirth })).expect(201);
    expect(first.body.warnings).toEqual([]);
    const twin = await register(patientBody({ firstName: 'JOSE', lastName: ' nunez ', dateOfBirth })).expect(201);
    expect(twin.body.warnings).toEqual([
      {
        code: 'SAME_NAME_AND_BIRTH_DATE',
        message: expect.stringContaining(first.body.mrn as string) as string,
        patientId: first.body.id,
        mrn: first.body.mrn,
      },
    ]);
    const otherDay = await register(patientBody({ firstName: 'José', lastName: 'Núñez', dateOfBirth: '1971-03-10' })).expect(201);
    expect(otherDay.body.warnings).toEqual([]);
    const elsewhere = await clinicWithStaff(t.runtime.dataSource, t.http);
    const otherClinic = await t.http
      .post(`${api}/patients`)
      .set(bearer(elsewhere.token.nurse))
      .send(patientBody({ firstName: 'José', lastName: 'Núñez', dateOfBirth }))
      .expect(201);
    expect(otherClinic.body.warnings).toEqual([]);
  });
});
