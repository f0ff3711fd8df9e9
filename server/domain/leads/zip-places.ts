import { codes as US_ZIPS } from "zipcodes/lib/codes";

/**
 * Where a US ZIP is, from the data the `zipcodes` package ships (about 42,500 ZIPs, read once at
 * start-up, no download at run time). One place decides a lead's location for forms, API posts and
 * calls alike: the state and city come from the ZIP when the ZIP is known, so a form that sends only
 * a ZIP is placed in its state exactly as a call is (docs/decisions/010-location-from-zip.md).
 */
export interface ZipPlace {
  zip: string;
  /** Two-letter state (or territory) code, e.g. "NY". */
  state: string;
  city: string;
}

/** The place of a 5-digit ZIP, or null for anything else (ZIP+4 must be cut to 5 digits first). */
export function placeOfZip(zip: string | null | undefined): ZipPlace | null {
  if (typeof zip !== "string" || !/^\d{5}$/.test(zip) || !Object.hasOwn(US_ZIPS, zip)) return null;
  const entry = US_ZIPS[zip]!;
  return { zip, state: entry.state, city: entry.city };
}

export interface Location {
  zip: string | null;
  /** The ZIP's state when the ZIP is known, else the state as given. */
  state: string | null;
  /** The city as given, else the ZIP's city. */
  city: string | null;
}

/** The location stored on a lead, from what it gave (already normalized: 5-digit ZIP, 2-letter state). */
export function locate(given: Location): Location {
  const place = placeOfZip(given.zip);
  return { zip: given.zip, state: place?.state ?? given.state, city: given.city ?? place?.city ?? null };
}
