// A Worker for the host's primitives: /differential runs their differential test
// (test/lib/host-crypto-differential.mjs); /status answers a world's WasmKMS.HostCrypto after a call.
// With the nodejs_compat flag, workerd's node:crypto supplies them; without it, the module runs its
// own Go cryptography.
import * as wasmkms from "wasmkms";
import { hostCryptoDifferential } from "../lib/host-crypto-differential.mjs";

const routes = {
  "/differential": () => hostCryptoDifferential(wasmkms),
  async "/status"() {
    const world = wasmkms.createWorld();
    const client = new wasmkms.KMSClient({ region: "us-east-1", world });
    const { KeyMetadata } = await client.send(
      new wasmkms.CreateKeyCommand({ KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" }),
    );
    const sign = { KeyId: KeyMetadata.KeyId, Message: new Uint8Array(8), SigningAlgorithm: "RSASSA_PSS_SHA_256" };
    const { Signature } = await client.send(new wasmkms.SignCommand(sign));
    const { SignatureValid } = await client.send(new wasmkms.VerifyCommand({ ...sign, Signature }));
    return { SignatureValid, status: JSON.parse((await world.call({}, "WasmKMS.HostCrypto", "")).body) };
  },
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
