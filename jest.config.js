// Jest runs Vigil's ES modules natively (node --experimental-vm-modules); @swc/jest strips types
// and emits decorator metadata, tsc checks types separately (npm run typecheck).
const swc = {
  sourceMaps: 'inline',
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  module: { type: 'es6' },
};

const browserFiles = '/test/board-page-[^/]*\\.e2e-spec\\.ts$';
const phaseIgnores = { suite: [browserFiles], browser: [`^(?!.*${browserFiles})`] };

export default {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^#platform$': '<rootDir>/libs/platform/src/index.ts',
    '^#platform/(.*)$': '<rootDir>/libs/platform/src/$1/index.ts',
    '^#clinic$': '<rootDir>/libs/clinic/src/index.ts',
    '^#clinic/(.*)$': '<rootDir>/libs/clinic/src/$1/index.ts',
    '^#test/(.*)$': '<rootDir>/test/support/$1.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // @fastify/static (CommonJS) requires content-disposition 1.x, which is ES-module only. Node 24
    // lets Jest's module VM require it; on 22 and 20 the tests get the CommonJS 0.5 line instead.
    ...(Number(process.versions.node.split('.')[0]) >= 24 ? {} : { '^content-disposition$': 'content-disposition-cjs' }),
  },
  testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  // npm test (test/run/suite.mjs) runs the browser files in a phase of their own, after the rest.
  testPathIgnorePatterns: ['/node_modules/', ...(phaseIgnores[process.env.VIGIL_TEST_PHASE] ?? [])],
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  // Every answer the in-process API sends is checked against openapi.json (test/support/answer-watcher.ts).
  setupFilesAfterEnv: ['<rootDir>/test/support/response-contract.setup.ts', '<rootDir>/test/support/serial-queries.setup.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  testTimeout: 30000,
  maxWorkers: 2,
};
