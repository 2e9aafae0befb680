import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { isIP } from 'node:net';
import { isValidTimeZone } from '../clock/time-zone.js';
import { VigilConfig } from './vigil-config.js';

/** A proxy address or CIDR range, IPv4 or IPv6. */
function isAddressOrRange(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (!family || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY as Fastify's `trustProxy` takes it: false, a hop count, or a list of addresses and
 * ranges; undefined when the value is none of these (`true` included).
 */
export function trustProxy(value: string): false | number | string[] | undefined {
  const v = value.trim().toLowerCase();
  if (v === 'false' || v === '0' || v === '') return false;
  if (/^\d+$/.test(v)) return Number(v) >= 1 && Number(v) <= 10 ? Number(v) : undefined;
  const entries = v.split(',').map((e) => e.trim());
  return entries.every(isAddressOrRange) ? entries : undefined;
}

/** LOGIN_ADDRESS_RATE_LIMIT_PER_MIN, or its default. */
export function addressLoginLimit(config: VigilConfig): number {
  return config.LOGIN_ADDRESS_RATE_LIMIT_PER_MIN ?? config.LOGIN_RATE_LIMIT_PER_MIN * 10;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const describe = (e: ValidationError): string => {
  const expected = Object.values(e.constraints ?? {}).join('; ');
  const shown =
    e.property.includes('PASSWORD') || e.property.includes('SECRET') || e.property.includes('TOKEN') ? '(hidden)' : JSON.stringify(e.value);
  return `${e.property}=${shown}: ${expected}`;
};

/** Reads the variables Vigil knows from `env`, applies defaults and validates them all at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): VigilConfig {
  const known = Object.keys(new VigilConfig());
  const raw: Record<string, string> = {};
  for (const key of [
    ...known,
    'DATABASE_URL',
    'DATABASE_MIGRATION_URL',
    'REDIS_URL',
    'JWT_SECRET',
    'BOOTSTRAP_ADMIN_PASSWORD',
    'METRICS_TOKEN',
    'SMTP_URL',
    'HL7_MLLP_PORT',
    'HL7_MLLP_HOST',
  ]) {
    const value = env[key];
    if (value !== undefined) raw[key] = value;
  }
  const config = plainToInstance(VigilConfig, raw, { exposeDefaultValues: true });
  const problems = validateSync(config, { forbidUnknownValues: false }).map(describe);
  if (config.HTTP_HEADERS_TIMEOUT_MS > config.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push(`HTTP_HEADERS_TIMEOUT_MS=${config.HTTP_HEADERS_TIMEOUT_MS}: must not exceed HTTP_REQUEST_TIMEOUT_MS`);
  }
  if (!isValidTimeZone(config.BOOTSTRAP_CLINIC_TZ)) {
    problems.push(`BOOTSTRAP_CLINIC_TZ=${JSON.stringify(config.BOOTSTRAP_CLINIC_TZ)}: must be an IANA time zone such as Europe/London`);
  }
  if (trustProxy(config.TRUST_PROXY) === undefined) {
    problems.push(
      `TRUST_PROXY=${JSON.stringify(config.TRUST_PROXY)}: must be false, a number of proxy hops (1-10) or a comma-separated list of proxy addresses or CIDR ranges (true would trust whatever a client writes in X-Forwarded-For)`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
