import {
  emptyTwiml,
  forwardCallTwiml,
  messagingReplyTwiml,
  unknownNumberTwiml,
  whisperTwiml,
} from "../../../server/integrations/twilio/twiml";

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';

/** Attributes of the first <tag …> in xml, as a map (order-independent, but exact). */
function attributesOf(xml: string, tag: string): Record<string, string> {
  const open = new RegExp(`<${tag}(\\s[^>]*)?>`).exec(xml);
  if (!open) throw new Error(`no <${tag}> in ${xml}`);
  const attrs: Record<string, string> = {};
  for (const m of (open[1] ?? "").matchAll(/(\w+)="([^"]*)"/g)) attrs[m[1]!] = m[2]!;
  return attrs;
}

const base = {
  forwardTo: "+12125550143",
  actionUrl: "https://leads.example.com/twilio/voice/dial-complete",
  recordingStatusCallbackUrl: "https://leads.example.com/twilio/voice/recording",
};

describe("forwardCallTwiml", () => {
  it("says the disclosure, then dials the business with recording and a whisper", () => {
    const xml = forwardCallTwiml({
      ...base,
      disclosure: "This call may be recorded.",
      record: true,
      whisperUrl: "https://leads.example.com/twilio/voice/whisper?n=1",
    });

    expect(xml.startsWith(`${XML_DECL}<Response><Say>This call may be recorded.</Say><Dial `)).toBe(true);
    expect(attributesOf(xml, "Dial")).toEqual({
      answerOnBridge: "true",
      action: "https://leads.example.com/twilio/voice/dial-complete",
      method: "POST",
      record: "record-from-answer-dual",
      recordingStatusCallback: "https://leads.example.com/twilio/voice/recording",
      recordingStatusCallbackMethod: "POST",
      recordingStatusCallbackEvent: "completed absent",
    });
    expect(xml).toContain('<Number url="https://leads.example.com/twilio/voice/whisper?n=1">+12125550143</Number></Dial></Response>');
  });

  it("leaves out recording attributes, the disclosure and the whisper when not asked for", () => {
    const xml = forwardCallTwiml({ ...base, record: false, disclosure: null, whisperUrl: null });

    expect(xml).toBe(
      `${XML_DECL}<Response><Dial answerOnBridge="true" action="https://leads.example.com/twilio/voice/dial-complete" method="POST">` +
        "<Number>+12125550143</Number></Dial></Response>",
    );
  });

  it("sets the caller id when given and escapes XML in text and URLs", () => {
    const xml = forwardCallTwiml({
      ...base,
      actionUrl: "https://leads.example.com/twilio/voice/dial-complete?a=1&b=2",
      record: false,
      disclosure: "Calls <recorded> & reviewed",
      callerId: "+18005550100",
    });

    expect(attributesOf(xml, "Dial")).toMatchObject({
      action: "https://leads.example.com/twilio/voice/dial-complete?a=1&amp;b=2",
      callerId: "+18005550100",
    });
    expect(xml).toContain("<Say>Calls &lt;recorded&gt; &amp; reviewed</Say>");
  });
});

describe("other TwiML", () => {
  it("whispers the text to the business", () => {
    expect(whisperTwiml("Lead from Google Search – Roof repair")).toBe(
      `${XML_DECL}<Response><Say>Lead from Google Search – Roof repair</Say></Response>`,
    );
  });

  it("answers an unknown number politely and hangs up", () => {
    expect(unknownNumberTwiml()).toBe(`${XML_DECL}<Response><Say>Sorry, this number is not in service. Goodbye.</Say><Hangup/></Response>`);
  });

  it("renders an empty response", () => {
    expect(emptyTwiml()).toBe(`${XML_DECL}<Response/>`);
  });

  it("replies to an SMS with a Message, or with nothing", () => {
    expect(messagingReplyTwiml("You are unsubscribed.")).toBe(`${XML_DECL}<Response><Message>You are unsubscribed.</Message></Response>`);
    expect(messagingReplyTwiml(null)).toBe(`${XML_DECL}<Response/>`);
  });
});
