// Retries as @aws-sdk/client-kms's default ("standard") retry strategy does them, read from the
// installed @smithy/core (dist-cjs/submodules/retry: StandardRetryStrategy, DefaultRetryBackoffStrategy,
// the retry middleware and the error classification):
// - which errors: throttling (429, the throttling error names, $retryable.throttling) and transient
//   ones (the transient error names, a $retryable trait, statuses 500, 502, 503 and 504, Node's
//   connection error codes, and the same in an error's cause); never an AbortError;
// - how many: maxAttempts attempts in all (client config, default 3);
// - how long between: full jitter, floor(random * min(base * 2^retries, 20 s)), with base 1000 ms after
//   a throttling error and 50 ms after any other;
// - the retry quota: a bucket of 500 tokens per client; a retry takes 5 (throttling) or 14, and is not
//   made when the bucket holds less; a success gives back what its last retry took, or 1;
// - $metadata.attempts and $metadata.totalRetryDelay on the output or on the error finally thrown.
// The wait is the world's (world.mjs, sleepInWorld): on a manual clock the back-off advances the
// world's clock and no real time passes; a seeded world draws the jitter from its seed.

import { jitterOf, sleepInWorld } from "./world.mjs";
import { isErrorLike } from "./realm.mjs";

export const DEFAULT_MAX_ATTEMPTS = 3;
const MAXIMUM_RETRY_DELAY = 20_000;
const BASE_DELAY = 50;
const THROTTLING_BASE_DELAY = 1000;
const INITIAL_RETRY_TOKENS = 500;
const RETRY_COST = 14;
const THROTTLING_RETRY_COST = 5;
const NO_RETRY_INCREMENT = 1;

const THROTTLING_ERROR_CODES = new Set([
  "BandwidthLimitExceeded",
  "EC2ThrottledException",
  "LimitExceededException",
  "PriorRequestNotComplete",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "ThrottledException",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "TransactionInProgressException",
]);
const TRANSIENT_ERROR_CODES = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException"]);
const TRANSIENT_ERROR_STATUS_CODES = new Set([500, 502, 503, 504]);
const NODE_TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

const isThrottlingError = (error) =>
  error.$metadata?.httpStatusCode === 429 ||
  THROTTLING_ERROR_CODES.has(error.name) ||
  error.$retryable?.throttling === true;

function isTransientError(error, depth = 0) {
  return (
    error?.name !== "AbortError" &&
    (error?.$retryable !== undefined ||
      error?.$metadata?.clockSkewCorrected === true ||
      (error?.name === "InvalidSignatureException" && error.message?.includes("Signature expired")) ||
      TRANSIENT_ERROR_CODES.has(error?.name) ||
      NODE_TRANSIENT_CODES.has(error?.code ?? "") ||
      TRANSIENT_ERROR_STATUS_CODES.has(error?.$metadata?.httpStatusCode ?? 0) ||
      (error?.cause !== undefined && depth <= 10 && isTransientError(error.cause, depth + 1)))
  );
}

/** The SDK's kind of an error: "THROTTLING", "TRANSIENT" (both retried), "SERVER_ERROR" or "CLIENT_ERROR". */
export function retryErrorType(error) {
  if (error === null || typeof error !== "object") return "CLIENT_ERROR";
  if (isThrottlingError(error)) return "THROTTLING";
  if (isTransientError(error)) return "TRANSIENT";
  const status = error.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500 && status <= 599) return "SERVER_ERROR";
  return "CLIENT_ERROR";
}

/** A client's retry quota (one per KMSClient, as the SDK keeps one per client's strategy). */
export function newRetryQuota() {
  return { capacity: INITIAL_RETRY_TOKENS };
}

function abortError(signal) {
  const reason = signal.reason;
  if (isErrorLike(reason)) return Object.assign(new Error("Request aborted"), { name: "AbortError", cause: reason });
  return Object.assign(new Error(reason ? String(reason) : "Request aborted"), { name: "AbortError" });
}

// Resolves after the back-off in the world's time, or rejects with an AbortError when the signal fires.
function backOff(world, ms, signal) {
  const wait = sleepInWorld(world, ms);
  if (!signal) return wait;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const onAbort = () => reject(abortError(signal));
    if (typeof signal.addEventListener === "function") signal.addEventListener("abort", onAbort, { once: true });
    wait.then(resolve, reject).finally(() => signal.removeEventListener?.("abort", onAbort));
  });
}

