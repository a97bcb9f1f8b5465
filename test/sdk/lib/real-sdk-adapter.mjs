// The conformance engine's `call` in Node: the real @aws-sdk/client-kms through our request handler
// (requestHandlerCall) or over HTTP against the endpoint (endpointCall), and raw HTTP requests against
// the endpoint (endpointWireCall). The SDK conversions live in real-sdk-call.mjs, which Chromium and
// workerd run too.
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
    if (!endpoints.has(caller.principal))
      endpoints.set(caller.principal, pkg.serve({ world, principal: caller.principal }));
    const endpoint = await endpoints.get(caller.principal);
    const key = `${caller.account}\n${caller.region}\n${caller.principal}`;
    if (!clients.has(key))
      clients.set(key, new realSdk.KMSClient(realClientConfig(caller, { endpoint: endpoint.url })));
    return clients.get(key);
  });
  const close = async () => {
    for (const endpoint of endpoints.values()) await (await endpoint).close();
    for (const client of clients.values()) client.destroy();
  };
  return { call, close };
}

/**
 * endpointWireCall(world): raw AWS JSON 1.1 requests (no SDK) against endpoints serving `world`, one
 * per principal, for the wire-level steps an SDK cannot send (raw bodies, raw targets). The caller
 * travels in an Authorization header's credential scope, as a SigV4 signer writes it. Returns
 * { call, close }.
 */
export function endpointWireCall(world) {
  const endpoints = new Map(); // principal -> Promise<endpoint>
  const call = async ({ caller, target, body }) => {
    if (!endpoints.has(caller.principal))
      endpoints.set(caller.principal, pkg.serve({ world, principal: caller.principal }));
    const endpoint = await endpoints.get(caller.principal);
    const response = await fetch(endpoint.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": target,
        authorization: `AWS4-HMAC-SHA256 Credential=${caller.account}/20260101/${caller.region}/kms/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0`,
      },
      body,
    });
    return { status: response.status, body: await response.text() };
  };
  const close = async () => {
    for (const endpoint of endpoints.values()) await (await endpoint).close();
  };
  return { call, close };
}
