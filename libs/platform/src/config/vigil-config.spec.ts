import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, trustProxy } from './load-config.js';
import { VigilConfig } from './vigil-config.js';

describe('configuration', () => {
  it('starts with no variables at all: embedded database, PostgreSQL queues, port 3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      WORKER_EMBEDDED: true,
      ACCESS_TOKEN_TTL_MIN: 15,
      LOGIN_MAX_FAILURES: 5,
      LOGIN_LOCK_MIN: 15,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('converts numbers and booleans', () => {
    const config = loadConfig({ PORT: '8080', WORKER_EMBEDDED: 'false', REDIS_URL: 'redis://127.0.0.1:6379/2' });
    expect(config.PORT).toBe(8080);
    expect(config.WORKER_EMBEDDED).toBe(false);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379/2');
  });

  it('names every bad variable and what it expects, in one error', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        JWT_SECRET: 'short',
        BOOTSTRAP_CLINIC_TZ: 'Mars/Olympus',
        WORKER_EMBEDDED: 'maybe',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split('=')[0]).sort()).toEqual([
      'BOOTSTRAP_CLINIC_TZ',
      'DATABASE_URL',
      'JWT_SECRET',
      'PORT',
      'WORKER_EMBEDDED',
    ]);
    expect(problems.find((p) => p.startsWith('PORT'))).toMatch(/integer/);
    expect(problems.find((p) => p.startsWith('JWT_SECRET'))).toContain('(hidden)');
    expect(problems.find((p) => p.startsWith('JWT_SECRET'))).not.toContain('short');
  });

  it('treats an empty optional variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: '  ' }).DATABASE_URL).toBeUndefined();
  });

  it.each([
    ['false', false],
    ['1', 1],
    ['2', 2],
    ['10.0.0.5', ['10.0.0.5']],
    ['10.0.0.0/8, 192.168.1.1,fd00::/8', ['10.0.0.0/8', '192.168.1.1', 'fd00::/8']],
  ])('TRUST_PROXY=%s trusts %p', (value, expected) => {
    expect(trustProxy(loadConfig({ TRUST_PROXY: value }).TRUST_PROXY)).toEqual(expected);
  });

  it.each(['true', 'yes', '11', 'proxy.example', '10.0.0.0/33', '10.0.0.1,'])(
    'TRUST_PROXY=%s is refused: it would let a client choose its own address',
    (value) => {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY=.*proxy hops/);
    },
  );

  it('.env.example documents every variable the configuration reads', () => {
    const example = readFileSync(new URL('../../../../.env.example', import.meta.url), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const known = [
      'DATABASE_URL',
      'REDIS_URL',
      'JWT_SECRET',
      'BOOTSTRAP_ADMIN_PASSWORD',
      'METRICS_TOKEN',
      ...Object.keys(new VigilConfig()),
    ];
    expect([...new Set(known)].filter((k) => !documented.has(k))).toEqual([]);
  });
});
