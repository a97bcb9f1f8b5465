// One command class per operation of the table, shaped like the SDK's: `input`, `middlewareStack`,
// `resolveMiddleware(clientStack, config, options)` and the static `getEndpointParameterInstructions`.
// Everything this module exports is public (js/core/index.mjs re-exports all of it): keep internals elsewhere.

import { operations, targetOf } from "./operations.mjs";
import { constructStack, PRISTINE_STACK, STACK_GENERATION } from "./middleware-stack.mjs";
import { deserializeAnswer, filterSensitive, serializeInput } from "./serde.mjs";
import { withRetries } from "./retry.mjs";

const SMITHY_CONTEXT_KEY = "__smithy_context";
const CLIENT_NAME = "KMSClient";

// The SDK's endpoint parameter instructions for every KMS command (they are the same for all).
const ENDPOINT_PARAMETER_INSTRUCTIONS = Object.freeze({
  UseFIPS: { type: "builtInParams", name: "useFipsEndpoint" },
  Endpoint: { type: "builtInParams", name: "endpoint" },
  Region: { type: "builtInParams", name: "region" },
  UseDualStack: { type: "builtInParams", name: "useDualstackEndpoint" },
});

// The AWS JSON 1.1 request for an input, as the SDK would send it (a promise only when the region
// comes from a provider).
function buildRequest(operation, config, input) {
  if (config.staticRegion === undefined) {
    return config.region().then((region) => requestFor(operation, region, input));
  }
  return requestFor(operation, config.staticRegion, input);
}

function requestFor(operation, region, input) {
  return {
    protocol: "https:",
    hostname: `kms.${region}.amazonaws.com`,
    port: undefined,
    method: "POST",
    path: "/",
    query: {},
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": targetOf(operation) },
    body: serializeInput(operation, input),
  };
}

// Serialize step: the command's input becomes the request.
const serializerMiddleware = (operation, config) => (next) => async (args) =>
  next({ ...args, request: await buildRequest(operation, config, args.input) });

// Deserialize step: the answer becomes the output, or the exception is thrown.
const deserializerMiddleware = (operation) => (next) => async (args) => {
  const { response } = await next(args);
  return { response, output: deserializeAnswer(operation, response) };
};

/** The base of the command classes. */
export class Command {
  // Made on first use: most commands are sent once through the direct path and never need one.
  #middlewareStack = null;

  get middlewareStack() {
    this.#middlewareStack ??= constructStack();
    return this.#middlewareStack;
  }

  set middlewareStack(stack) {
    this.#middlewareStack = stack;
  }

  /** Whether middleware was added to this command's own stack (asked without making the stack). */
  hasOwnMiddleware() {
    return this.#middlewareStack !== null && this.#middlewareStack[STACK_GENERATION] !== 0;
  }

  static getEndpointParameterInstructions() {
    return ENDPOINT_PARAMETER_INSTRUCTIONS;
  }

  constructor(operation, input) {
    this.input = input ?? {};
    Object.defineProperty(this, "operation", { value: operation, enumerable: false });
  }

  resolveMiddleware(clientStack, configuration, options) {
    const { operation } = this;
    const pristine = configuration[PRISTINE_STACK];
    if (
      pristine?.stack === clientStack &&
      clientStack[STACK_GENERATION] === pristine.generation &&
      !this.hasOwnMiddleware() &&
      configuration.logger === pristine.logger
    ) {
      return directHandler(operation, configuration, options);
    }
    this.middlewareStack.add(serializerMiddleware(operation, configuration), {
      name: "serializerMiddleware",
      step: "serialize",
      tags: ["SERIALIZER"],
      override: true,
    });
    this.middlewareStack.add(deserializerMiddleware(operation), {
      name: "deserializerMiddleware",
      step: "deserialize",
      tags: ["DESERIALIZER"],
      override: true,
    });
    const stack = clientStack.concat(this.middlewareStack);
    const context = {
      logger: configuration.logger,
      clientName: CLIENT_NAME,
      commandName: `${operation}Command`,
      inputFilterSensitiveLog: (input) => filterSensitive(operation, "input", input),
      outputFilterSensitiveLog: (output) => filterSensitive(operation, "output", output),
      [SMITHY_CONTEXT_KEY]: {
        service: "TrentService",
        operation,
        commandInstance: this,
        ...(options?.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
      },
    };
    return stack.resolve((args) => configuration.requestHandler.handle(args.request, options ?? {}), context);
  }
}

// The chain a pristine send resolves to (serialize, retry, handle, deserialize; the logger is the no-op
// one), without building it: no user middleware can observe the difference, and the chain is most of
// the package's own cost per call.
const directHandler = (operation, configuration, options) => async (command) => {
  let request = buildRequest(operation, configuration, command.input);
  if (typeof request.then === "function") request = await request;
  return withRetries(configuration, options?.abortSignal, async () => {
    const { response } = await configuration.requestHandler.handle(request, options ?? {});
    return { response, output: deserializeAnswer(operation, response) };
  });
};

function defineCommand(operation) {
  const name = `${operation}Command`;
  return {
    [name]: class extends Command {
      constructor(...[input]) {
        super(operation, input);
      }
    },
  }[name];
}

/** The command classes by name ("EncryptCommand"). */
export const commands = Object.freeze(
  Object.fromEntries(Object.keys(operations).map((operation) => [`${operation}Command`, defineCommand(operation)])),
);

export const {
  EncryptCommand,
  DecryptCommand,
  ReEncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GenerateRandomCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  ListKeysCommand,
  GetPublicKeyCommand,
  EnableKeyCommand,
  DisableKeyCommand,
  ScheduleKeyDeletionCommand,
  CancelKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
  CreateAliasCommand,
  UpdateAliasCommand,
  DeleteAliasCommand,
  ListAliasesCommand,
  GetKeyPolicyCommand,
  PutKeyPolicyCommand,
  ListKeyPoliciesCommand,
  CreateGrantCommand,
  ListGrantsCommand,
  RevokeGrantCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ListResourceTagsCommand,
  EnableKeyRotationCommand,
  DisableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  RotateKeyOnDemandCommand,
  ListRetirableGrantsCommand,
  RetireGrantCommand,
  ListKeyRotationsCommand,
  SignCommand,
  VerifyCommand,
  GenerateMacCommand,
  VerifyMacCommand,
  DeriveSharedSecretCommand,
  EncapsulateCommand,
  DecapsulateCommand,
  GetKeyLastUsageCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  DeleteImportedKeyMaterialCommand,
  ReplicateKeyCommand,
  UpdatePrimaryRegionCommand,
  CreateCustomKeyStoreCommand,
  ConnectCustomKeyStoreCommand,
  DescribeCustomKeyStoresCommand,
  DisconnectCustomKeyStoreCommand,
  UpdateCustomKeyStoreCommand,
  DeleteCustomKeyStoreCommand,
} = commands;
