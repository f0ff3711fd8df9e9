import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import type { PasswordHasher, TokenService } from "../domain/auth/ports";

export const argon2Hasher: PasswordHasher = {
  // @node-rs/argon2 defaults to Argon2id (v=19, m=19456, t=2, p=1), the OWASP-recommended setting.
  hash: (password) => hash(password),
  async verify(h, password) {
    try {
      return await verify(h, password);
    } catch {
      return false;
    }
  },
};

export const tokenService: TokenService = {
  newToken: () => randomBytes(32).toString("base64url"),
  hashToken: (token) => createHash("sha256").update(token).digest("hex"),
};

/** A random secret with a recognisable prefix, e.g. for API keys: ll_live_xxx. */
export function randomSecret(prefix: string, bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString("base64url")}`;
}

/** A sales rep's link token: 16 random bytes, 22 base64url characters (REP_LINK_TOKEN_LENGTH). */
export function newRepLinkToken(): string {
  return randomBytes(16).toString("base64url");
}

export function sha256Hex(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

/** A two-factor recovery code people can type: ten letters and digits in two groups, e.g. "k7m2p-x9q4r" (50 bits). */
export function recoveryCode(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(10);
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]!);
  return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
}
