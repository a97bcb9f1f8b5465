// A Cloudflare Worker that uses the real @aws-sdk/client-kms with wasmkms's request handler, bundled as
// wrangler bundles it (test/workerd/lib/bundle.mjs). POST /scenario runs one conformance scenario
// ({ file, scenario }) through the real SDK; POST /direct makes a few calls by hand.
import * as realSdk from "@aws-sdk/client-kms";
import * as pkg from "wasmkms";
import { formatFailures, runScenario } from "../../lib/conformance.mjs";
import { runScenariosThroughRequestHandler } from "../lib/real-sdk-call.mjs";

async function direct() {
  const client = new realSdk.KMSClient({
    region: "ap-southeast-2",
    credentials: { accessKeyId: "444455556666", secretAccessKey: "x" },
    requestHandler: pkg.createRequestHandler({ world: pkg.createWorld() }),
  });
  const { KeyMetadata } = await client.send(new realSdk.CreateKeyCommand({}));
  const encrypted = await client.send(new realSdk.EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: "from workerd" }));
  const decrypted = await client.send(new realSdk.DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
  let notFound;
  try {
    await client.send(new realSdk.DescribeKeyCommand({ KeyId: "alias/missing" }));
  } catch (error) {
    notFound = { isClass: error instanceof realSdk.NotFoundException, name: error.name, message: error.message };
  }
  return { arn: KeyMetadata.Arn, text: new TextDecoder().decode(decrypted.Plaintext), notFound };
}

export default {
  async fetch(request) {
    const path = new URL(request.url).pathname;
    try {
      if (path === "/direct") return Response.json(await direct());
      if (path === "/scenario") {
        const { file, scenario } = await request.json();
        const [summary] = await runScenariosThroughRequestHandler({ realSdk, pkg, runScenario, formatFailures, scenarios: [{ file, scenario }] });
        return Response.json(summary);
      }
      return new Response("not found", { status: 404 });
    } catch (error) {
      return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
    }
  },
};
