import { DrizzleQueryError } from "drizzle-orm/errors";
import { createLogger, errorForLog } from "../../server/logger";

function duplicatePhoneError() {
  const pgError = Object.assign(new Error('duplicate key value violates unique constraint "leads_phone_key"'), {
    code: "23505",
    detail: "Key (phone)=(+12125550100) already exists.",
    constraint: "leads_phone_key",
    table: "leads",
  });
  return new DrizzleQueryError("insert into leads (name, phone) values ($1, $2)", ["Ann Smith", "+12125550100"], pgError);
}

describe("errors in the log", () => {
  it("keep the SQL, the PostgreSQL code and the constraint but not the bound values or the detail", () => {
    const logged = JSON.stringify(errorForLog(duplicatePhoneError()));
    expect(logged).toContain("insert into leads");
    expect(logged).toContain("23505");
    expect(logged).toContain("leads_phone_key");
    expect(logged).not.toContain("Ann Smith");
    expect(logged).not.toContain("2125550100");
  });

  it("are cleaned by the app's logger wherever an error is logged under err", () => {
    const lines: string[] = [];
    const logger = createLogger("info", { write: (l: string) => void lines.push(l) });
    logger.child({ req: "x" }).error({ err: duplicatePhoneError() }, "unhandled error");
    expect(lines.join("")).toContain("23505");
    expect(lines.join("")).not.toContain("2125550100");
  });
});
