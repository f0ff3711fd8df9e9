/** The US part of the `zipcodes` package's data: one entry per 5-digit ZIP. */
declare module "zipcodes/lib/codes" {
  export const codes: Record<string, { zip: string; city: string; state: string; country: string; latitude: number; longitude: number }>;
}
