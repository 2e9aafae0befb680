import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  return value;
};
const emptyToUndefined = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/**
 * Every environment variable Vigil reads, with its default and what it means. Start-up
 * validates the environment against this class and stops with one line per bad variable.
 * `.env.example` lists the same variables; a test keeps the two in step.
 */
export class VigilConfig {
  /** production | development | test */
  @IsIn(['production', 'development', 'test'])
  NODE_ENV: 'production' | 'development' | 'test' = 'development';

  /** HTTP port of the API. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Port of the stand-alone worker's health endpoint (GET /health). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_HEALTH_PORT = 3001;

  /** Address the API binds to. */
  @IsString()
  HOST = '0.0.0.0';

  /** PostgreSQL URL. Unset: Vigil starts an embedded PostgreSQL with its data under VIGIL_DATA_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_valid_protocol: true })
  DATABASE_URL?: string;

  /**
   * PostgreSQL URL of the role that owns Vigil's tables, used only to apply migrations. Set: the API
   * and the worker run as DATABASE_URL's role (a member of `vigil_app`, which cannot alter the
   * tables nor the audit trail's triggers). Unset: migrations run as DATABASE_URL's role too.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_valid_protocol: true })
  DATABASE_MIGRATION_URL?: string;

  /** Largest number of PostgreSQL connections one process opens. */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** Redis URL for the queues. Unset: the queues run on PostgreSQL (BullMQ's PostgreSQL backend). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false, require_valid_protocol: true })
  REDIS_URL?: string;

  /** Prefix of every queue key, so several Vigil installations can share one Redis. */
  @Matches(/^[a-z0-9-]{1,40}$/, { message: 'QUEUE_PREFIX must be 1-40 lower-case letters, digits or dashes' })
  QUEUE_PREFIX = 'vigil';

  /** Folder for the embedded database and generated secrets. */
  @IsString()
  @MinLength(1)
  VIGIL_DATA_DIR = '.vigil';

  /**
   * Folder for FHIR Bulk Data export files (NDJSON). Empty: `fhir-exports` under VIGIL_DATA_DIR.
   * The API serves the files the worker writes: with separate processes it must be one folder both see.
   */
  @IsString()
  FHIR_EXPORT_DIR = '';

  /** Hours a finished FHIR export's files and its status stay before a sweep deletes them. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(720)
  FHIR_EXPORT_RETENTION_HOURS = 24;

  /** Resources a FHIR export reads per page (keyset paging: memory stays flat whatever the clinic's size). */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(5000)
  FHIR_EXPORT_PAGE_SIZE = 1000;

  /** Run the queue processors and sweepers inside the API process. */
  @Transform(toBool)
  @IsBoolean()
  WORKER_EMBEDDED = true;

  /** Secret that signs access tokens (at least 32 characters). Unset: generated once and kept in VIGIL_DATA_DIR; set it when several API processes run. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32)
  JWT_SECRET?: string;

  /** Lifetime of an access token, minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  ACCESS_TOKEN_TTL_MIN = 15;

  /** Lifetime of a refresh token, days. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(90)
  REFRESH_TOKEN_TTL_DAYS = 14;

  /** Failed logins in a row, from one client address on one account, before each further attempt from there must wait (LOGIN_BACKOFF_BASE_SEC, doubling). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  LOGIN_MAX_FAILURES = 5;

  /** Longest wait the login back-off imposes, minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1440)
  LOGIN_LOCK_MIN = 15;

  /** Login attempts allowed per minute per client address and account. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  LOGIN_RATE_LIMIT_PER_MIN = 20;

  /**
   * Which reverse proxies may name the client address in X-Forwarded-For: `false` (none: the
   * address is the connection's), a number of proxy hops in front of Vigil (1–10), or a
   * comma-separated list of proxy addresses and CIDR ranges. Never `true`: the left-most entry is
   * whatever the client wrote. See trustProxy().
   */
  @IsString()
  TRUST_PROXY = 'false';

  /** Email of the first administrator, created on first start when no user exists. */
  @IsEmail({ require_tld: false })
  BOOTSTRAP_ADMIN_EMAIL = 'admin@vigil.local';

  /** Password of the first administrator. Unset: a random one is generated and printed once. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(12)
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  /** Name of the first clinic. */
  @IsString()
  @MinLength(1)
  BOOTSTRAP_CLINIC_NAME = 'Vigil Clinic';

  /** IANA time zone of the first clinic. */
  @IsString()
  BOOTSTRAP_CLINIC_TZ = 'UTC';

  /** Seconds between two runs of the pending-work sweeper. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  SWEEPER_INTERVAL_SEC = 60;

  /** Bearer token that /metrics requires. Unset: /metrics answers no one (401) until it is set. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16)
  METRICS_TOKEN?: string;

  /** SMTP server that delivers the notifications outbox (smtp://user:pass@host:587). Unset: messages stay in the outbox, readable by administrators. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ protocols: ['smtp', 'smtps'], require_tld: false, require_valid_protocol: true })
  SMTP_URL?: string;

  /** Sender of Vigil's emails. */
  @IsString()
  @MinLength(3)
  SMTP_FROM = 'Vigil <vigil@vigil.local>';

  /** error | warn | log | debug | verbose */
  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /** json (one object a line) or pretty. */
  @IsIn(['json', 'pretty'])
  LOG_FORMAT: 'json' | 'pretty' = 'json';

  /** Log one line per HTTP request. */
  @Transform(toBool)
  @IsBoolean()
  LOG_REQUESTS = true;

  /** Alert streams (GET /alerts/stream) one user may keep open at once; one more is refused with 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  ALERT_STREAMS_PER_USER = 5;

  /** Alert streams one API process keeps open at once; one more is refused with 429 (run another process). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  ALERT_STREAMS_PER_PROCESS = 1000;

  /** Milliseconds to wait for in-flight requests and jobs when stopping. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(120000)
  SHUTDOWN_TIMEOUT_MS = 10000;

  /** Login attempts allowed per minute per client address, all accounts together. Unset: ten times LOGIN_RATE_LIMIT_PER_MIN. */
  @Transform((p) => toInt({ value: emptyToUndefined(p) }))
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000000)
  LOGIN_ADDRESS_RATE_LIMIT_PER_MIN: number | undefined = undefined;

