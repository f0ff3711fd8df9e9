import { locate, placeOfZip } from "../../../server/domain/leads/zip-places";

describe("placeOfZip", () => {
  it.each<[string, { state: string; city: string } | null]>([
    ["14201", { state: "NY", city: "Buffalo" }],
    ["11201", { state: "NY", city: "Brooklyn" }],
    ["07030", { state: "NJ", city: "Hoboken" }],
    ["94105", { state: "CA", city: "San Francisco" }],
    ["00601", { state: "PR", city: "Adjuntas" }],
    ["00000", null],
    ["1420", null],
    ["14201-1234", null],
    ["M5V", null],
    ["constructor", null],
  ])("%s", (zip, place) => {
    expect(placeOfZip(zip)).toEqual(place && { zip, ...place });
  });

  it("places nothing without a ZIP", () => {
    expect(placeOfZip(null)).toBeNull();
    expect(placeOfZip(undefined)).toBeNull();
  });
});

describe("locate", () => {
  it.each<[string, Parameters<typeof locate>[0], ReturnType<typeof locate>]>([
    ["a ZIP alone gets its state and city", { zip: "14201", state: null, city: null }, { zip: "14201", state: "NY", city: "Buffalo" }],
    ["the ZIP's state wins over the state given", { zip: "07030", state: "NY", city: null }, { zip: "07030", state: "NJ", city: "Hoboken" }],
    ["a city given is kept", { zip: "14201", state: "NY", city: "BUFFALO" }, { zip: "14201", state: "NY", city: "BUFFALO" }],
    ["an unknown ZIP keeps what was given", { zip: "00000", state: "NY", city: null }, { zip: "00000", state: "NY", city: null }],
    ["no ZIP keeps what was given", { zip: null, state: "CA", city: "Fresno" }, { zip: null, state: "CA", city: "Fresno" }],
  ])("%s", (_case, given, expected) => {
    expect(locate(given)).toEqual(expected);
  });
});
