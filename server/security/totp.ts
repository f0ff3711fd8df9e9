import { Secret, TOTP } from "otpauth";
import type { TotpService } from "../domain/auth/ports";

/** RFC 6238 codes through `otpauth`: SHA-1, 6 digits, 30-second steps (what every authenticator app uses). */
export function totpService(issuer: string): TotpService {
  const totp = (secret: string, label = "") => new TOTP({ issuer, label, algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) });
  return {
    newSecret: () => new Secret({ size: 20 }).base32,
    uri: (secret, account) => totp(secret, account).toString(),
    verify(secret, code, at) {
      if (!/^\d{6}$/.test(code)) return null;
      const delta = totp(secret).validate({ token: code, timestamp: at.getTime(), window: 1 });
      return delta === null ? null : Math.floor(at.getTime() / 30_000) + delta;
    },
  };
}
