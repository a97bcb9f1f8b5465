// A Cloudflare Worker that uses wasmkms as an application would: `import ... from "wasmkms"`, resolved
// through the package's `workerd` condition when bundled (test/lib/workerd-bundle.mjs does it as
// wrangler does). Each request runs KMS calls and answers JSON; errors answer with the exception's
// name and message as the SDK gives them.
import * as wasmkms from "wasmkms";
import { badInputCases } from "../lib/bad-input-cases.mjs";

const { KMSClient, CreateKeyCommand, DecryptCommand, EncryptCommand } = wasmkms;

const client = new KMSClient({ region: "us-east-1" });

const toBase64 = (bytes) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

const routes = {
  // No KMS call: the request overhead, the baseline of the startup measurement.
  async "/ping"() {
    return { pong: true };
  },
  // The first Encrypt of a fresh Worker: CreateKey, then Encrypt (the module instantiates on the first call).
  async "/create-and-encrypt"(body) {
    const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
    const out = await client.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: body.Text ?? "first" }));
    return { KeyId: out.KeyId, Size: out.CiphertextBlob.length };
  },
  // Creates a symmetric key: { KeyId, Arn }.
  async "/create-key"() {
    const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: "workerd test key" }));
    return { KeyId: KeyMetadata.KeyId, Arn: KeyMetadata.Arn };
  },
  // { KeyId, Text, EncryptionContext } -> { CiphertextBlob (base64), KeyId, EncryptionAlgorithm, Size }
  async "/encrypt"(body) {
    const out = await client.send(
      new EncryptCommand({ KeyId: body.KeyId, Plaintext: body.Text, EncryptionContext: body.EncryptionContext }),
    );
    return {
      CiphertextBlob: toBase64(out.CiphertextBlob),
      KeyId: out.KeyId,
      EncryptionAlgorithm: out.EncryptionAlgorithm,
      Size: out.CiphertextBlob.length,
      BlobIsUint8Array: out.CiphertextBlob instanceof Uint8Array,
    };
  },
  // { CiphertextBlob (base64), EncryptionContext } -> { Text, KeyId, EncryptionAlgorithm }
  async "/decrypt"(body) {
    const out = await client.send(
      new DecryptCommand({
        CiphertextBlob: fromBase64(body.CiphertextBlob),
        EncryptionContext: body.EncryptionContext,
      }),
    );
    return {
      Text: new TextDecoder().decode(out.Plaintext),
      KeyId: out.KeyId,
      EncryptionAlgorithm: out.EncryptionAlgorithm,
    };
  },
  // A world's WasmKMS.HostCrypto after a signature: without the nodejs_compat flag (this Worker's), the
  // module runs its own Go code (test/workerd/host-crypto.test.mjs has the Worker with the flag).
  async "/host-crypto"() {
    const world = wasmkms.createWorld();
    const kms = new KMSClient({ region: "us-east-1", world });
    const { KeyMetadata } = await kms.send(
      new wasmkms.CreateKeyCommand({ KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" }),
    );
    const sign = { KeyId: KeyMetadata.KeyId, Message: new Uint8Array(8), SigningAlgorithm: "RSASSA_PSS_SHA_256" };
    const { Signature } = await kms.send(new wasmkms.SignCommand(sign));
    const { SignatureValid } = await kms.send(new wasmkms.VerifyCommand({ ...sign, Signature }));
    return { SignatureValid, status: JSON.parse((await world.call({}, "WasmKMS.HostCrypto", "")).body) };
  },
  // { Case, KeyId } -> the bad-input case's outcome (an error is expected)
  async "/bad-input"(body) {
    const badInput = badInputCases.find((c) => c.name === body.Case);
    if (!badInput) throw new Error(`unknown bad-input case ${body.Case}`);
    return client.send(badInput.command(wasmkms, body.KeyId));
  },
};

export default {
  async fetch(request) {
    const route = routes[new URL(request.url).pathname];
    if (!route) return Response.json({ error: { name: "NotFound", message: "no such route" } }, { status: 404 });
    try {
      const body = request.method === "POST" ? await request.json() : {};
      return Response.json({ output: await route(body) });
    } catch (err) {
      return Response.json({
        error: {
          name: err?.name,
          message: err?.message,
          fault: err?.$fault,
          httpStatusCode: err?.$metadata?.httpStatusCode,
          isError: err instanceof Error,
        },
      });
    }
  },
};
