import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import pg from 'pg';

/** The login the API runs as on the embedded server: a member of `vigil_app` (see the DatabaseRoles migration). */
export const EMBEDDED_APP_ROLE = 'vigil_api';

async function appPassword(databaseDir: string): Promise<string> {
  const file = `${databaseDir}.app-password`;
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, password + '\n', { mode: 0o600 });
  return password;
}

/**
 * Makes the embedded server's application login, after the migrations ran as its superuser: the
 * role `vigil_api` (password kept beside the data, 0600), a member of `vigil_app`, so the API reads
 * and writes rows but cannot alter a table nor the audit trail's triggers, as in a deployment with
 * DATABASE_MIGRATION_URL. A queue schema (`bullmq`) left by an earlier start that ran as the
 * superuser is dropped so the application's role re-creates it as its own: queues only trigger
 * work, which is kept in `pending_work` and re-queued by the sweeper. Answers the login's URL, or
 * undefined when `vigil_app` does not exist (migrations not applied yet).
 */
export async function embeddedAppLogin(ownerUrl: string, databaseDir: string, log: (m: string) => void): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const group = await client.query(`SELECT 1 FROM pg_roles WHERE rolname = 'vigil_app'`);
    if (group.rowCount === 0) return undefined;
    const password = client.escapeLiteral(await appPassword(databaseDir));
    const login = await client.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [EMBEDDED_APP_ROLE]);
    const verb = login.rowCount === 0 ? 'CREATE' : 'ALTER';
    await client.query(`${verb} ROLE ${EMBEDDED_APP_ROLE} LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB PASSWORD ${password}`);
    await client.query(`GRANT vigil_app TO ${EMBEDDED_APP_ROLE}`);
    const queueSchema = await client.query<{ owner: string }>(
      `SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = 'bullmq'`,
    );
    const owner = queueSchema.rows[0]?.owner;
    if (owner !== undefined && owner !== EMBEDDED_APP_ROLE) {
      await client.query('DROP SCHEMA bullmq CASCADE');
      log(`the queue schema was owned by ${owner}: dropped, ${EMBEDDED_APP_ROLE} re-creates it (pending work is re-queued)`);
    }
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = EMBEDDED_APP_ROLE;
  url.password = await appPassword(databaseDir);
  return url.toString();
}
