import { createSecretKey } from 'node:crypto';
import { BullModule } from '@nestjs/bullmq';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { AuditService } from './audit/audit.service.js';
import { AccessTokenVerifier } from './auth/access-tokens.service.js';
import { AuthService } from './auth/auth.service.js';
import { RefreshTokenRotation } from './auth/refresh-rotation.service.js';
import { SessionTokenIssuer } from './auth/session-tokens.service.js';
import { SignInService } from './auth/sign-in.service.js';
import { PasswordsService } from './auth/passwords.service.js';
import { UsersService } from './auth/users.service.js';
import { WitnessVerifier } from './auth/witness.js';
import { Clock } from './clock/clock.js';
import { VigilConfig } from './config/vigil-config.js';
import { TransactionRunner } from './database/transaction.js';
import { IdempotencyService } from './idempotency/idempotency.service.js';
import { NotificationDelivery } from './notifications/notification-delivery.service.js';
import { NotificationOutbox } from './notifications/notification-outbox.service.js';
import { QueueName } from './queue/job-names.js';
import { JobQueue, queueHandlesProvider } from './queue/job-queue.service.js';
import { PendingWorkService } from './queue/pending-work.service.js';
import { TenancyService } from './tenancy/tenancy.service.js';
import { VIGIL_RUNTIME, type VigilRuntime } from './runtime.js';

const SERVICES = [
  TransactionRunner,
  AuditService,
  NotificationOutbox,
  JobQueue,
  PendingWorkService,
  SessionTokenIssuer,
  SignInService,
  RefreshTokenRotation,
  AccessTokenVerifier,
  AuthService,
  UsersService,
  PasswordsService,
  TenancyService,
  IdempotencyService,
  NotificationDelivery,
  WitnessVerifier,
];

/** Config, database, transactions, audit, auth, queues: what both the API and the worker use. */
@Global()
@Module({})
export class PlatformModule {
  /** `clock` replaces the wall clock (tests move time with it). */
  static forRoot(runtime: VigilRuntime, opts: { clock?: Clock } = {}): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        // A key object, not the string: given a string, jsonwebtoken first tries (and fails) to parse it
        // as a public key on every verification, which cost more CPU than the rest of a request.
        JwtModule.register({ secret: createSecretKey(Buffer.from(runtime.jwtSecret, 'utf8')), signOptions: { algorithm: 'HS256' } }),
        BullModule.forRoot({ connection: runtime.queue.connection, prefix: runtime.config.QUEUE_PREFIX }),
        BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name }))),
      ],
      providers: [
        { provide: VigilConfig, useValue: runtime.config },
        { provide: DataSource, useValue: runtime.dataSource },
        { provide: VIGIL_RUNTIME, useValue: runtime },
        queueHandlesProvider(),
        opts.clock ? { provide: Clock, useValue: opts.clock } : Clock,
        ...SERVICES,
      ],
      exports: [VigilConfig, DataSource, VIGIL_RUNTIME, Clock, ...SERVICES],
    };
  }
}
