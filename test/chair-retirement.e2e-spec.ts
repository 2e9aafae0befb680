import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';
import { nextTuesday } from './support/route-fixtures.js';

const api = '/api/v1';
const TZ = 'America/New_York'; // the factories' clinic zone

/*
 * A chair taken out of service must not leave patients booked into it: retiring a chair with
 * future bookings is refused, naming how many and the first of them, until they are moved or
 * cancelled; a booking racing the retirement either lands before it (and stops it) or is refused.
 */
describe('retiring a chair with future bookings', () => {
  let t: TestApp;
  let a: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  const admin = () => bearer(a.token.admin);
  const chair = async (name: string) => (await t.http.post(`${api}/chairs`).set(admin()).send({ name }).expect(201)).body.id as string;
  /** A new patient's appointment in the chair, answered with `expected` (else the test fails). */
  const book = async (chairId: string, startsAt: string, expected: number, status = 'booked') => {
    const p = await createPatient(t.http, a.token.nurse);
    const res = await t.http
      .post(`${api}/appointments`)
      .set(admin())
      .send({ patientId: p.id, chairId, protocol: 'ketamine-iv-standard', startsAt, status })
      .expect(expected);
    return res.body as { id: string; patientId: string; details: Array<{ field: string }> };
  };
  const retire = (chairId: string) => t.http.patch(`${api}/chairs/${chairId}`).set(admin()).send({ active: false });

  it('is refused (409 naming how many and the first) until they are moved or cancelled; the chair stays in service meanwhile', async () => {
    const id = await chair('Recliner A');
    const spare = await chair('Recliner B');
    const { day, startsAt } = nextTuesday(TZ);
    const later = new Date(Date.parse(startsAt) + 2 * 3600_000).toISOString();
    const first = await book(id, startsAt, 201);
    const proposed = await book(id, later, 201, 'tentative');

    const refused = await retire(id).expect(409);
    expect(refused.body.code).toBe('CHAIR_HAS_FUTURE_BOOKINGS');
    expect(refused.body.message).toMatch(/^2 future bookings /);
    expect(refused.body.details.map((d: { appointmentId: string }) => d.appointmentId)).toEqual([first.id, proposed.id]);
    expect(refused.body.details[0]).toMatchObject({
      startsAt,
      patientId: first.patientId,
      message: expect.stringContaining(`${day} 10:00`),
    });
    const chairs = await t.http.get(`${api}/chairs`).set(admin()).expect(200);
    expect(chairs.body.items.find((c: { id: string }) => c.id === id)).toMatchObject({ active: true });
    // Renaming a booked chair is fine.
    await t.http.patch(`${api}/chairs/${id}`).set(admin()).send({ name: 'Recliner A1' }).expect(200);

    await t.http.post(`${api}/appointments/${first.id}/move`).set(admin()).send({ startsAt, chairId: spare }).expect(200);
    const still = await retire(id).expect(409);
    expect(still.body.message).toMatch(/^1 future booking /);
    await t.http.post(`${api}/appointments/${proposed.id}/cancel`).set(admin()).send({ reason: 'chair out of service' }).expect(200);
    const retired = await retire(id).expect(200);
    expect(retired.body.active).toBe(false);
    const onRetired = await book(id, startsAt, 400);
    expect(onRetired.details).toEqual([expect.objectContaining({ field: 'chairId' })]);
  });

  it('a booking racing the retirement: one of them wins, never both', async () => {
    const { startsAt } = nextTuesday(TZ, 14);
    for (let round = 0; round < 5; round++) {
      const id = await chair(`Race ${round}`);
      const patient = await createPatient(t.http, a.token.nurse);
      const [booking, retirement] = await Promise.all([
        t.http
          .post(`${api}/appointments`)
          .set(admin())
          .send({ patientId: patient.id, chairId: id, protocol: 'ketamine-iv-standard', startsAt }),
        retire(id),
      ]);
      const outcome = `${booking.status}/${retirement.status}`;
      expect(['201/409', '400/200']).toContain(outcome);
    }
  });
});
