// KMSClient: the SDK's client shape over a World. Configuration as the SDK's (region, credentials,
// maxAttempts, logger; endpoint accepted and ignored) plus wasmkms's own: `world` (default: the realm's
// shared world), `wasm` (the module source, see configure) and `principal` (the caller's principal
// ARN; default the account's root). Retries are the SDK's standard strategy's (retry.mjs), in the
// world's time.

import { constructStack, PRISTINE_STACK, STACK_GENERATION } from "./middleware-stack.mjs";
import { CALL_DIRECT_NOW, sharedWorld } from "./world.mjs";
import { configure } from "./loader.mjs";
import { acceptedCaller, checkCaller } from "./caller-check.mjs";
import { isFipsRegion, PROVIDED_REGION, realRegion } from "./fips-region.mjs";
import { answerKmsCall, JSON_CONTENT_TYPE, randomRequestId } from "./kms-wire.mjs";
import { Command } from "./commands.mjs";
import { isPristine, resolveCommand } from "./command-handler.mjs";
import { sdkCommandMiddleware, sdkCommandOperation } from "./sdk-commands.mjs";
import { deserializeAnswer, directOutput, directRequestFields, metadataOf } from "./serde.mjs";
import {
  attemptsKnown,
  DEFAULT_MAX_ATTEMPTS,
  firstAttemptSucceeded,
  newRetryQuota,
  retryMiddleware,
  retryMiddlewareOptions,
  STATIC_MAX_ATTEMPTS,
  withRetries,
} from "./retry.mjs";

/** The account a caller acts as when its credentials name none. */
export const DEFAULT_ACCOUNT = "111122223333";

const noOpLogger = Object.freeze({ trace() {}, debug() {}, info() {}, warn() {}, error() {} });

// A value or a provider of it, as the SDK normalizes them: always a function returning a promise.
const normalizeProvider = (value) => {
  if (typeof value === "function") return value;
  const promise = Promise.resolve(value);
  return () => promise;
};

const regionFromEnvironment = () => globalThis.process?.env?.AWS_REGION || globalThis.process?.env?.AWS_DEFAULT_REGION;

// The SDK's loggerMiddleware: the filtered input and output (or the error) to the configured logger.
const loggerMiddleware = () => (next, context) => async (args) => {
  try {
    const response = await next(args);
    const { logger } = context;
    if (logger && logger !== noOpLogger) {
      const { $metadata, ...outputWithoutMetadata } = response.output;
      logger.info?.({
        clientName: context.clientName,
        commandName: context.commandName,
        input: context.inputFilterSensitiveLog(args.input),
        output: context.outputFilterSensitiveLog(outputWithoutMetadata),
        metadata: $metadata,
      });
    }
    return response;
  } catch (error) {
    context.logger?.error?.({
      clientName: context.clientName,
      commandName: context.commandName,
      input: context.inputFilterSensitiveLog(args.input),
      error,
      metadata: error.$metadata,
    });
    throw error;
  }
};

function abortError() {
  const error = new Error("Request aborted");
  error.name = "AbortError";
  return error;
}

/**
 * The in-process request handler: it hands the serialized request to the world and returns the answer
 * as an HTTP-like response, where the SDK's handler would go to the network.
 */
export class WorldRequestHandler {
  constructor(config) {
    this.config = config;
  }

  async handle(request, { abortSignal } = {}) {
    if (abortSignal?.aborted) throw abortError();
    const { config } = this;
    // As the SDK refuses a Region it cannot use: before sending; a FIPS pseudo-Region calls its Region.
    const caller = await checkCaller(config.world, config.staticCaller ?? (await callerOf(config)));
    // As on the wire: only TrentService.* targets reach the world, whatever a middleware set.
    const answer = await answerKmsCall(config.world, caller, request.headers["x-amz-target"], request.body);
    if (abortSignal?.aborted) throw abortError();
    return {
      response: {
        statusCode: answer.status,
        reason: undefined,
        headers: { "x-amzn-requestid": answer.requestId, "content-type": JSON_CONTENT_TYPE },
        body: answer.text,
      },
    };
  }

  destroy() {}
}

