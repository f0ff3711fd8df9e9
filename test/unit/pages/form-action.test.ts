import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { field, formAction, formObject, formValues, intent, readForm } from "~/lib/form-action.server";

function form(entries: [string, string][]): FormData {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

const schema = z.discriminatedUnion("intent", [
  intent("add", { name: field.trimmed, note: field.optional, url: field.nullable, on: field.checkbox, tags: field.list, mode: field.oneOf(["live", "test"], "live"), raw: field.text }),
  intent("remove", { id: field.text }),
]);

/** What `data()` hands back: the failure and its status. */
function unwrap(r: unknown): { data: unknown; status: number | undefined } {
  const d = r as { data: unknown; init: { status?: number } | null };
  return { data: d.data, status: d.init?.status };
}

describe("typed form actions", () => {
  it("reads missing inputs like FormData does, and repeated names as a list", () => {
    expect(readForm(form([["intent", "add"]]), schema)).toEqual({ intent: "add", name: "", url: null, on: false, tags: [], mode: "live", raw: "" });
    const full = form([["intent", "add"], ["name", "  Ann "], ["note", " hi "], ["url", "x"], ["on", "on"], ["tags", "a"], ["tags", "b"], ["mode", "test"], ["raw", " kept "]]);
    expect(readForm(full, schema)).toEqual({ intent: "add", name: "Ann", note: "hi", url: "x", on: true, tags: ["a", "b"], mode: "test", raw: " kept " });
    expect(readForm(form([["intent", "add"], ["mode", "other"], ["tags", "one"]]), schema)).toMatchObject({ mode: "live", tags: ["one"] });
    expect(formObject(form([["a", "1"], ["a", "2"], ["b", "3"]]))).toEqual({ a: ["1", "2"], b: "3" });
    expect(formValues(form([["intent", "add"], ["a", "1"], ["b", "2"]]), ["b"])).toEqual({ a: "1" });
  });

  it("answers an unknown intent with the 400 page", () => {
    expect.assertions(2);
    try {
      readForm(form([["intent", "drop-table"]]), schema);
    } catch (e) {
      expect(e).toBeInstanceOf(Response);
      expect((e as Response).status).toBe(400);
    }
  });

  it("turns the server's issues into field errors and keeps what was typed", async () => {
    const refused = new TRPCError({ code: "BAD_REQUEST", message: "invalid", cause: Object.assign(new Error("invalid"), { issues: [{ path: ["name"], message: "must not be empty" }] }) });
    const r = unwrap(
      await formAction(form([["intent", "add"], ["name", "x"]]), schema, async () => {
        throw refused;
      }),
    );
    expect(r.status).toBe(400);
    expect(r.data).toEqual({ ok: false, intent: "add", message: "Please correct the highlighted fields.", fieldErrors: { name: "must not be empty" }, values: { name: "x" } });
    const conflict = unwrap(await formAction(form([["intent", "remove"], ["id", "1"]]), schema, () => Promise.reject(new TRPCError({ code: "CONFLICT", message: "Already gone." })), { status: 200, extra: { id: "1" } }));
    expect(conflict).toEqual({ status: 200, data: { ok: false, intent: "remove", message: "Already gone.", fieldErrors: {}, values: { id: "1" }, id: "1" } });
  });

  it("passes through what the handler returns and the responses it throws; not-found is the error page", async () => {
    await expect(formAction(form([["intent", "remove"], ["id", "7"]]), schema, async (i) => (i.intent === "remove" ? i.id : null))).resolves.toBe("7");
    const redirect = new Response(null, { status: 302 });
    await expect(formAction(form([["intent", "remove"]]), schema, () => Promise.reject(redirect))).rejects.toBe(redirect);
    await expect(formAction(form([["intent", "remove"]]), schema, () => Promise.reject(new TRPCError({ code: "NOT_FOUND", message: "No such thing." })))).rejects.toMatchObject({ status: 404 });
    const bug = new Error("bug");
    await expect(formAction(form([["intent", "remove"]]), schema, () => Promise.reject(bug))).rejects.toBe(bug);
  });
});
