import { describeDrifts, takeDrifts } from './response-drifts.js';

/*
 * Run after each test (jest.config.js setupFilesAfterEnv): an answer the test's requests received
 * that differs from what openapi.json publishes for its route and status fails that test, naming
 * the route, the status and the path in the body. Answers to requests made in beforeAll count
 * against the first test; those made after the last test fail the file.
 */
function failOnDrift(): void {
  const drifts = takeDrifts();
  if (drifts.length) throw new Error(describeDrifts(drifts));
}

afterEach(failOnDrift);
afterAll(failOnDrift);