  /** First wait of the login back-off, seconds; each further failure doubles it, up to LOGIN_LOCK_MIN. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  LOGIN_BACKOFF_BASE_SEC = 30;

  /** Seconds after a refresh during which the same refresh token is answered again (another tab) rather than taken as stolen. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300)
  REFRESH_REUSE_GRACE_SEC = 30;

  /** Milliseconds a connection may stay silent (no byte either way) before it is closed; the alert stream's heartbeat is 15 s. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3600000)
  HTTP_CONNECTION_TIMEOUT_MS = 60000;

  /** Milliseconds an idle keep-alive connection stays open after an answer. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 5000;

  /** Milliseconds a client has to send a request's headers. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  HTTP_HEADERS_TIMEOUT_MS = 10000;

  /** Milliseconds a client has to send a whole request (headers and body); at least HTTP_HEADERS_TIMEOUT_MS. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  HTTP_REQUEST_TIMEOUT_MS = 30000;

  /** Open connections one client address may hold (0: no cap). Behind a reverse proxy every connection comes from the proxy: raise it or cap there. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100000)
  HTTP_MAX_CONNECTIONS_PER_ADDRESS = 200;

  /** TCP port of the HL7 v2 (MLLP) listener bedside monitor gateways send to. Unset: no listener (0: any free port). */
  @Transform((p) => toInt({ value: emptyToUndefined(p) }))
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  HL7_MLLP_PORT: number | undefined = undefined;

  /** Address the HL7 listener binds to. Unset: HOST. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  HL7_MLLP_HOST?: string;

  /** Seconds an HL7 connection may stay silent before Vigil closes it (default 65 min: past a monitor's longest trend interval, 60 min). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  HL7_MLLP_IDLE_TIMEOUT_SEC = 3900;

  /** HL7 connections held open at once; one more is closed at once. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  HL7_MLLP_MAX_CONNECTIONS = 200;
}
