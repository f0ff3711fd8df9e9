import { PgDialect } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { ALERT_STATUSES, ALERT_STATUS_RANK, canMove } from "../../server/domain/alerts/status";
import { isBillingPeriod } from "../../server/domain/billing/pricing";
import { billingPeriodField, isUuid } from "../../server/domain/shared/formats";
import { sqlCaseOf, sqlTextList } from "../../server/db/sql-values";

const text = (q: ReturnType<typeof sql>) => new PgDialect().sqlToQuery(q);

describe("shared formats", () => {
  it("accepts a UUID in either case and nothing that merely looks like one", () => {
    expect(isUuid("0f8fad5b-d9cb-469f-a165-70867728950e")).toBe(true);
    expect(isUuid("0F8FAD5B-D9CB-469F-A165-70867728950E")).toBe(true);
    expect(["", "not-a-uuid", "0f8fad5b-d9cb-469f-a165-70867728950", "0f8fad5bd9cb-469f-a165-70867728950e-", "------------------------------------"].map(isUuid)).toEqual([false, false, false, false, false]);
  });

  it("takes a billing period as YYYY-MM with a real month, in the input schema and in pricing alike", () => {
    for (const [period, ok] of [["2026-01", true], ["2026-12", true], ["2026-00", false], ["2026-13", false], ["2026-1", false], ["26-01", false]] as const) {
      expect([period, billingPeriodField.safeParse(period).success, isBillingPeriod(period)]).toEqual([period, ok, ok]);
    }
  });
});

describe("SQL written from the domain's constants", () => {
  it("writes a text list as quoted literals, with no parameters", () => {
    expect(text(sql`x in (${sqlTextList(["live", "test", "it's"])})`)).toEqual({ sql: "x in ('live', 'test', 'it''s')", params: [] });
  });

  it("ranks alert statuses in SQL exactly as the state machine does", () => {
    const q = text(sqlCaseOf(sql`status`, ALERT_STATUS_RANK));
    expect(q.params).toEqual([]);
    for (const s of ALERT_STATUSES) expect(q.sql).toContain(`when '${s}' then ${ALERT_STATUS_RANK[s]}`);
    expect(canMove("sent", "delivered")).toBe(true);
    expect(canMove("delivered", "sent")).toBe(false);
  });
});