async function callerOf(config) {
  const [credentials, region] = await Promise.all([config.credentials(), config[PROVIDED_REGION]()]);
  return { account: credentials?.accountId || DEFAULT_ACCOUNT, region, principal: config.principal ?? "" };
}

// An operation through the world's direct path, answering (or throwing) exactly what the JSON path's
// deserializer gives for the same answer, with the same retries; `viaJSON` sends it the usual way when
// the world turns the direct path down.
function sendDirect(config, operation, fields, options, viaJSON) {
  const abortSignal = options?.abortSignal;
  const { world } = config;
  // The common case at once, with no promise in between: no abort signal, a caller this world already
  // took, an attempt count given as a value, a world that need not wait (world.mjs, CALL_DIRECT_NOW).
  const caller = abortSignal === undefined ? acceptedCaller(world, config.staticCaller) : undefined;
  if (caller !== undefined && attemptsKnown(config) && typeof world[CALL_DIRECT_NOW] === "function") {
    let answer;
    let first;
    try {
      answer = world[CALL_DIRECT_NOW](caller, operation, fields);
      if (answer) first = directResult(operation, answer);
    } catch (error) {
      // The first attempt failed (an error answer, a dead instance): the retries go on from it as
      // withRetries goes on from any attempt's error.
      return sendDirectWaiting(config, operation, fields, abortSignal, viaJSON, error);
    }
    if (first !== undefined) return Promise.resolve(firstAttemptSucceeded(config, first).output);
    if (answer === null) return viaJSON().then((result) => result.output);
  }
  return sendDirectWaiting(config, operation, fields, abortSignal, viaJSON, undefined);
}

// sendDirect's general way, each step awaited. `firstError`, when not undefined, is the exception of a
// first attempt already made: the retries start from it.
async function sendDirectWaiting(config, operation, fields, abortSignal, viaJSON, firstError) {
  const caller = await checkCaller(config.world, config.staticCaller);
  let made = firstError !== undefined;
  const result = await withRetries(config, abortSignal, async () => {
    if (made) {
      made = false;
      throw firstError;
    }
    if (abortSignal?.aborted) throw abortError();
    const answer = await config.world.callDirect(caller, operation, fields);
    if (answer === null) return null;
    if (abortSignal?.aborted) throw abortError();
    return directResult(operation, answer);
  });
  if (result === null) return (await viaJSON()).output;
  return result.output;
}

// A direct answer as the retries take it: `{ output }` for a 200, else its exception thrown, exactly
// what the JSON path's deserializer gives for the same answer.
function directResult(operation, answer) {
  const requestId = answer.requestId ?? randomRequestId();
  if (answer.status === 200) {
    return { output: directOutput(operation, answer.fields, metadataOf(200, requestId)) };
  }
  const response = {
    statusCode: answer.status,
    reason: undefined,
    headers: { "x-amzn-requestid": requestId, "content-type": JSON_CONTENT_TYPE },
    body: answer.body,
  };
  return deserializeAnswer(operation, response); // throws the answer's exception
}

