// A Cloudflare Worker that uses the real @aws-sdk/client-kms with wasmkms's request handler, bundled as
// wrangler bundles it (test/lib/workerd-bundle.mjs). POST /scenario runs one conformance scenario
// ({ file, scenario }) through the real SDK; POST /direct makes a few calls by hand.
import * as realSdk from "@aws-sdk/client-kms";
import * as pkg from "wasmkms";
import { formatFailures, runScenario } from "../../lib/conformance.mjs";
import { roundTripByHand, runScenariosThroughRequestHandler } from "../lib/real-sdk-call.mjs";

export default {
  async fetch(request) {
    const path = new URL(request.url).pathname;
    try {
      if (path === "/direct")
        return Response.json(
          await roundTripByHand({ realSdk, pkg, region: "ap-southeast-2", plaintext: "from workerd" }),
        );
      if (path === "/scenario") {
        const { file, scenario } = await request.json();
        const [summary] = await runScenariosThroughRequestHandler({
          realSdk,
          pkg,
          runScenario,
          formatFailures,
          scenarios: [{ file, scenario }],
        });
        return Response.json(summary);
      }
      return new Response("not found", { status: 404 });
    } catch (error) {
      return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
    }
  },
};
