// Checks AWS Signature Version 4 on the endpoint's requests (Node only), for users who want the local
// endpoint to refuse what AWS would refuse: an unknown access key, a wrong secret, a changed request,
// a stale clock, a scope for another service, an operation (X-Amz-Target) left unsigned. Off unless
// serve() is given credentials; the answers are the ones AWS gives.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

const ALGORITHM = "AWS4-HMAC-SHA256";
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;_.-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
// AWS refuses requests signed more than 5 minutes off its clock (the IAM User Guide, "Signing AWS API
// requests": "a request must reach AWS within five minutes of the time stamp in the request"), with
// "Signature expired: <signed> is now earlier than <now - 5 min> (<now> - 5 min.)" or "Signature not
// yet current: <signed> is still later than <now + 5 min> (<now> + 5 min.)", both
// InvalidSignatureException (as services answer them: aws/aws-sdk-go issue 2194,
// remind101/logspout-kinesis issue 21; DynamoDB alone allows 15 minutes, aws/aws-sdk-js issue 254).
const ALLOWED_SKEW_MS = 5 * 60 * 1000;

// The errors AWS answers for requests it cannot authenticate (HTTP 400 on the JSON protocols).
const MISSING_TOKEN = { name: "MissingAuthenticationTokenException", message: "Missing Authentication Token" };
const UNKNOWN_KEY = {
  name: "UnrecognizedClientException",
  message: "The security token included in the request is invalid.",
};
// The checks run in the order AWS's JSON front end runs them: the clock, the headers that must be
// signed, the credential scope, the access key, then the signature (recorded against DynamoDB, whose
// front end KMS shares, in mhart/dynalite's index.js). Their answers:
// - an unsigned Host: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", as
//   AWS answers it now (dacut/scratchstack-aws-signature's messages; dynalite recorded it before
//   HTTP/2, without ":authority");
// - a scope for another service: "Credential should be scoped to correct service: 'kms'. ", with the
//   trailing space AWS leaves after each such sentence (AWS Batch's answer in
//   cllunsford/aws-signing-proxy issue 25; InvalidSignatureException, as SageMaker's answer names it
//   in the same search);
// - an unsigned X-Amz-Target: what AWS answers is not recorded anywhere found. A request whose
//   operation is not signed could be replayed as another operation (a captured DescribeKey sent as
//   DisableKey), so it is refused, in AWS's words for a header that must be signed (as for Host).
const SERVICE = "kms";
const UNSIGNED_HOST = {
  name: "InvalidSignatureException",
  message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
};
const UNSIGNED_TARGET = {
  name: "InvalidSignatureException",
  message: "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.",
};
const WRONG_SERVICE = {
  name: "InvalidSignatureException",
  message: `Credential should be scoped to correct service: '${SERVICE}'. `,
};
const BAD_SIGNATURE = {
  name: "InvalidSignatureException",
  message:
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
};

/**
 * createSigV4Verifier(credentials) returns verify(request, body) -> null when the signature is good,
 * else the AWS error to answer with status 400, `{ name, message }` (its body: errorBodyText in
 * kms-wire.mjs). credentials: one `{accessKeyId, secretAccessKey}`
 * or a list of them.
 */
export function createSigV4Verifier(credentials, { now = () => Date.now() } = {}) {
  const secrets = new Map();
  for (const { accessKeyId, secretAccessKey } of [credentials].flat()) {
    if (
      typeof accessKeyId !== "string" ||
      accessKeyId === "" ||
      typeof secretAccessKey !== "string" ||
      secretAccessKey === ""
    ) {
      throw new TypeError("wasmkms: credentials to check need a non-empty accessKeyId and secretAccessKey");
    }
    secrets.set(accessKeyId, secretAccessKey);
  }

  return function verify(request, body) {
    const authorization = request.headers.authorization;
    if (authorization === undefined) return MISSING_TOKEN;
    const parsed = AUTHORIZATION.exec(authorization);
    if (parsed === null)
      return {
        name: "IncompleteSignatureException",
        message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters, and the algorithm ${ALGORITHM}.`,
      };
    const [, accessKeyId, date, region, service, signedHeaderList, signature] = parsed;

    const amzDate = request.headers["x-amz-date"];
    const signedAt = typeof amzDate === "string" ? AMZ_DATE.exec(amzDate) : null;
    if (signedAt === null || !amzDate.startsWith(date)) return BAD_SIGNATURE;
    const skew = checkClock(signedAt, amzDate, now());
    if (skew !== null) return skew;

    const signedHeaders = signedHeaderList.split(";");
    if (!signedHeaders.includes("host")) return UNSIGNED_HOST;
    if (request.headers["x-amz-target"] !== undefined && !signedHeaders.includes("x-amz-target")) {
      return UNSIGNED_TARGET;
    }
    if (service !== SERVICE) return WRONG_SERVICE;

    const secret = secrets.get(accessKeyId);
    if (secret === undefined) return UNKNOWN_KEY;
    const canonicalHeaders = signedHeaders
      .map((name) => `${name}:${canonicalHeaderValue(request.headers[name])}\n`)
      .join("");
    const url = new URL(request.url, "http://localhost");
    const canonicalRequest = [
      request.method,
      canonicalPath(url.pathname),
      canonicalQuery(url.searchParams),
      canonicalHeaders,
      signedHeaderList,
      sha256Hex(body),
    ].join("\n");
    const scope = `${date}/${region}/${service}/aws4_request`;
    const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
    let key = hmac(`AWS4${secret}`, date);
    for (const part of [region, service, "aws4_request"]) key = hmac(key, part);
    const expected = createHmac("sha256", key).update(stringToSign).digest();
    return timingSafeEqual(expected, Buffer.from(signature, "hex")) ? null : BAD_SIGNATURE;
  };
}

function checkClock([, year, month, day, hour, minute, second], amzDate, nowMs) {
  const signedMs = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second);
  if (signedMs < nowMs - ALLOWED_SKEW_MS) {
    return {
      name: "InvalidSignatureException",
      message: `Signature expired: ${amzDate} is now earlier than ${amzTime(nowMs - ALLOWED_SKEW_MS)} (${amzTime(nowMs)} - 5 min.)`,
    };
  }
  if (signedMs > nowMs + ALLOWED_SKEW_MS) {
    return {
      name: "InvalidSignatureException",
      message: `Signature not yet current: ${amzDate} is still later than ${amzTime(nowMs + ALLOWED_SKEW_MS)} (${amzTime(nowMs)} + 5 min.)`,
    };
  }
  return null;
}

function amzTime(ms) {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

// Header values as SigV4 canonicalizes them: trimmed, inner runs of spaces collapsed; repeated headers
// (which Node joins with ", ") as one comma-separated value.
function canonicalHeaderValue(value) {
  const text = Array.isArray(value) ? value.join(",") : (value ?? "");
  return text.trim().replace(/ +/g, " ");
}

// Every path segment URI-encoded twice (SigV4 for services other than S3): the path as sent is already
// encoded once, so it is encoded once more.
function canonicalPath(pathname) {
  return (
    pathname
      .split("/")
      .map((segment) => uriEncode(segment))
      .join("/") || "/"
  );
}

function canonicalQuery(searchParams) {
  return [...searchParams]
    .map(([name, value]) => [uriEncode(name), uriEncode(value)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
}

// RFC 3986 unreserved characters stay, everything else is %XX (upper case), as SigV4 requires.
function uriEncode(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(data) {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key, data) {
  return createHmac("sha256", key).update(data).digest();
}
