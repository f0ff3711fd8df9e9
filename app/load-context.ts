import type { LeadLedgerLoadContext } from "../server/http/load-context";

declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends LeadLedgerLoadContext {}
}
declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends LeadLedgerLoadContext {}
}

export type { LeadLedgerLoadContext };

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