function resolveConfig(input) {
  if (input.wasm !== undefined) configure({ wasm: input.wasm });
  const region = input.region ?? regionFromEnvironment();
  if (region === "") throw new Error("Region is missing"); // as the SDK refuses an empty Region: at once
  const providedRegion =
    region === undefined ? () => Promise.reject(new Error("Region is missing")) : normalizeProvider(region);
  const useFipsEndpoint = normalizeProvider(input.useFipsEndpoint ?? false);
  const config = {
    ...input,
    // As the SDK: region() is the Region a FIPS pseudo-Region names, useFipsEndpoint() says it was one
    // (fips-region.mjs); the caller the core checks keeps the Region as given (PROVIDED_REGION).
    [PROVIDED_REGION]: providedRegion,
    region: async () => realRegion(await providedRegion()),
    useFipsEndpoint: async () => isFipsRegion(await providedRegion()) || Boolean(await useFipsEndpoint()),
    credentials: normalizeProvider(input.credentials),
    maxAttempts: normalizeProvider(input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
    retryQuota: newRetryQuota(),
    logger: input.logger ?? noOpLogger,
    world: input.world ?? sharedWorld(),
    apiVersion: "2014-11-01",
    serviceId: "KMS",
  };
  // Static region and credentials are known now: the per-call path need not await their providers.
  const staticValue = (value) =>
    value === undefined || (typeof value !== "function" && typeof value?.then !== "function");
  if (region !== undefined && staticValue(region) && staticValue(input.credentials)) {
    config.staticRegion = region;
    config.staticCaller = Object.freeze({
      account: input.credentials?.accountId || DEFAULT_ACCOUNT,
      region,
      principal: input.principal ?? "",
    });
  }
  // maxAttempts given as a value is known now: a send need not await its provider (retry.mjs).
  if (typeof input.maxAttempts !== "function" && typeof input.maxAttempts?.then !== "function") {
    config[STATIC_MAX_ATTEMPTS] = { provider: config.maxAttempts, value: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS };
  }
  config.requestHandler = new WorldRequestHandler(config);
  return config;
}

export class KMSClient {
  config;
  middlewareStack = constructStack();

  constructor(...[configuration]) {
    this.config = resolveConfig(configuration ?? {});
    this.middlewareStack.add(retryMiddleware(this.config), retryMiddlewareOptions);
    this.middlewareStack.add(loggerMiddleware(), {
      name: "loggerMiddleware",
      tags: ["LOGGER"],
      step: "initialize",
      override: true,
    });
    this.config[PRISTINE_STACK] = {
      stack: this.middlewareStack,
      generation: this.middlewareStack[STACK_GENERATION],
      logger: noOpLogger,
    };
  }

  /**
   * send(command), send(command, options), send(command, callback), send(command, options, callback).
   * `command` is one of the package's commands, or the real SDK's command of a KMS operation
   * (sdk-commands.mjs), answered alike.
   */
  send(command, optionsOrCb, cb) {
    const options = typeof optionsOrCb !== "function" ? optionsOrCb : undefined;
    const callback = typeof optionsOrCb === "function" ? optionsOrCb : cb;
    const output = this.#send(command, options);
    if (callback) {
      output
        .then(
          (result) => callback(null, result),
          (err) => callback(err),
        )
        .catch(() => {});
    } else {
      return output;
    }
  }

  #send(command, options) {
    let operation;
    let ownStack;
    let resolve;
    if (command instanceof Command) {
      ({ operation } = command);
      ownStack = command.hasOwnMiddleware() ? command.middlewareStack : null;
      resolve = () => command.resolveMiddleware(this.middlewareStack, this.config, options);
    } else {
      try {
        operation = sdkCommandOperation(command);
      } catch (error) {
        return Promise.reject(error);
      }
      if (operation === null) {
        // Some other command object: it resolves its own handler, as in the SDK's client.
        return command
          .resolveMiddleware(
            this.middlewareStack,
            this.config,
            options,
          )(command)
          .then((r) => r.output);
      }
      ownStack = sdkCommandMiddleware(command);
      resolve = () => resolveCommand(command, operation, ownStack, this.middlewareStack, this.config, options);
    }
    const viaChain = () => resolve()(command);
    const fields = ownStack === null ? this.#directFields(operation, command.input) : null;
    if (fields !== null) return sendDirect(this.config, operation, fields, options, viaChain);
    return viaChain().then((result) => result.output);
  }

  // The direct export's fields when this send may skip JSON (world.mjs, callDirect): an operation with a
  // direct export and an input that fits, of a command with no middleware of its own, sent through the
  // client's stack as constructed (so no middleware can tell: the condition of the direct handler,
  // command-handler.mjs), with a static caller (so no provider runs in a different order), to a World
  // that has the direct path.
  #directFields(operation, input) {
    const { config } = this;
    if (
      config.staticCaller === undefined ||
      typeof config.world.callDirect !== "function" ||
      !isPristine(this.middlewareStack, config)
    ) {
      return null;
    }
    return directRequestFields(operation, input);
  }

  /**
   * Releases the client. As with the SDK's client (whose destroy() only closes idle connections), a
   * destroyed client still answers; the world it used is untouched.
   */
  destroy() {
    this.config?.requestHandler?.destroy?.();
  }
}
