import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../clock/clock.js';
import { VigilConfig } from '../config/vigil-config.js';
import { requestContext, type Actor } from '../context/request-context.js';
import { findInClinicOr404 } from '../database/find.js';
import { TransactionRunner, type Tx } from '../database/transaction.js';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { heldBack, LoginThrottle } from './login-throttle.js';
import { hashPassword, verifyPassword } from './password.js';
import { toPublicUser, type PublicUser } from './public-user.js';
import { Refusal, settle } from './refusal.js';
import { SessionTokenIssuer } from './session-tokens.service.js';
import { User } from './user.entity.js';

export interface PasswordReset {
  user: PublicUser;
  /** Shown once, to the administrator who hands it over; never stored or audited in clear. */
  temporaryPassword: string;
}

export interface Unlocked {
  userId: string;
  /** Client addresses whose failed-login count on this account was cleared. */
  clearedAddresses: number;
  /** The latest back-off one of them was under, when it had not yet run out. */
  heldBackUntil: string | null;
}

const AUDIT = { resourceType: 'user' } as const;

/**
 * Passwords after sign-up: a user changes their own (the current one checked and throttled like a
 * login), an administrator resets another's to a temporary one the user must change, and lifts the
 * login back-off of an account. Each in one transaction with its audit row.
 */
@Injectable()
export class PasswordsService {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly tokens: SessionTokenIssuer,
    config: VigilConfig,
  ) {
    this.throttle = new LoginThrottle(dataSource, config);
  }

  /**
   * The caller's own password. A wrong current password is a failed login of this address on this
   * account (the same back-off holds both); success ends every other login of the user (this one
   * goes on) and their alert streams, and clears the back-off.
   */
  async changeOwn(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    if (newPassword === currentPassword)
      throw DomainError.validation([{ field: 'newPassword', message: 'must differ from the current password' }]);
    const address = requestContext.current()?.ip ?? '-';
    const now = this.clock.now();
    const found = await this.dataSource
      .createQueryBuilder(User, 'u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id: actor.userId })
      .getOne();
    if (!found) throw DomainError.notFound('User');
    const hold = await this.throttle.admit(address, found.email, now);
    if (hold) {
      await this.transactions.run((tx) =>
        this.audit.record(tx, { ...AUDIT, action: 'user.password-change', resourceId: found.id, outcome: 'denied', changes: { ...hold } }),
      );
      throw heldBack(hold);
    }
    const valid = await verifyPassword(found.passwordHash, currentPassword);
    const passwordHash = valid ? await hashPassword(newPassword) : undefined;
    await settle(
      this.audit,
      this.transactions.run(async (tx): Promise<void | Refusal> => {
        const user = await this.lockWithHash(tx, found.id);
        // A password changed meanwhile (another tab, an administrator) was not the one checked.
        if (!passwordHash || user.passwordHash !== found.passwordHash) return this.wrongCurrent(tx, user, address, now);
        await tx.manager.update(User, { id: user.id }, { passwordHash, passwordChangeRequired: false, version: user.version + 1 });
        await this.throttle.forgetAccount(tx, user.email);
        await this.tokens.revokeAllOfUser(tx, user.id, 'password_changed', actor.loginId);
        await this.audit.record(tx, { ...AUDIT, action: 'user.password-change', resourceId: user.id, changes: { otherLoginsEnded: true } });
      }),
    );
  }

  /**
   * Another user's password, replaced by a temporary one Vigil draws (answered once): their logins
   * end, their back-off is cleared, and until they choose their own they reach only /auth/me and
   * /auth/password. An administrator changes their own at /auth/password.
   */
  async reset(actor: Actor, id: string): Promise<PasswordReset> {
    if (id === actor.userId)
      throw DomainError.conflict(ErrorCode.Conflict, 'Change your own password at POST /auth/password, with your current one');
    const temporaryPassword = randomBytes(12).toString('base64url');
    const passwordHash = await hashPassword(temporaryPassword);
    return this.transactions.run(async (tx) => {
      const user = await findInClinicOr404(tx.manager, User, actor.clinicId, { id }, 'User', { lock: true });
      Object.assign(user, { passwordHash, passwordChangeRequired: true });
      await tx.manager.save(user);
      await this.throttle.forgetAccount(tx, user.email);
      await this.tokens.revokeAllOfUser(tx, user.id, 'password_reset');
      await this.audit.record(tx, {
        ...AUDIT,
        action: 'user.password-reset',
        resourceId: user.id,
        changes: { passwordChangeRequired: true },
      });
      return { user: toPublicUser(user), temporaryPassword };
    });
  }

  /** Clears the login back-off of every address on the account (the per-address counters of all accounts stay). */
  async unlock(actor: Actor, id: string): Promise<Unlocked> {
    return this.transactions.run(async (tx) => {
      const user = await findInClinicOr404(tx.manager, User, actor.clinicId, { id }, 'User', { lock: true });
      const { addresses, waitUntil } = await this.throttle.forgetAccount(tx, user.email);
      const heldBackUntil = waitUntil && waitUntil > this.clock.now() ? waitUntil.toISOString() : null;
      await this.audit.record(tx, {
        ...AUDIT,
        action: 'user.unlock',
        resourceId: user.id,
        changes: { clearedAddresses: addresses, heldBackUntil },
      });
      return { userId: user.id, clearedAddresses: addresses, heldBackUntil };
    });
  }

  private lockWithHash(tx: Tx, id: string): Promise<User> {
    return tx.manager
      .createQueryBuilder(User, 'u')
      .addSelect('u.passwordHash')
      .setLock('pessimistic_write')
      .where('u.id = :id', { id })
      .getOneOrFail();
  }

  /** A wrong current password: one more failed login of this address on this account, audited, and the refusal. */
  private async wrongCurrent(tx: Tx, user: User, address: string, now: Date): Promise<Refusal> {
    const { failures, waitUntil } = await this.throttle.failed(tx, address, user.email, now);
    const base = { ...AUDIT, resourceId: user.id, outcome: 'failure' as const };
    await this.audit.record(tx, { ...base, action: 'user.password-change', changes: { reason: 'wrong_password', failures } });
    if (waitUntil) await this.audit.record(tx, { ...base, action: 'auth.lock', changes: { reason: 'backoff', failures, waitUntil } });
    return new Refusal(DomainError.validation([{ field: 'currentPassword', message: 'is not your current password' }]));
  }
}
