import { Writable } from "node:stream";
import supertest from "supertest";
import { createLogger } from "../../server/logger";
import { createTestContext } from "../support/app";

/** The log lines an app writes for one request, at a given level. */
async function linesFor(level: string, path: string): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split("\n")) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const t = await createTestContext({ logger: createLogger(level, sink), remix: false });
  try {
    await supertest(t.app).get(path).set("Cookie", "ll_session=secret-cookie").set("User-Agent", "log-test");
  } finally {
    await t.close();
  }
  return lines.filter((l) => typeof l.msg === "string" && (l.msg as string).startsWith("GET "));
}

describe("the request log a newcomer reads in the terminal", () => {
  it("writes one short line per request at info: method, path, status and milliseconds, no headers", async () => {
    const lines = await linesFor("info", "/trpc/clients.list?input=%7B%7D");
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toMatch(/^GET \/trpc\/clients\.list 401 \d+ ms$/);
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain("log-test");
    expect(text).not.toContain("headers");
  });

  it("adds the request's headers at debug, with the session cookie still redacted", async () => {
    const lines = await linesFor("debug", "/trpc/clients.list?input=%7B%7D");
    const text = JSON.stringify(lines);
    expect(text).toContain("log-test");
    expect(text).not.toContain("secret-cookie");
  });
});
