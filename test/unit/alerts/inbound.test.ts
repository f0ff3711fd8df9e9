import { handleInboundSms, inboundKeyword } from "../../../server/domain/alerts/callbacks";
import type { InboundSmsRepository } from "../../../server/domain/alerts/ports";

/** A recipient store in memory: the port's contract, no database. */
function memoryRecipients(): InboundSmsRepository & { optedOut: Set<string>; skipped: string[] } {
  const optedOut = new Set<string>();
  const skipped: string[] = [];
  return {
    optedOut,
    skipped,
    async optOut(phone) {
      if (optedOut.has(phone)) return [];
      optedOut.add(phone);
      return [{ id: `r-${phone}`, clientId: "c1" }];
    },
    async optIn(phone) {
      return optedOut.delete(phone) ? [{ id: `r-${phone}`, clientId: "c1" }] : [];
    },
    async skipPendingAlerts(ids, reason) {
      skipped.push(...ids.map((id) => `${id}: ${reason}`));
      return ids.length;
    },
  };
}
const audit = { record: async () => undefined };
const NOW = new Date("2026-12-07T15:00:00Z");

describe("inboundKeyword", () => {
  it.each([
    ["STOP", "opt_out"],
    ["stopall", "opt_out"],
    ["Unsubscribe", "opt_out"],
    ["cancel", "opt_out"],
    ["END", "opt_out"],
    ["quit.", "opt_out"],
    ["REVOKE", "opt_out"],
    ["OptOut", "opt_out"],
    ["start", "opt_in"],
    ["YES", "opt_in"],
    ["unstop", "opt_in"],
    ["help", "help"],
    ["INFO", "help"],
    ["stop please", null],
    ["ARRET", null],
  ])("reads %j as %s, like Twilio's default keywords", (body, expected) => {
    expect(inboundKeyword(body)).toBe(expected);
  });

  it("lets Advanced Opt-Out's OptOutType decide over the words", () => {
    expect(inboundKeyword("ARRET", "STOP")).toBe("opt_out");
    expect(inboundKeyword("COMENZAR", "START")).toBe("opt_in");
    expect(inboundKeyword("STOP", "START")).toBe("opt_in");
    expect(inboundKeyword("AYUDA", "help")).toBe("help");
  });
});

describe("handleInboundSms", () => {
  const deps = (helpReply: boolean) => ({ recipients: memoryRecipients(), audit, agencyName: "Northwind Leads", supportPhone: "+1 800 555 0100", helpReply });

  it("answers HELP with the agency's name and support phone only when configured to", async () => {
    expect((await handleInboundSms(deps(true), { from: "+12125550199", body: "HELP" }, NOW)).reply).toBe("Northwind Leads lead alerts. Reply STOP to opt out. Help: +1 800 555 0100");
    expect((await handleInboundSms(deps(false), { from: "+12125550199", body: "HELP" }, NOW)).reply).toBeNull();
  });

  it("never answers HELP that Twilio's Advanced Opt-Out already answered", async () => {
    expect((await handleInboundSms(deps(true), { from: "+12125550199", body: "AIDE", optOutType: "HELP" }, NOW)).reply).toBeNull();
  });

  it("skips the opted-out rep's waiting alerts with the reason", async () => {
    const d = deps(false);
    const r = await handleInboundSms(d, { from: "+12125550120", body: "REVOKE" }, NOW);

    expect(r).toMatchObject({ keyword: "opt_out", recipientsChanged: 1, alertsSkipped: 1 });
    expect(d.recipients.skipped).toEqual(["r-+12125550120: recipient replied STOP — opted out since 2026-12-07T15:00:00.000Z"]);
  });
});
