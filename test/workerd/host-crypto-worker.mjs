// A Worker for the host's primitives: /differential runs their differential test
// (test/lib/host-crypto-differential.mjs). With the nodejs_compat flag, workerd's node:crypto supplies
// them; without it, the module runs its own Go cryptography.
import * as wasmkms from "wasmkms";
import { hostCryptoDifferential } from "../lib/host-crypto-differential.mjs";

const routes = {
  "/differential": () => hostCryptoDifferential(wasmkms),
};

export default {
  async fetch(request) {
    try {
      return Response.json(await routes[new URL(request.url).pathname]());
    } catch (error) {
      return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
    }
  },
};
