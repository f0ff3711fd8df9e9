import type { inferRouterInputs } from "@trpc/server";
import type { AppCaller, AppRouter } from "../../server/trpc/router";

/**
 * What the tRPC procedures take and return, as the pages see them. Components type their props
 * from these instead of re-declaring the server's shapes, so a change on the server shows up in
 * the page as a type error. Type-only: nothing of the server ends up in a page bundle.
 *
 * Outputs are read off the server caller the loaders use, not `inferRouterOutputs`: without a
 * transformer that one describes the JSON wire (a Date becomes a string), while the caller hands
 * loaders real Dates and Remix single fetch keeps them Dates on the way to the page.
 */
type Outputs<T> = { [K in keyof T]: T[K] extends (...args: never[]) => Promise<infer R> ? R : Outputs<T[K]> };

export type RouterOutputs = Outputs<AppCaller>;
export type RouterInputs = inferRouterInputs<AppRouter>;
