import type { Weekday } from "../contracts/contract-document";

/** The days of a contract's business hours in words: the verdicts, the contract's reading and the contract editor's labels. */
export const WEEKDAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};
