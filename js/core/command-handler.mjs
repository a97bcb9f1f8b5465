// The handler a send resolves a command to, as the SDK's Command.resolveMiddleware builds it: the
// client's stack, then the command's own middleware, then the serializer and deserializer of the
// operation, around the client's request handler. Shared by the package's own commands (commands.mjs)
// and the real SDK's command objects a KMSClient answers (sdk-commands.mjs), so that both are answered
// alike.

import { targetOf } from "./operations.mjs";
import { constructStack, PRISTINE_STACK, STACK_GENERATION } from "./middleware-stack.mjs";
import { deserializeAnswer, filterSensitive, serializeInput } from "./serde.mjs";
import { withRetries } from "./retry.mjs";
import { kmsHostname, PROVIDED_REGION } from "./fips-region.mjs";

const SMITHY_CONTEXT_KEY = "__smithy_context";
const CLIENT_NAME = "KMSClient";

// The AWS JSON 1.1 request for an input, as the SDK would send it (a promise only when the region
// comes from a provider).
function buildRequest(operation, config, input) {
  if (config.staticRegion === undefined) {
    return (config[PROVIDED_REGION] ?? config.region)().then((region) => requestFor(operation, region, input));
  }
  return requestFor(operation, config.staticRegion, input);
}

function requestFor(operation, region, input) {
  return {
    protocol: "https:",
    hostname: kmsHostname(region),
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

/** Whether a send through this client stack and config would hold nothing but the package's middleware. */
export function isPristine(clientStack, configuration) {
  const pristine = configuration[PRISTINE_STACK];
  return (
    pristine?.stack === clientStack &&
    clientStack[STACK_GENERATION] === pristine.generation &&
    configuration.logger === pristine.logger
  );
}

/**
 * The handler for `command` (the object the middleware sees as the command instance), an `operation`
 * of the table. `ownStack` is the command's own middleware stack, or null when it has none: the
 * serializer and deserializer are added to it (a new stack when null).
 */
export function resolveCommand(command, operation, ownStack, clientStack, configuration, options) {
  if (ownStack === null && isPristine(clientStack, configuration)) {
    return directHandler(operation, configuration, options);
  }
  const stack = ownStack ?? constructStack();
  stack.add(serializerMiddleware(operation, configuration), {
    name: "serializerMiddleware",
    step: "serialize",
    tags: ["SERIALIZER"],
    override: true,
  });
  stack.add(deserializerMiddleware(operation), {
    name: "deserializerMiddleware",
    step: "deserialize",
    tags: ["DESERIALIZER"],
    override: true,
  });
  const context = {
    logger: configuration.logger,
    clientName: CLIENT_NAME,
    commandName: `${operation}Command`,
    inputFilterSensitiveLog: (input) => filterSensitive(operation, "input", input),
    outputFilterSensitiveLog: (output) => filterSensitive(operation, "output", output),
    [SMITHY_CONTEXT_KEY]: {
      service: "TrentService",
      operation,
      commandInstance: command,
      ...(options?.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
    },
  };
  return clientStack
    .concat(stack)
    .resolve((args) => configuration.requestHandler.handle(args.request, options ?? {}), context);
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
