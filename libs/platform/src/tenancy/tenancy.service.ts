import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import { hashPassword } from '../auth/password.js';
import { User } from '../auth/user.entity.js';
import { isValidTimeZone } from '../clock/time-zone.js';
import { VigilConfig } from '../config/vigil-config.js';
import { TransactionRunner } from '../database/transaction.js';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { Clinic } from './clinic.entity.js';

export interface NewClinic {
  name: string;
  timeZone: string;
  adminEmail: string;
  adminPassword: string;
  adminName?: string;
}

export interface BootstrapResult {
  created: boolean;
  email: string;
  /** Only when Vigil generated it: shown once on the console. */
  generatedPassword?: string;
}

const BOOTSTRAP_LOCK = 0x76_69_67_6c; // 'vigl'

@Injectable()
export class TenancyService {
  private readonly logger = new Logger('Tenancy');

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly config: VigilConfig,
  ) {}

  /** Creates a clinic and its first administrator in one transaction (operators' CLI). */
  async createClinic(input: NewClinic): Promise<{ clinic: Clinic; adminId: string }> {
    const problems = [];
    if (!input.name.trim()) problems.push({ field: 'name', message: 'must not be empty' });
    if (!isValidTimeZone(input.timeZone))
      problems.push({ field: 'timezone', message: 'must be an IANA time zone such as America/New_York' });
    if (!/^[^@\s]+@[^@\s]+$/.test(input.adminEmail)) problems.push({ field: 'admin-email', message: 'must be an email address' });
    if (input.adminPassword.length < 12) problems.push({ field: 'admin-password', message: 'must be at least 12 characters' });
    if (problems.length) throw DomainError.validation(problems);
    const email = input.adminEmail.trim().toLowerCase();
    const passwordHash = await hashPassword(input.adminPassword);
    return this.transactions.run(async (tx) => {
      if (await tx.manager.existsBy(User, { email })) {
        throw DomainError.conflict(ErrorCode.DuplicateKey, `A user with email ${email} already exists`);
      }
      const clinic = tx.manager.create(Clinic, { name: input.name.trim(), timeZone: input.timeZone });
      await tx.manager.save(clinic);
      const admin = tx.manager.create(User, {
        clinicId: clinic.id,
        email,
        name: input.adminName ?? 'Administrator',
        role: 'admin',
        passwordHash,
      });
      await tx.manager.save(admin);
      const actor = null;
      await this.audit.record(tx, {
        action: 'clinic.create',
        resourceType: 'clinic',
        resourceId: clinic.id,
        clinicId: clinic.id,
        actor,
        changes: { name: clinic.name, timeZone: clinic.timeZone },
      });
      await this.audit.record(tx, {
        action: 'user.create',
        resourceType: 'user',
        resourceId: admin.id,
        clinicId: clinic.id,
        actor,
        changes: { email, role: 'admin' },
      });
      return { clinic, adminId: admin.id };
    });
  }

  /** On first start, when no user exists, creates the bootstrap clinic and admin (api.md). */
  async bootstrap(): Promise<BootstrapResult> {
    const email = this.config.BOOTSTRAP_ADMIN_EMAIL.toLowerCase();
    const generated = this.config.BOOTSTRAP_ADMIN_PASSWORD ? undefined : randomBytes(12).toString('base64url');
    const password = this.config.BOOTSTRAP_ADMIN_PASSWORD ?? generated!;
    const passwordHash = await hashPassword(password);
    return this.transactions.run(async (tx) => {
      // Several API processes may start at once: one of them bootstraps.
      await tx.manager.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
      const anyUser: unknown[] = await tx.manager.query('SELECT 1 FROM users LIMIT 1');
      if (anyUser.length > 0) return { created: false, email };
      const clinic = tx.manager.create(Clinic, { name: this.config.BOOTSTRAP_CLINIC_NAME, timeZone: this.config.BOOTSTRAP_CLINIC_TZ });
      await tx.manager.save(clinic);
      const admin = tx.manager.create(User, { clinicId: clinic.id, email, name: 'Administrator', role: 'admin', passwordHash });
      await tx.manager.save(admin);
      await this.audit.record(tx, {
        action: 'clinic.bootstrap',
        resourceType: 'clinic',
        resourceId: clinic.id,
        clinicId: clinic.id,
        actor: null,
        changes: { name: clinic.name, timeZone: clinic.timeZone, adminEmail: email },
      });
      this.logger.log(`created clinic "${clinic.name}" with administrator ${email}`);
      return generated ? { created: true, email, generatedPassword: generated } : { created: true, email };
    });
  }
}
