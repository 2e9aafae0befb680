import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, Role } from '../context/request-context.js';
import { decodeCursor, toPage, type Page } from '../database/pagination.js';
import { TransactionRunner } from '../database/transaction.js';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { Clinic } from '../tenancy/clinic.entity.js';
import { AuthService } from './auth.service.js';
import { toPublicUser, type PublicUser } from './public-user.js';
import { hashPassword } from './password.js';
import { User } from './user.entity.js';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
}

export interface UserChanges {
  name?: string;
  role?: Role;
  active?: boolean;
  password?: string;
  /** When given, the change applies only to this version (409 STALE_VERSION otherwise). */
  version?: number;
}

/** What every signed-in user may read of a colleague: who they are and their role, nothing of the account. */
export interface StaffMember {
  id: string;
  name: string;
  role: Role;
}

export interface ClinicSummary {
  id: string;
  name: string;
  /** IANA zone: the clinic's calendar days, opening hours and local times. */
  timeZone: string;
}

export interface UserFilter {
  role?: Role;
  active?: boolean;
  limit: number;
  cursor?: string;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
  ) {}

  async create(actor: Actor, input: NewUser): Promise<PublicUser> {
    const email = input.email.trim().toLowerCase();
    const passwordHash = await hashPassword(input.password);
    return this.transactions.run(async (tx) => {
      const taken = await tx.manager.existsBy(User, { email });
      if (taken)
        throw DomainError.conflict(ErrorCode.DuplicateKey, 'A user with this email already exists', [
          { field: 'email', message: 'already in use' },
        ]);
      const user = tx.manager.create(User, {
        clinicId: actor.clinicId,
        email,
        name: input.name.trim(),
        role: input.role,
        passwordHash,
        active: true,
      });
      await tx.manager.save(user);
      await this.audit.record(tx, {
        action: 'user.create',
        resourceType: 'user',
        resourceId: user.id,
        changes: { email, name: user.name, role: user.role },
      });
      return toPublicUser(user);
    });
  }

  async get(actor: Actor, id: string): Promise<PublicUser> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id, clinicId: actor.clinicId });
    if (!user) throw DomainError.notFound('User');
    return toPublicUser(user);
  }

  /** The signed-in user, with their clinic (name and time zone, which every local time is in). */
  async me(actor: Actor): Promise<PublicUser & { clinic: ClinicSummary }> {
    const user = await this.get(actor, actor.userId);
    const clinic = await this.dataSource.getRepository(Clinic).findOneByOrFail({ id: actor.clinicId });
    return { ...user, clinic: { id: clinic.id, name: clinic.name, timeZone: clinic.timeZone } };
  }

  async list(actor: Actor, filter: UserFilter): Promise<Page<PublicUser>> {
    const after = decodeCursor(filter.cursor);
    const q = this.dataSource.createQueryBuilder(User, 'u').where('u.clinic_id = :clinicId', { clinicId: actor.clinicId });
    if (filter.role) q.andWhere('u.role = :role', { role: filter.role });
    if (filter.active !== undefined) q.andWhere('u.active = :active', { active: filter.active });
    if (after) q.andWhere('(u.created_at, u.id) > (:at, :id)', { at: after.at, id: after.id });
    const rows = await q
      .orderBy('u.created_at', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(filter.limit + 1)
      .getMany();
    return toPage(rows, filter.limit, (u) => ({ at: u.createdAt, id: u.id }), toPublicUser);
  }

  /**
   * The clinic's active staff, optionally of one role, in the order they were created: the people
   * clinical staff must name (the anesthesiologist at check-in, a REMS prescriber, a witness).
   */
  async directory(actor: Actor, filter: Omit<UserFilter, 'active'>): Promise<Page<StaffMember>> {
    const page = await this.list(actor, { ...filter, active: true });
    return { items: page.items.map(({ id, name, role }) => ({ id, name, role })), nextCursor: page.nextCursor };
  }

  async update(actor: Actor, id: string, changes: UserChanges): Promise<PublicUser> {
    const passwordHash = changes.password ? await hashPassword(changes.password) : undefined;
    return this.transactions.run(async (tx) => {
      const user = await tx.manager
        .createQueryBuilder(User, 'u')
        .setLock('pessimistic_write')
        .where('u.id = :id AND u.clinic_id = :clinicId', { id, clinicId: actor.clinicId })
        .getOne();
      if (!user) throw DomainError.notFound('User');
      if (changes.version !== undefined && changes.version !== user.version) {
        throw DomainError.conflict(
          ErrorCode.StaleVersion,
          `User was changed meanwhile (version ${user.version}, you sent ${changes.version})`,
        );
      }
      if (user.id === actor.userId && (changes.active === false || (changes.role && changes.role !== 'admin'))) {
        throw DomainError.conflict(ErrorCode.Conflict, 'You cannot deactivate yourself or give up your own admin role');
      }
      const before = { name: user.name, role: user.role, active: user.active };
      if (changes.name !== undefined) user.name = changes.name.trim();
      if (changes.role !== undefined) user.role = changes.role;
      if (changes.active !== undefined) user.active = changes.active;
      if (passwordHash) {
        user.passwordHash = passwordHash;
        // A password an administrator chose for someone else is theirs to replace (api.md).
        user.passwordChangeRequired = user.id !== actor.userId;
        await this.auth.forgetLoginFailures(tx, user.email);
      }
      await tx.manager.save(user);
      if (changes.active === false || passwordHash || (changes.role && changes.role !== before.role)) {
        await this.auth.revokeAllForUser(tx, user.id, changes.active === false ? 'deactivated' : 'credentials_changed');
      }
      await this.audit.record(tx, {
        action: 'user.update',
        resourceType: 'user',
        resourceId: user.id,
        changes: { before, after: { name: user.name, role: user.role, active: user.active }, credentialsReset: Boolean(passwordHash) },
      });
      return toPublicUser(user);
    });
  }
}
