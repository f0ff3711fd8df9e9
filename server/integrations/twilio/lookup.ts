import type { PhoneLineInfo, PhoneLookup } from "../../domain/signals/ports";
import type { TwilioClient } from "./client";

/**
 * Twilio Lookup v2 with line type intelligence, through the real SDK:
 * `lookups.v2.phoneNumbers(n).fetch({ fields: "line_type_intelligence" })`. A number Twilio calls
 * not valid comes back `valid: false`; a failure or a late answer rejects (the caller then says
 * "phone check unavailable"). In tests and the credential-less demo the SDK talks to the local
 * fake Twilio, whose answers are documented in fake-twilio-server.ts.
 */
export function twilioPhoneLookup(client: () => TwilioClient): PhoneLookup {
  return {
    async lookup(e164, timeoutMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Twilio Lookup gave no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const answer = await Promise.race([client().lookups.v2.phoneNumbers(e164).fetch({ fields: "line_type_intelligence" }), late]);
        const line = answer.lineTypeIntelligence;
        const info: PhoneLineInfo = {
          valid: answer.valid === true,
          lineType: answer.valid && line && !line.errorCode ? (line.type ?? null) : null,
          carrier: answer.valid && line && !line.errorCode ? (line.carrierName ?? null) : null,
        };
        return info;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
