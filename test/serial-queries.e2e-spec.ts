import { TransactionRunner } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { takeConcurrentQueries } from './support/serial-queries.js';

describe("a transaction's queries run one after another on its connection", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('two queries sent side by side on tx.manager are caught, naming the caller; the results are unchanged', async () => {
    const runner = t.app.get(TransactionRunner);
    const sideBySide = () => runner.run((tx) => Promise.all([tx.manager.query('SELECT 1 AS one'), tx.manager.query('SELECT 2 AS two')]));
    await expect(sideBySide()).resolves.toEqual([[{ one: 1 }], [{ two: 2 }]]);
    const caught = takeConcurrentQueries();
    expect(caught).toHaveLength(1);
    expect(caught[0].sql).toBe('SELECT 2 AS two');
    expect(caught[0].stack).toContain('serial-queries.e2e-spec.ts');
  });

  it('the same queries awaited one after another, and queries side by side outside a transaction, are fine', async () => {
    const runner = t.app.get(TransactionRunner);
    const oneAfterAnother = await runner.run(async (tx) => [
      await tx.manager.query('SELECT 1 AS one'),
      await tx.manager.query('SELECT 2 AS two'),
    ]);
    expect(oneAfterAnother).toEqual([[{ one: 1 }], [{ two: 2 }]]);
    // The data source's own manager takes a pooled connection per query.
    const ds = t.runtime.dataSource;
    await expect(Promise.all([ds.query('SELECT 1 AS one'), ds.query('SELECT 2 AS two')])).resolves.toEqual([[{ one: 1 }], [{ two: 2 }]]);
    expect(takeConcurrentQueries()).toEqual([]);
  });
});