/** Where a client's config keeps its maxAttempts when it was given as a value: `{ provider, value }`. */
export const STATIC_MAX_ATTEMPTS = Symbol("wasmkms.staticMaxAttempts");

// The attempt count at once when the config's maxAttempts is still the provider made from a value, else
// undefined: a provider of the user's is asked on every send, as the SDK asks it.
function knownMaxAttempts(config) {
  const known = config[STATIC_MAX_ATTEMPTS];
  if (known === undefined || known.provider !== config.maxAttempts) return undefined;
  return typeof known.value === "number" && !Number.isNaN(known.value) ? known.value : DEFAULT_MAX_ATTEMPTS;
}

/** Whether a send may go without waiting for the attempt count (a value, not a provider). */
export const attemptsKnown = (config) => knownMaxAttempts(config) !== undefined;

async function maxAttemptsOf(config) {
  try {
    const n = await config.maxAttempts();
    return typeof n === "number" && !Number.isNaN(n) ? n : DEFAULT_MAX_ATTEMPTS;
  } catch {
    return DEFAULT_MAX_ATTEMPTS;
  }
}

/**
 * withRetries runs `attempt` (resolving to `{ response, output }`, or rejecting with the exception of
 * the answer) as the SDK's retry middleware runs the rest of the chain: again after each retryable
 * error while attempts and quota allow, and fills $metadata.attempts and totalRetryDelay. An attempt
 * that resolves to null sent nothing (the direct path turned down): withRetries answers null at once.
 */
export async function withRetries(config, abortSignal, attempt) {
  const maxAttempts = knownMaxAttempts(config) ?? (await maxAttemptsOf(config));
  const quota = config.retryQuota;
  let retries = 0;
  let lastCost;
  let totalRetryDelay = 0;
  while (true) {
    let result;
    try {
      result = await attempt();
    } catch (error) {
      const type = retryErrorType(error);
      const cost = type === "THROTTLING" ? THROTTLING_RETRY_COST : RETRY_COST;
      const retry =
        (type === "THROTTLING" || type === "TRANSIENT") &&
        retries + 1 < maxAttempts &&
        quota.capacity >= cost &&
        !abortSignal?.aborted;
      if (!retry) {
        if (error !== null && typeof error === "object") {
          error.$metadata ??= {};
          error.$metadata.attempts = retries + 1;
          error.$metadata.totalRetryDelay = totalRetryDelay;
        }
        throw error;
      }
      quota.capacity -= cost;
      lastCost = cost;
      const base = type === "THROTTLING" ? THROTTLING_BASE_DELAY : BASE_DELAY;
      const delay = Math.floor(jitterOf(config.world) * Math.min(base * 2 ** retries, MAXIMUM_RETRY_DELAY));
      retries++;
      totalRetryDelay += delay;
      await backOff(config.world, delay, abortSignal);
      continue;
    }
    if (result === null) return null;
    return succeeded(config, result, retries, lastCost, totalRetryDelay);
  }
}

// A send's success: the quota gets back what its last retry took (or 1), and $metadata says how it went.
function succeeded(config, result, retries, lastCost, totalRetryDelay) {
  const quota = config.retryQuota;
  quota.capacity = Math.min(INITIAL_RETRY_TOKENS, quota.capacity + (lastCost ?? NO_RETRY_INCREMENT));
  result.output.$metadata.attempts = retries + 1;
  result.output.$metadata.totalRetryDelay = totalRetryDelay;
  return result;
}

/** What withRetries does with a send whose first attempt succeeded without it (client.mjs, sendDirect). */
export const firstAttemptSucceeded = (config, result) => succeeded(config, result, 0, undefined, 0);

/** The SDK's retry middleware's place in the stack (finalizeRequest, high priority). */
export const retryMiddlewareOptions = Object.freeze({
  name: "retryMiddleware",
  tags: ["RETRY"],
  step: "finalizeRequest",
  priority: "high",
  override: true,
});

/** The retry middleware of a client's stack: the rest of the chain under withRetries. */
export const retryMiddleware = (config) => (next, context) => (args) =>
  withRetries(config, context?.__smithy_context?.abortSignal, () => next(args));
