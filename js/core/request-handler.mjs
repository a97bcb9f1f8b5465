// A request handler the real `@aws-sdk/client-kms` accepts (`new KMSClient({ requestHandler })`): the
// SDK builds, signs and parses as it does against AWS, and this object answers its HTTP requests from
// a wasmkms world in-process instead of sending them. Runtime-neutral (Node, browsers, workerd, Deno):
// the answer's body is a Uint8Array, which every runtime's SDK collects without a stream.

import { sharedWorld } from "./world.mjs";
import { callerFromAuthorization, headerValue } from "./caller-from-request.mjs";
import { answerKmsCall, responseHeaders } from "./kms-wire.mjs";
import { isErrorLike } from "./realm.mjs";
import { utf8Encoder as encoder } from "./utf8.mjs";

// kms.<region>.amazonaws.com (or kms-fips.<region>...): the region of a request that is not signed.
const KMS_HOSTNAME_REGION = /^kms(?:-fips)?\.([a-z0-9-]+)\./;

/**
 * createRequestHandler returns an SDK request handler over a wasmkms world.
 *
 * @param {object} [options]
 * @param {object} [options.world] the World to answer from; the realm's shared world by default
 * @param {string} [options.accountId] fixes the calling account; by default a 12-digit access key id
 *   is the account and any other key the default account
 * @param {string} [options.principal] the calling principal's ARN (for key policies that name one);
 *   by default the account's root
 */
export function createRequestHandler({ world, accountId, principal } = {}) {
  return new WasmKmsRequestHandler({ world, accountId, principal });
}

class WasmKmsRequestHandler {
  #world;
  #accountId;
  #principal;
  #config = {};

  constructor({ world, accountId, principal }) {
    this.#world = world;
    this.#accountId = accountId;
    this.#principal = principal;
  }

  // The SDK reads metadata.handlerProtocol to decide on HTTP/2 pseudo-headers.
  get metadata() {
    return { handlerProtocol: "http/1.1" };
  }

  async handle(request, { abortSignal } = {}) {
    if (abortSignal?.aborted) throw abortError(abortSignal);
    const hostRegion = KMS_HOSTNAME_REGION.exec(request.hostname ?? "")?.[1];
    const caller = callerFromAuthorization(headerValue(request.headers, "authorization"), {
      accountId: this.#accountId,
      principal: this.#principal,
      region: hostRegion,
    });
    this.#world ??= sharedWorld();
    const world = await this.#world;
    const answer = await answerKmsCall(world, caller, headerValue(request.headers, "x-amz-target"), request.body);
    const body = encoder.encode(answer.text);
    return {
      response: {
        statusCode: answer.status,
        reason: undefined,
        headers: responseHeaders(body.byteLength, answer.requestId),
        body,
      },
    };
  }

  // The SDK's handlers keep a config that middleware may change (requestTimeout and the like). An
  // in-process call has no socket to apply them to; they are kept so that reading them back works.
  updateHttpClientConfig(key, value) {
    this.#config = { ...this.#config, [key]: value };
  }

  httpHandlerConfigs() {
    return this.#config;
  }

  // The world outlives the client: other clients of the realm may share it.
  destroy() {}
}

function abortError(abortSignal) {
  const reason = abortSignal.reason;
  const error = new Error(isErrorLike(reason) ? "Request aborted" : String(reason ?? "Request aborted"));
  error.name = "AbortError";
  if (isErrorLike(reason)) error.cause = reason;
  return error;
}
