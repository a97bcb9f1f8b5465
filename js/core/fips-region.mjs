// The JS SDK's reading of a FIPS pseudo-Region in a client's `region` (@smithy's resolveRegionConfig):
// `us-east-1-fips` and `fips-us-east-1` are the Region us-east-1 with the FIPS endpoint
// (kms-fips.us-east-1.amazonaws.com), so `config.region()` answers us-east-1 and
// `config.useFipsEndpoint()` true. This is the SDK's configuration, not KMS: which Regions exist, and what
// a pseudo-Region calls, the core decides (WasmKMS.CheckCaller, caller-check.mjs). Runtime-neutral.

/** isFipsRegion: the SDK's test of a pseudo-Region. */
export const isFipsRegion = (region) =>
  typeof region === "string" && (region.startsWith("fips-") || region.endsWith("-fips"));

/** realRegion: the Region a pseudo-Region names, as the SDK strips it (any other region as it is). */
export function realRegion(region) {
  if (!isFipsRegion(region)) return region;
  if (region === "fips-aws-global" || region === "aws-fips") return "us-east-1";
  return region.replace(/fips-(dkr-|prod-)?|-fips/, "");
}

/** PROVIDED_REGION: the client config's provider of its `region` as given (pseudo-Regions kept). */
export const PROVIDED_REGION = Symbol("wasmkms.providedRegion");

/** kmsHostname: the endpoint host the SDK calls for a region as given. */
export const kmsHostname = (region) =>
  `${isFipsRegion(region) ? "kms-fips" : "kms"}.${realRegion(region)}.amazonaws.com`;
