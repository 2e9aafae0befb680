/** What the global set-up shares with every test file (through the environment). */
export const testEnv = {
  /** The freshly migrated database of this test run. */
  databaseUrl: (): string => {
    const url = process.env['VIGIL_TEST_DATABASE_URL'];
    if (!url) throw new Error('VIGIL_TEST_DATABASE_URL is unset: run the tests with npm test');
    return url;
  },
  /** The server of this run's database, for tests that need a database of their own. */
  serverUrl: (): string => {
    const url = process.env['VIGIL_TEST_SERVER_URL'];
    if (!url) throw new Error('VIGIL_TEST_SERVER_URL is unset: run the tests with npm test');
    return url;
  },
  /** Redis for queue tests, or undefined when it is unreachable (and REQUIRE_REDIS is not set). */
  redisUrl: (): string | undefined => process.env['VIGIL_TEST_REDIS_URL'] || undefined,
};
