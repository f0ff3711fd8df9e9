import { auditLog } from "../db/repositories/audit";
import { authRepository } from "../db/repositories/auth";
import { clientRepository } from "../db/repositories/clients";
import { userRepository } from "../db/repositories/users";
import { login } from "../domain/auth/login";
import type { Actor } from "../domain/auth/roles";
import { logout, purgeExpiredSessions, resolveSession } from "../domain/auth/session";
import { createClient, getClient, listClients, updateClient, type ClientDeps } from "../domain/clients/clients";
import type { CreateClientInput, UpdateClientInput } from "../domain/clients/inputs";
import type { CreateUserInput, UpdatePreferencesInput, UpdateUserInput } from "../domain/users/inputs";
import { createUser, listUsers, updatePreferences, updateUser, type UserDeps } from "../domain/users/users";
import { recoveryCode, tokenService as tokens } from "../security/crypto";
import path from "node:path";
import { accountRepository } from "../db/repositories/accounts";
import { requestPasswordReset, resetLinkIsOpen, resetPassword, type PasswordResetDeps } from "../domain/auth/password-reset";
import { beginTwoFactor, confirmTwoFactor, disableTwoFactor, twoFactorStatus, verifySecondFactor, type SecondFactorDeps } from "../domain/auth/second-factor";
import { createMailer } from "../integrations/email/mailer";
import { totpService } from "../security/totp";
import { withTransaction, type Wiring } from "./context";

/** Sign-in and sessions, clients, users. */
export function accountUseCases({ config, db, clock, hasher, logger }: Wiring) {
  const authRepo = authRepository(db);
  const clientsDeps: ClientDeps = withTransaction(db, (conn) => ({ clients: clientRepository(conn), audit: auditLog(conn) }));
  const userDeps = (): UserDeps => ({
    users: userRepository(db),
    clients: clientRepository(db),
    hasher,
    audit: auditLog(db),
    clock,
    transaction: (fn) => db.transaction((tx) => fn({ users: userRepository(tx), audit: auditLog(tx), revokeSessions: (userId, at) => authRepository(tx).revokeUserSessions(userId, at) })),
  });

  // Accounts: sign-in with an optional second factor, password reset by e-mail (decision 025).
  const loginDeps = { repo: authRepo, hasher, tokens, clock, sessionTtlMs: config.SESSION_TTL_HOURS * 3_600_000 };
  const secondFactorDeps: SecondFactorDeps = { ...loginDeps, accounts: accountRepository(db), audit: auditLog(db), totp: totpService(config.AGENCY_NAME), newRecoveryCode: recoveryCode };
  // Reset links are secrets: without SMTP_URL they are kept as files under DATA_DIR/mail, never in the console's e-mail log.
  const accountMail = createMailer({
    smtpUrl: config.SMTP_URL,
    from: config.MAIL_FROM,
    captureDir: path.join(config.DATA_DIR, "mail"),
    onCapture: (file, to) => logger.warn({ file, to }, "No SMTP_URL: the password-reset e-mail was kept in a file instead of being sent"),
  });
  const resetDeps: PasswordResetDeps = {
    repo: authRepo,
    accounts: accountRepository(db),
    hasher,
    tokens,
    clock,
    mailer: accountMail,
    publicUrl: config.publicUrl,
    agencyName: config.AGENCY_NAME,
    audit: auditLog(db),
    onSendError: (err) => logger.error({ err }, "the password-reset e-mail could not be sent"),
    transaction: (fn) => db.transaction((tx) => fn({ repo: authRepository(tx), accounts: accountRepository(tx), audit: auditLog(tx) })),
  };

  return {
    auth: {
      login: (input: { email: string; password: string; ip: string | null; userAgent: string | null }) => login(loginDeps, input),
      /** The second sign-in step of an account with two-factor on. */
      verifySecondFactor: (input: { challenge: string | null; code: string; ip: string | null; userAgent: string | null }) => verifySecondFactor(secondFactorDeps, input),
      twoFactor: {
        status: (actor: Actor) => twoFactorStatus(secondFactorDeps, actor),
        begin: (actor: Actor) => beginTwoFactor(secondFactorDeps, actor),
        confirm: (actor: Actor, input: { code: string }) => confirmTwoFactor(secondFactorDeps, actor, input),
        disable: (actor: Actor, input: { code: string }) => disableTwoFactor(secondFactorDeps, actor, input),
      },
      requestPasswordReset: (input: { email: string; ip: string | null }) => requestPasswordReset(resetDeps, input),
      resetLinkIsOpen: (token: string) => resetLinkIsOpen(resetDeps, token),
      resetPassword: (input: { token: string; password: string }) => resetPassword(resetDeps, input),
      resolveSession: (token: string | null | undefined) => resolveSession({ repo: authRepo, tokens, clock }, token),
      logout: (token: string | null | undefined) => logout({ repo: authRepo, tokens, clock }, token),
      revokeUserSessions: (userId: string) => authRepo.revokeUserSessions(userId, clock.now()),
      /** The hourly housekeeping job. */
      purgeExpired: () => purgeExpiredSessions({ repo: authRepo, clock }),
    },
    clients: {
      create: (actor: Actor, input: CreateClientInput) => createClient(clientsDeps, actor, input),
      list: (actor: Actor) => listClients(clientsDeps, actor),
      get: (actor: Actor, id: string) => getClient(clientsDeps, actor, id),
      update: (actor: Actor, input: UpdateClientInput) => updateClient(clientsDeps, actor, input),
    },
    users: {
      create: (actor: Actor, input: CreateUserInput) => createUser(userDeps(), actor, input),
      list: (actor: Actor, clientId?: string | null) => listUsers(userDeps(), actor, clientId),
      /** Role changes, deactivation (sessions end at once) and reactivation. */
      update: (actor: Actor, input: UpdateUserInput) => updateUser(userDeps(), actor, input),
      updatePreferences: (actor: Actor, input: UpdatePreferencesInput) => updatePreferences(userDeps(), actor, input),
    },
  };
}
