// A global setup for node:test: import it at the top of a test file, and the code under test reaches a
// wasmkms endpoint through the AWS SDK's own configuration. Before the file's first test it serves a
// world on 127.0.0.1 and names it in AWS_ENDPOINT_URL_KMS (with a region and test credentials); after
// the last one it puts the environment back and stops the endpoint.
import { after, before } from "node:test";
import { createWorld, serve } from "wasmkms";

export const world = createWorld(); // the world served: tests reset it, add faults, read its calls
const savedEnvironment = { ...process.env };
let endpoint;

before(async () => {
  endpoint = await serve({ world });
  process.env.AWS_ENDPOINT_URL_KMS = endpoint.url; // SDK clients made without an endpoint use it
  process.env.AWS_REGION = "us-east-1";
  process.env.AWS_ACCESS_KEY_ID = "AKIDEXAMPLE";
  process.env.AWS_SECRET_ACCESS_KEY = "test";
});

after(async () => {
  for (const name of Object.keys(process.env)) if (!Object.hasOwn(savedEnvironment, name)) delete process.env[name];
  Object.assign(process.env, savedEnvironment);
  await endpoint.close();
});
