import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/*
 * What some clinics hold in the database, table by table: the number of rows and a hash of their
 * contents. Two equal fingerprints taken around a request mean it wrote nothing there: no row
 * added, removed or changed, audit rows included. Scoped to the clinics named, so the other test
 * files writing to the same database at the same time do not disturb it.
 */

/** Tables without `clinic_id`, reached through the row that owns them. */
const OWNED: Record<string, { join: string; clinic: string }> = {
  clinics: { join: '', clinic: 'x.id' },
  refresh_tokens: { join: 'JOIN users o ON o.id = x.user_id', clinic: 'o.clinic_id' },
  alert_readings: { join: 'JOIN alerts o ON o.id = x.alert_id', clinic: 'o.clinic_id' },
  // A gateway's own code and unit mappings (administrators write them); Vigil's defaults have no gateway.
  device_code_maps: { join: 'JOIN hl7_gateways o ON o.id = x.gateway_id', clinic: 'o.clinic_id' },
  device_unit_maps: { join: 'JOIN hl7_gateways o ON o.id = x.gateway_id', clinic: 'o.clinic_id' },
};

/**
 * Tables no clinic owns: schema bookkeeping, the queue backend's own and the login throttle (per
 * address and email typed, known or not).
 */
const NOT_CLINICAL = /^(migrations|typeorm_metadata|bullmq_.*|pgboss.*|login_throttle)$/;

/**
 * Rows a refused login or token may write on purpose (auth code): the refusal's audit rows (and
 * the lock's), the user's failed-login counter and lock, the revoked token family. Left out with
 * `securityRefusals`.
 */
const SECURITY_ROW: Record<string, { where?: string; row?: string }> = {
  audit_events: { where: "x.outcome = 'success' AND x.action <> 'auth.lock'" },
  // The lock-out counter's save bumps the version too.
  users: { row: '(x.id, x.clinic_id, x.email, x.name, x.role, x.password_hash, x.active)' },
  refresh_tokens: { row: '(x.id, x.user_id, x.family_id, x.token_hash, x.expires_at)' },
};

export type Fingerprint = Record<string, string>;

export class ClinicFingerprint {
  private constructor(
    private readonly ds: DataSource,
    private readonly tables: string[],
  ) {}

  /** Every table of the schema must be reachable from a clinic: a new one without `clinic_id` fails here until OWNED names it. */
  static async of(ds: DataSource): Promise<ClinicFingerprint> {
    const rows: Array<{ table_name: string; scoped: boolean }> = await ds.query(
      `SELECT t.table_name, bool_or(c.column_name = 'clinic_id') AS scoped
         FROM information_schema.tables t JOIN information_schema.columns c USING (table_schema, table_name)
        WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
        GROUP BY t.table_name ORDER BY t.table_name`,
    );
    const unreachable = rows.filter((r) => !r.scoped && !(r.table_name in OWNED) && !NOT_CLINICAL.test(r.table_name));
    if (unreachable.length) throw new Error(`tables with no clinic to scope them by: ${unreachable.map((r) => r.table_name).join(', ')}`);
    return new ClinicFingerprint(
      ds,
      rows.filter((r) => r.scoped || r.table_name in OWNED).map((r) => r.table_name),
    );
  }

  /** Per table and clinic (`table@clinicId`): the number of rows and a hash of them. */
  async take(clinicIds: string[], opts: { securityRefusals?: boolean } = {}): Promise<Fingerprint> {
    const parts = this.tables.map((table) => {
      const owned = OWNED[table];
      const security = opts.securityRefusals ? SECURITY_ROW[table] : undefined;
      const clinic = owned?.clinic ?? 'x.clinic_id';
      // A refused request's own audit row (`http.refused`) is the trail recording the refusal, not a write of the request.
      const refusal = table === 'audit_events' ? ["x.action <> 'http.refused'"] : [];
      const where = [`${clinic} = ANY($1)`, ...refusal, ...(security?.where ? [security.where] : [])].join(' AND ');
      return `SELECT '${table}' AS t, ${clinic}::text AS c, count(*)::int AS n, sum(hashtext(${security?.row ?? 'x'}::text)::bigint)::text AS h
                FROM "${table}" x ${owned?.join ?? ''} WHERE ${where} GROUP BY ${clinic}`;
    });
    // Prepared once per pooled connection: planning the union of every table costs more than running it.
    const pool = (this.ds.driver as unknown as { master: Pool }).master;
    const name = `vigil-fingerprint-${opts.securityRefusals ? 'security' : 'all'}`;
    const { rows } = await pool.query<{ t: string; c: string; n: number; h: string }>({
      name,
      text: parts.join(' UNION ALL '),
      values: [clinicIds],
    });
    const print: Fingerprint = {};
    for (const table of this.tables) for (const id of clinicIds) print[`${table}@${id}`] = '0 rows';
    for (const r of rows) print[`${r.t}@${r.c}`] = `${r.n} rows, hash ${r.h}`;
    return print;
  }
}

/** The tables whose fingerprint differs. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  return Object.keys(after).filter((t) => before[t] !== after[t]);
}
