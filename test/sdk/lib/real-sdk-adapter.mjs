// The conformance engine's `call` over the real @aws-sdk/client-kms, through our request handler or
// through the HTTP endpoint. A step's JSON request becomes the real SDK's command input (blob members
// decoded to bytes, with the conversions test/lib/sdk-adapter.mjs defines for our own client), the real
// SDK serializes, signs and sends it, and its output or exception goes back to the JSON level.
//
// The caller travels the way a real client carries it: the account as the 12-digit access key id, the
// region as the client's region. A principal cannot travel in a request; a handler or an endpoint fixed
// to that principal stands in for it.
import * as realSdk from "@aws-sdk/client-kms";
import { operations } from "../../../js/core/operations.mjs";
import { commandInputOf, toWireJSON } from "../../lib/sdk-adapter.mjs";
import { createRequestHandler, serve } from "./wasmkms.mjs";

// The real SDK turns an absent error message into "UnknownError" (as test/lib/sdk-adapter.mjs notes).
const SDK_UNKNOWN_MESSAGE = "UnknownError";
const COMMAND_INPUT_TABLE = { operations };

function realSdkCall(clientFor) {
  return async function call({ caller, op, request }) {
    const Command = realSdk[`${op}Command`];
    if (Command === undefined) throw new Error(`@aws-sdk/client-kms has no ${op}Command`);
    if (operations[op] === undefined) throw new Error(`js/core/operations.mjs has no ${op}: cannot decode its blob members`);
    const client = await clientFor(caller);
    try {
      const { $metadata, ...output } = await client.send(new Command(commandInputOf(COMMAND_INPUT_TABLE, op, request)));
      return { status: $metadata.httpStatusCode, body: toWireJSON(output) };
    } catch (error) {
      if (!(error instanceof realSdk.KMSServiceException)) throw error;
      // Every error name the real package knows must arrive as that class, as it would from AWS.
      const Known = realSdk[error.name];
      if (typeof Known === "function" && !(error instanceof Known)) {
        throw new Error(`${error.name} arrived as ${error.constructor.name}, not as the real package's ${error.name}`);
      }
      const body = { __type: error.name };
      if (error.message !== SDK_UNKNOWN_MESSAGE) body.message = error.message;
      return { status: error.$metadata.httpStatusCode, body };
    }
  };
}

function realClient(caller, transport) {
  return new realSdk.KMSClient({
    region: caller.region,
    credentials: { accessKeyId: caller.account, secretAccessKey: "wasmkms-conformance" },
    maxAttempts: 1,
    ...transport,
  });
}

/** requestHandlerCall(world): the real SDK with our request handler, one client per caller. */
export function requestHandlerCall(world) {
  const clients = new Map();
  return realSdkCall((caller) => {
    const key = `${caller.account}\n${caller.region}\n${caller.principal}`;
    if (!clients.has(key)) {
      clients.set(key, realClient(caller, { requestHandler: createRequestHandler({ world, principal: caller.principal }) }));
    }
    return clients.get(key);
  });
}

/**
 * endpointCall(world): the real SDK against endpoints serving `world`, one per principal, started on
 * first use. Returns { call, close } and close() stops every endpoint it started.
 */
export function endpointCall(world) {
  const endpoints = new Map(); // principal -> Promise<endpoint>
  const clients = new Map();
  const call = realSdkCall(async (caller) => {
    if (!endpoints.has(caller.principal)) endpoints.set(caller.principal, serve({ world, principal: caller.principal }));
    const endpoint = await endpoints.get(caller.principal);
    const key = `${caller.account}\n${caller.region}\n${caller.principal}`;
    if (!clients.has(key)) clients.set(key, realClient(caller, { endpoint: endpoint.url }));
    return clients.get(key);
  });
  const close = async () => {
    for (const endpoint of endpoints.values()) await (await endpoint).close();
    for (const client of clients.values()) client.destroy();
  };
  return { call, close };
}
