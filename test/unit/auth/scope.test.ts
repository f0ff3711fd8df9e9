import type { Actor } from "../../../server/domain/auth/roles";
import { actorId, actorLabel } from "../../../server/domain/auth/roles";
import { canReach, clientScope, isClientSide, mayManageClient, ownClientId, requireAgency, requireAgencyAdmin, requireClientAdminOrAgency, requiredClientScope } from "../../../server/domain/auth/scope";
import { DomainError } from "../../../server/domain/errors";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";

const admin: Actor = { kind: "agency", userId: "u1", email: "admin@agency.test", role: "agency_admin" };
const staff: Actor = { kind: "agency", userId: "u2", email: "staff@agency.test", role: "agency_staff" };
const system: Actor = { kind: "system", label: "cli" };
const clientAdmin: Actor = { kind: "client", userId: "u3", email: "boss@a.test", role: "client_admin", clientId: A };
const member: Actor = { kind: "client", userId: "u4", email: "rep@a.test", role: "client_member", clientId: A };
const apiKey: Actor = { kind: "api_key", apiKeyId: "k1", clientId: A };

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
}

describe("authorization scope", () => {
  it("lets agency staff, agency admins and the system do agency work, and refuses client users and API keys", () => {
    expect([admin, staff, system, clientAdmin, member, apiKey].map((a) => codeOf(() => requireAgency(a)))).toEqual([null, null, null, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"]);
  });

  it("keeps admin work to agency admins and the system", () => {
    expect([admin, staff, system, clientAdmin, member, apiKey].map((a) => codeOf(() => requireAgencyAdmin(a)))).toEqual([null, "FORBIDDEN", null, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"]);
  });

  it("answers FORBIDDEN with the caller's message", () => {
    expect(() => requireAgency(member, "Reports are for agency staff.")).toThrow("Reports are for agency staff.");
    expect(() => requireAgencyAdmin(staff, "The audit log is for agency admins.")).toThrow("The audit log is for agency admins.");
  });

  it("lets a client's admin, agency staff and the system manage a client's settings, not members or API keys", () => {
    expect([admin, staff, system, clientAdmin, member, apiKey].map(mayManageClient)).toEqual([true, true, true, true, false, false]);
    expect(codeOf(() => requireClientAdminOrAgency(member, "no"))).toBe("FORBIDDEN");
    expect(codeOf(() => requireClientAdminOrAgency(clientAdmin, "no"))).toBeNull();
  });

  it("confines client users and API keys to their own client; the agency side reaches every client", () => {
    expect([admin, system, member, apiKey].map(ownClientId)).toEqual([null, null, A, A]);
    expect([admin, system, member, apiKey].map(isClientSide)).toEqual([false, false, true, true]);
    expect([admin, system, member, apiKey].map((a) => canReach(a, B))).toEqual([true, true, false, false]);
    expect([member, apiKey].map((a) => canReach(a, A))).toEqual([true, true]);
  });

  it("gives the agency side the client it names, or all clients when it names none", () => {
    expect(clientScope(staff, B)).toBe(B);
    expect(clientScope(system, undefined)).toBeUndefined();
    expect(clientScope(admin, null)).toBeUndefined();
  });

  it("gives a client user its own client when it names none or its own, and refuses another as not found", () => {
    expect(clientScope(member, undefined)).toBe(A);
    expect(clientScope(member, null)).toBe(A);
    expect(clientScope(member, A)).toBe(A);
    expect(codeOf(() => clientScope(member, B))).toBe("CLIENT_NOT_FOUND");
    expect(codeOf(() => clientScope(apiKey, B))).toBe("CLIENT_NOT_FOUND");
  });

  it("requires the agency side to name the client when a request is about exactly one", () => {
    expect(codeOf(() => requiredClientScope(staff, undefined))).toBe("VALIDATION_FAILED");
    expect(requiredClientScope(staff, B)).toBe(B);
    expect(requiredClientScope(clientAdmin, undefined)).toBe(A);
    expect(codeOf(() => requiredClientScope(clientAdmin, B))).toBe("CLIENT_NOT_FOUND");
  });

  it("names an API key in audit labels and gives it no user id", () => {
    expect(actorLabel(apiKey)).toBe("api_key:k1");
    expect(actorId(apiKey)).toBeNull();
    expect(actorLabel(system)).toBe("system:cli");
    expect(actorId(member)).toBe("u4");
  });
});
