// Command objects of the real @aws-sdk/client-kms (or of another copy of this package) sent through a
// wasmkms KMSClient, so that application code that builds its commands from the SDK can be handed a
// wasmkms client. They are instances of another package's classes, so they are known by their shape,
// never by instanceof: the operation comes from the SDK's operation schema (`command.schema`,
// [9, "com.amazonaws.kms", "Encrypt", ...], which minifying leaves alone) or else from the class name
// ("EncryptCommand"), and it must be one of the operations table. The client then answers the command
// exactly as it answers its own command of that name (command-handler.mjs).
//
// The SDK command's own middleware stack: what the application added to it runs, in its step and
// order, on the client's chain, as it would in the SDK's client. What the SDK's client itself puts on a
// command's stack when it sends one (its endpoint resolution; in SDK releases before schema-based serde,
// its serializer and deserializer) is left out: wasmkms serializes the operation itself and has no
// endpoint. The command object is not changed, so it can still be sent through a real SDK client.

import { operations } from "./operations.mjs";
import { constructStack } from "./middleware-stack.mjs";

const KMS_NAMESPACE = "com.amazonaws.kms";
const OPERATION_SCHEMA = 9; // @smithy/core's schema kind of an operation

// The middleware names the SDK's client adds to a command's own stack when it sends the command.
const SDK_COMMAND_MIDDLEWARE = new Set(["endpointV2Middleware", "serializerMiddleware", "deserializerMiddleware"]);

const isFunction = (value) => typeof value === "function";

/**
 * The KMS operation of a command object from elsewhere ("Encrypt"), or null when it does not have the
 * SDK's command shape (`input`, `resolveMiddleware`, a `middlewareStack` that can be applied to
 * another). Throws a TypeError naming the command when it is an SDK command of another service or of
 * an operation wasmkms does not know.
 */
export function sdkCommandOperation(command) {
  if (
    command === null ||
    typeof command !== "object" ||
    !isFunction(command.resolveMiddleware) ||
    !isFunction(command.middlewareStack?.applyToStack) ||
    command.input === null ||
    typeof command.input !== "object"
  ) {
    return null;
  }
  const { schema } = command;
  const className = command.constructor?.name ?? "";
  let operation;
  if (Array.isArray(schema) && schema[0] === OPERATION_SCHEMA) {
    if (schema[1] !== KMS_NAMESPACE) {
      throw new TypeError(
        `wasmkms's KMSClient cannot send ${className || schema[2]}: an operation of ${schema[1]}, not KMS`,
      );
    }
    operation = schema[2];
  } else {
    const match = /^(\w+)Command$/.exec(className);
    if (match === null) return null;
    operation = match[1];
  }
  if (!Object.hasOwn(operations, operation)) {
    throw new TypeError(
      `wasmkms's KMSClient cannot send ${className || operation}: wasmkms knows no KMS operation ${operation}`,
    );
  }
  return operation;
}

/**
 * The middleware the application added to an SDK command's own stack, copied into a new stack of this
 * package (null when there is none), without the SDK client's own (see above).
 */
export function sdkCommandMiddleware(command) {
  const stack = constructStack();
  let adopted = 0;
  const isSdkOwn = (options) => SDK_COMMAND_MIDDLEWARE.has(options?.name);
  // The SDK's stack copies itself into any stack through add and addRelativeTo (applyToStack).
  command.middlewareStack.applyToStack({
    ...stack,
    add(middleware, options) {
      if (isSdkOwn(options)) return;
      adopted++;
      stack.add(middleware, options);
    },
    addRelativeTo(middleware, options) {
      if (isSdkOwn(options)) return;
      adopted++;
      stack.addRelativeTo(middleware, options);
    },
    identifyOnResolve(toggle) {
      if (toggle === true) adopted++; // the stack is to be printed when resolved: keep it
      return stack.identifyOnResolve(toggle);
    },
  });
  return adopted === 0 ? null : stack;
}
