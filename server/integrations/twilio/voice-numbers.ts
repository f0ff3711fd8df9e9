import type { VoiceNumberConfigurator, VoiceNumberConfigured } from "../../domain/calls/ports";
import type { TwilioClient } from "./client";

/** The part of the SDK's IncomingPhoneNumberPage this reads. */
interface NumbersPage {
  instances: { sid: string; phoneNumber: string }[];
  nextPageUrl?: string;
  nextPage(): Promise<NumbersPage> | undefined;
}

export interface TwilioVoiceNumbersOptions {
  client: TwilioClient;
  accountSid: string;
  /** `${PUBLIC_URL}/twilio/voice` */
  voiceUrl: string;
  /** Pages of 100 read at most while looking for the number (default 10). */
  maxPages?: number;
}

/**
 * Points a Twilio number's voice webhook at this server (number:add, trackingNumbers.create).
 *
 * Twilio's `PhoneNumber` filter on IncomingPhoneNumbers matches *partially* (and takes `*` as a
 * wildcard digit), so the answer may hold other numbers of the account, in any order and over
 * several pages: only an entry whose `phone_number` is exactly the number is taken. The update's
 * answer is read back: a `voice_url` or `voice_method` other than what we sent, or a TwiML App /
 * SIP trunk that answers the number's calls instead of `voice_url`, is returned as a warning.
 */
export function twilioVoiceNumbers(opts: TwilioVoiceNumbersOptions): VoiceNumberConfigurator {
  const maxPages = opts.maxPages ?? 10;
  return {
    async pointVoiceWebhook(phoneNumber): Promise<VoiceNumberConfigured> {
      const { voiceUrl } = opts;
      let sid: string | null = null;
      try {
        let page: NumbersPage = await opts.client.incomingPhoneNumbers.page({ phoneNumber, pageSize: 100 });
        for (let read = 1; ; read++) {
          sid = page.instances.find((n) => n.phoneNumber === phoneNumber)?.sid ?? null;
          if (sid || !page.nextPageUrl || read >= maxPages) break;
          const next = page.nextPage();
          if (!next) break;
          page = await next;
        }
      } catch (e) {
        return { twilioSid: null, warning: `Twilio could not be asked for ${phoneNumber}: ${e instanceof Error ? e.message : String(e)}; point its voice URL at ${voiceUrl} yourself.` };
      }
      if (!sid) return { twilioSid: null, warning: `${phoneNumber} is not a number of Twilio account ${opts.accountSid}; point its voice URL at ${voiceUrl} yourself.` };
      try {
        const updated = await opts.client.incomingPhoneNumbers(sid).update({ voiceUrl, voiceMethod: "POST" });
        const problems: string[] = [];
        if (updated.phoneNumber !== phoneNumber) problems.push(`Twilio answered for ${updated.phoneNumber}, not ${phoneNumber}`);
        if (updated.voiceUrl !== voiceUrl) problems.push(`its voice URL is ${updated.voiceUrl ? updated.voiceUrl : "empty"}, not ${voiceUrl}`);
        if (updated.voiceMethod && updated.voiceMethod.toUpperCase() !== "POST") problems.push(`its voice method is ${updated.voiceMethod}, not POST`);
        if (updated.voiceApplicationSid) problems.push(`TwiML App ${updated.voiceApplicationSid} answers its calls instead of the voice URL`);
        if (updated.trunkSid) problems.push(`SIP trunk ${updated.trunkSid} takes its calls instead of the voice URL`);
        return { twilioSid: sid, warning: problems.length ? `Twilio did not take the voice URL for ${phoneNumber} as sent: ${problems.join("; ")}. Calls may not reach LeadLedger; check the number in the Twilio console.` : null };
      } catch (e) {
        return { twilioSid: sid, warning: `Twilio did not accept the voice URL for ${phoneNumber}: ${e instanceof Error ? e.message : String(e)}` };
      }
    },
  };
}
