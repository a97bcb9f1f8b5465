// The real @aws-sdk/client-kms in Node as the conformance engine's `call`: through our request handler
// (requestHandlerCall) or over HTTP against the endpoint (endpointCall). The conversions live in
// real-sdk-call.mjs, which Chromium and workerd run too.
import * as realSdk from "@aws-sdk/client-kms";
import * as pkg from "./wasmkms.mjs";
import { realClientConfig, realSdkCall, requestHandlerCall as requestHandlerCallIn } from "./real-sdk-call.mjs";

/** requestHandlerCall(world): the real SDK with our request handler, one client per caller. */
export function requestHandlerCall(world) {
  return requestHandlerCallIn(realSdk, pkg, world);
}

/**
 * endpointCall(world): the real SDK against endpoints serving `world`, one per principal, started on
 * first use. Returns { call, close } and close() stops every endpoint it started.
 */
export function endpointCall(world) {
  const endpoints = new Map(); // principal -> Promise<endpoint>
  const clients = new Map();
  const call = realSdkCall(realSdk, pkg.operations, async (caller) => {
    if (!endpoints.has(caller.principal)) endpoints.set(caller.principal, pkg.serve({ world, principal: caller.principal }));
    const endpoint = await endpoints.get(caller.principal);
    const key = `${caller.account}\n${caller.region}\n${caller.principal}`;
    if (!clients.has(key)) clients.set(key, new realSdk.KMSClient(realClientConfig(caller, { endpoint: endpoint.url })));
    return clients.get(key);
  });
  const close = async () => {
    for (const endpoint of endpoints.values()) await (await endpoint).close();
    for (const client of clients.values()) client.destroy();
  };
  return { call, close };
}
