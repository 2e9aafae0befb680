import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type TestAgent from 'supertest/lib/agent.js';
import { Clinic, User, hashPassword, type Role } from '../../libs/platform/src/index.js';

export const PASSWORD = 'correct horse battery staple';
const tag = () => randomBytes(4).toString('hex');

export async function createClinic(ds: DataSource, timeZone = 'America/New_York'): Promise<Clinic> {
  return ds.getRepository(Clinic).save({ name: `Clinic ${tag()}`, timeZone });
}

let hashed: Promise<string> | undefined;

export async function createUser(ds: DataSource, clinicId: string, role: Role, extra: Partial<User> = {}): Promise<User> {
  hashed ??= hashPassword(PASSWORD);
  return ds.getRepository(User).save({
    clinicId,
    role,
    email: `${role}-${tag()}@vigil.test`,
    name: `${role} ${tag()}`,
    passwordHash: await hashed,
    ...extra,
  });
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export async function login(http: TestAgent, email: string, password = PASSWORD): Promise<Tokens> {
  const res = await http.post('/api/v1/auth/login').send({ email, password });
  if (res.status !== 200) throw new Error(`login of ${email} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as Tokens;
}

export interface Staff {
  clinic: Clinic;
  admin: User;
  nurse: User;
  anesthesiologist: User;
  token: Record<Role, string>;
}

/** A clinic of its own with one user per role, each logged in. */
export async function clinicWithStaff(ds: DataSource, http: TestAgent): Promise<Staff> {
  const clinic = await createClinic(ds);
  const [admin, nurse, anesthesiologist] = await Promise.all([
    createUser(ds, clinic.id, 'admin'),
    createUser(ds, clinic.id, 'nurse'),
    createUser(ds, clinic.id, 'anesthesiologist'),
  ]);
  const [a, n, s] = await Promise.all([login(http, admin.email), login(http, nurse.email), login(http, anesthesiologist.email)]);
  return { clinic, admin, nurse, anesthesiologist, token: { admin: a.accessToken, nurse: n.accessToken, anesthesiologist: s.accessToken } };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

let mrnSeq = 0;

/** A valid patient registration body; `extra` replaces any field. */
export function patientBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  mrnSeq += 1;
  return {
    mrn: `MRN-${tag()}-${mrnSeq}`,
    firstName: 'Ana',
    lastName: 'Souza',
    dateOfBirth: '1984-05-17',
    sex: 'female',
    weightKg: 70,
    phone: '+1 555 0100',
    emergencyContact: { name: 'Rui Souza', phone: '+1 555 0101', relationship: 'spouse' },
    ...extra,
  };
}

export async function createPatient(
  http: TestAgent,
  token: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; mrn: string }> {
  const res = await http.post('/api/v1/patients').set(bearer(token)).send(patientBody(extra));
  if (res.status !== 201) throw new Error(`patient registration answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { id: string; mrn: string };
}
