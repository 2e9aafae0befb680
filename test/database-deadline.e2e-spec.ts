import type { DataSource, QueryRunner } from 'typeorm';
import { createDataSource, DatabaseNoAnswerError, INTERACTIVE_QUERY_DEADLINE_MS, requestContext } from '../libs/platform/src/index.js';
import { testEnv } from './support/test-env.js';

interface RawClient {
  query(sql: string): Promise<{ rows: unknown[] }>;
}

/** Keeps this process busy (the event loop blocked) for `ms`, as a burst of stream writes would. */
function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    /* spin */
  }
}

/**
 * The per-query deadline of a request (503 DATABASE_UNAVAILABLE when PostgreSQL is hung) judges
 * PostgreSQL, not this process: an answer that arrived while the process was busy is read, not
 * thrown away; a query PostgreSQL really does not answer is still given up.
 */
describe('the interactive query deadline', () => {
  let ds: DataSource;
  let runner: QueryRunner;
  let client: RawClient;
  const interactive = <T>(fn: () => T): T => requestContext.run({ requestId: 'deadline-test', interactive: true }, fn);

  beforeAll(async () => {
    ds = createDataSource(testEnv.databaseUrl(), { poolSize: 2, entities: [], migrations: [] });
    await ds.initialize();
  });
  beforeEach(async () => {
    runner = ds.createQueryRunner();
    client = (await runner.connect()) as RawClient;
  });
  afterEach(() => runner.release());
  afterAll(() => ds.destroy());

  it('an answer that arrived while the process was busy past the deadline is delivered', async () => {
    const answer = interactive(() => client.query('SELECT 1 AS one'));
    busy(INTERACTIVE_QUERY_DEADLINE_MS + 500);
    await expect(answer).resolves.toMatchObject({ rows: [{ one: 1 }] });
  });

  it('a query PostgreSQL does not answer within the deadline is given up', async () => {
    const seconds = (INTERACTIVE_QUERY_DEADLINE_MS + 1500) / 1000;
    const started = Date.now();
    await expect(interactive(() => client.query(`SELECT pg_sleep(${seconds})`))).rejects.toBeInstanceOf(DatabaseNoAnswerError);
    expect(Date.now() - started).toBeLessThan(seconds * 1000);
  });

  it('a job (nobody waiting) has no deadline', async () => {
    const seconds = (INTERACTIVE_QUERY_DEADLINE_MS + 500) / 1000;
    await expect(client.query(`SELECT true AS slept FROM pg_sleep(${seconds})`)).resolves.toMatchObject({ rows: [{ slept: true }] });
  });
});
