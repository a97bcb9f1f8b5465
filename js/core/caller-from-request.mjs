// Who is calling, read from a SigV4-signed request the way local AWS emulators do it: a 12-digit
// access key id is the account (so a test can play several accounts with static credentials), any
// other access key id is the default account, and the region is the credential scope's.
// Runtime-neutral: used by the SDK request handler (every JS runtime) and the HTTP endpoint (Node).

// Authorization: AWS4-HMAC-SHA256 Credential=<akid>/<date>/<region>/<service>/aws4_request, ...
const CREDENTIAL_SCOPE = /Credential=([^/,\s]+)\/[^/,\s]*\/([^/,\s]*)\/[^/,\s]*\/aws4_request/;
const ACCOUNT_ID = /^\d{12}$/;

/**
 * callerFromAuthorization returns the `{account, region, principal}` a World call takes. Empty
 * members mean the core's defaults (account 111122223333, region us-east-1, the account's root), so
 * those defaults live only in the core.
 *
 * @param {string | undefined} authorization the Authorization header, if any
 * @param {{accountId?: string, principal?: string, region?: string}} fixed accountId and principal fix
 *   the caller whatever the key says; region is used when the request carries no credential scope
 */
export function callerFromAuthorization(authorization, { accountId, principal, region } = {}) {
  const scope = typeof authorization === "string" ? CREDENTIAL_SCOPE.exec(authorization) : null;
  const accessKeyId = scope ? scope[1] : "";
  return {
    account: accountId || (ACCOUNT_ID.test(accessKeyId) ? accessKeyId : ""),
    region: scope?.[2] || region || "",
    principal: principal || "",
  };
}

/** headerValue finds a header by name whatever its case (the SDK lower-cases, people do not). */
export function headerValue(headers, name) {
  if (!headers) return undefined;
  if (typeof headers.get === "function") return headers.get(name) ?? undefined; // fetch Headers
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === wanted) {
      const value = headers[key];
      return Array.isArray(value) ? value.join(",") : value;
    }
  }
  return undefined;
}
