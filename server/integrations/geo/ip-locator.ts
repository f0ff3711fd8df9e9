import { isIP } from "node:net";
import type { IpLocator } from "../../domain/signals/ports";

/**
 * IP address → country, region and city from the data `geoip-lite` ships in its package (GeoLite
 * data, read into memory on first use: ~0.1 s and ~100 MB; no download at run time). Private,
 * loopback and unknown addresses locate to nothing.
 */
type GeoLookup = (ip: string) => { country?: string; region?: string; city?: string } | null;
let geo: GeoLookup | null = null;

function lookupFn(): GeoLookup {
  if (!geo) {
    // Loaded lazily so processes that never judge a lead (CLI, workers) do not pay for the data.
    const mod = require("geoip-lite") as { lookup: GeoLookup };
    geo = (ip) => mod.lookup(ip);
  }
  return geo;
}

export const geoIpLocator: IpLocator = {
  locate(ip) {
    if (isIP(ip) === 0) return null;
    const hit = lookupFn()(ip);
    if (!hit || !hit.country) return null;
    return { country: hit.country, region: hit.region || null, city: hit.city || null };
  },
};
