#!/usr/bin/env node
// The wasmkms command: `wasmkms serve` runs the local KMS endpoint (js/node-only/serve.mjs) until
// SIGINT or SIGTERM.

import { parseArgs } from "node:util";

const USAGE = `usage: wasmkms serve [--port N] [--host H] [--state FILE] [--account ID] [--credentials KEY:SECRET]...
                     [--seed S] [--clock TIME] [--fixtures FILE]

  --port N       TCP port (default 8080, as local-kms; 0 picks a free port)
  --host H       interface to listen on (default 127.0.0.1; anything else only when named here)
  --state FILE   load the world from FILE at start and save it there after every change
  --account ID   answer every request as this 12-digit account (default: a 12-digit access key id
                 is the account, any other key the default account 111122223333)
  --credentials KEY:SECRET
                 check SigV4 signatures and accept only these access keys (repeat for more);
                 without it, signatures are not checked
  --seed S       a reproducible world: the same calls get the same answers (key IDs, material,
                 ciphertexts) on every run
  --clock TIME   a manual clock starting at TIME (RFC 3339, e.g. 2030-01-01T00:00:00Z), moved only by
                 POST /_wasmkms/clock/advance or clock/set (and latency faults)
  --fixtures FILE
                 keys to start with: a JSON file ({"keys": [...]}, as js/fixtures.schema.json in the
                 package describes it; JSON only), loaded into a new world (a state file that exists
                 replaces it) and again by POST /_wasmkms/reset

Administration API, on the same port (JSON; the same credentials as the KMS wire when checked):
  GET  /_wasmkms/clock              the world's time and whether the clock is manual
  POST /_wasmkms/clock/advance      {"ms": n} or {"days", "hours", "minutes", "seconds"}
  POST /_wasmkms/clock/set          {"time": "<RFC 3339>"} (forwards only)
  GET  /_wasmkms/snapshot           the world's state; POST /_wasmkms/restore puts one back
  POST /_wasmkms/fixtures           load more fixtures
  POST /_wasmkms/faults             {"operation", "keyId", "account", "region", "error", "message",
                                     "times", "probability", "latencyMs"} -> {"id"}
  GET  /_wasmkms/faults             the faults; DELETE /_wasmkms/faults (all), /_wasmkms/faults/<id> (one)
  GET  /_wasmkms/calls              the calls answered (?operation=&keyId=&account=&region=);
                                    DELETE /_wasmkms/calls empties the list
  POST /_wasmkms/reset              an empty world again (same seed and clock start), with the fixtures`;

const DEFAULT_PORT = 8080;

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return 0;
  }
  if (command !== "serve") {
    console.error(command === undefined ? USAGE : `wasmkms: unknown command ${JSON.stringify(command)}\n${USAGE}`);
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        state: { type: "string" },
        account: { type: "string" },
        credentials: { type: "string", multiple: true },
        seed: { type: "string" },
        clock: { type: "string" },
        fixtures: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`wasmkms: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`wasmkms: --port must be a TCP port number, not ${JSON.stringify(values.port)}`);
    return 2;
  }
  if (values.account !== undefined && !/^\d{12}$/.test(values.account)) {
    console.error(`wasmkms: --account must be a 12-digit AWS account id, not ${JSON.stringify(values.account)}`);
    return 2;
  }

  let credentials;
  for (const pair of values.credentials ?? []) {
    const colon = pair.indexOf(":");
    if (colon <= 0 || colon === pair.length - 1) {
      console.error("wasmkms: --credentials takes ACCESS_KEY_ID:SECRET_ACCESS_KEY");
      return 2;
    }
    credentials ??= [];
    credentials.push({ accessKeyId: pair.slice(0, colon), secretAccessKey: pair.slice(colon + 1) });
  }

  // Imported here so that `wasmkms --help` answers without loading the module.
  const { serve } = await import("../node.mjs");
  let endpoint;
  try {
    endpoint = await serve({
      port,
      host: values.host,
      stateFile: values.state,
      accountId: values.account,
      credentials,
      seed: values.seed,
      clock: values.clock,
      fixtures: values.fixtures,
    });
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    console.error(error.message); // a flag's value serve() refuses
    return 2;
  }
  const notes = [
    values.state && `state file ${values.state}`,
    credentials && `signatures checked for ${credentials.length} key(s)`,
    values.seed !== undefined && `seed ${JSON.stringify(values.seed)}`,
    values.clock !== undefined && `manual clock from ${values.clock}`,
    values.fixtures !== undefined && `fixtures ${values.fixtures}`,
  ].filter(Boolean);
  console.log(`wasmkms: KMS endpoint listening on ${endpoint.url}${notes.length ? ` (${notes.join("; ")})` : ""}`);

  await new Promise((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await endpoint.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`wasmkms: ${error?.stack ?? error}`);
    process.exit(1);
  },
);
