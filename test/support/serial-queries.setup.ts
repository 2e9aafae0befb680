import { describeConcurrentQueries, takeConcurrentQueries, watchSerialQueries } from './serial-queries.js';

/*
 * Run after each test (jest.config.js setupFilesAfterEnv): a query the test's requests sent inside
 * a transaction while that connection was still running another fails the test, with the stack of
 * the caller. Those sent in beforeAll count against the first test; those after the last fail the file.
 */
watchSerialQueries();

function failOnConcurrentQueries(): void {
  const found = takeConcurrentQueries();
  if (found.length) throw new Error(describeConcurrentQueries(found));
}

afterEach(failOnConcurrentQueries);
afterAll(failOnConcurrentQueries);
