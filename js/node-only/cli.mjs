#!/usr/bin/env node
// The wasmkms command: `wasmkms serve` runs the local KMS endpoint (js/node-only/serve.mjs) until
// SIGINT or SIGTERM; `wasmkms playground` serves the playground page (web/) from the package. Whatever
// goes wrong (a flag, a port in use, a state file that cannot be loaded or is in use) is one line on
// stderr and a non-zero exit: 2 for a mistake in the command line, 1 for the rest.

import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { exposureWarning } from "./exposure.mjs";
import { packageVersion } from "./package-version.mjs";

const USAGE = `usage: wasmkms serve [--port N] [--host H] [--state FILE] [--account ID] [--credentials KEY:SECRET]...
                     [--seed S] [--clock TIME] [--fixtures FILE] [--allow-any-region] [--log]
       wasmkms playground [--port N] [--no-open]
       wasmkms --version

  --port N       TCP port (default 8080, as local-kms; 0 picks a free port)
  --host H       interface to listen on (default 127.0.0.1; anything else only when named here, and
                 warned about: the keys, their material too, are then reachable from other machines)
  --state FILE   load the world from FILE at start and save it there after every change; one process
                 at a time serves a state file (FILE.lock holds it; a killed process's lock is taken over)
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
                 package describes it), or YAML for a .yaml/.yml name (needs the yaml package), loaded
                 into a new world (a state file that exists replaces it) and again by POST /_wasmkms/reset
  --allow-any-region
                 take requests signed for a Region of any name (letters, digits, dashes); by default a
                 Region that is not AWS's is refused as AWS refuses it (InvalidSignatureException)

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
const PLAYGROUND_USAGE = "usage: wasmkms playground [--port N] [--no-open]";

// A mistake in the command line: one line, exit status 2.
class UsageError extends Error {}

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return 0;
  }
  if (command === "--version" || command === "-v" || command === "version") {
    console.log(packageVersion());
    return 0;
  }
  if (command === "serve") return serveCommand(rest);
  if (command === "playground") return playgroundCommand(rest);
  if (command === undefined) {
    console.error(USAGE);
    return 2;
  }
  throw new UsageError(
    `unknown command ${JSON.stringify(command)}: it is serve, playground or --version (--help says more)`,
  );
}

async function serveCommand(args) {
  const values = parseFlags(args, {
    port: { type: "string" },
    host: { type: "string" },
    state: { type: "string" },
    account: { type: "string" },
    credentials: { type: "string", multiple: true },
    seed: { type: "string" },
    clock: { type: "string" },
    fixtures: { type: "string" },
    "allow-any-region": { type: "boolean" },
    log: { type: "boolean" },
    version: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.version) {
    console.log(packageVersion());
    return 0;
  }
  const port = portOf(values.port, DEFAULT_PORT);
  if (values.account !== undefined && !/^\d{12}$/.test(values.account)) {
    throw new UsageError(`--account must be a 12-digit AWS account id, not ${JSON.stringify(values.account)}`);
  }
  let credentials;
  for (const pair of values.credentials ?? []) {
    const colon = pair.indexOf(":");
    if (colon <= 0 || colon === pair.length - 1) {
      throw new UsageError("--credentials takes ACCESS_KEY_ID:SECRET_ACCESS_KEY");
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
      allowAnyRegion: values["allow-any-region"],
      log: values.log ? (line) => console.log(line) : undefined,
    });
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(error.message); // a flag's value serve() refuses
    throw error;
  }
  const notes = [
    values.state && `state file ${values.state}`,
    credentials && `signatures checked for ${credentials.length} key(s)`,
    values.seed !== undefined && `seed ${JSON.stringify(values.seed)}`,
    values.clock !== undefined && `manual clock from ${values.clock}`,
    values.fixtures !== undefined && `fixtures ${values.fixtures}`,
    values["allow-any-region"] && "any Region name",
    values.log && "request log on",
  ].filter(Boolean);
  console.log(`wasmkms: KMS endpoint listening on ${endpoint.url}${notes.length ? ` (${notes.join("; ")})` : ""}`);
  const warning = exposureWarning(endpoint.host, { signaturesChecked: credentials !== undefined });
  if (warning !== null) console.error(warning);
  await untilStopped();
  await endpoint.close();
  return 0;
}

async function playgroundCommand(args) {
  const values = parseFlags(args, {
    port: { type: "string" },
    "no-open": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(PLAYGROUND_USAGE);
    return 0;
  }
  const port = portOf(values.port, 0);
  // The playground's own server (web/serve.mjs), over this package's folders: js/ and web/.
  const { startStaticServer } = await import("../../web/serve.mjs");
  let server;
  try {
    server = await startStaticServer({ port });
  } catch (error) {
    throw new Error(
      `cannot listen on 127.0.0.1 port ${port}: ${error.code === "EADDRINUSE" ? "the port is in use" : error.message}`,
    );
  }
  const url = `${server.origin}/web/`;
  console.log(`wasmkms playground: ${url} (Ctrl-C stops it)`);
  if (!values["no-open"] && process.stdout.isTTY) openInBrowser(url);
  await untilStopped();
  await server.close();
  return 0;
}

// parseArgs, with its complaints made one line.
function parseFlags(args, options) {
  try {
    return parseArgs({ args, options, strict: true }).values;
  } catch (error) {
    // Node's messages go on with advice about "--" that does not apply here: the first sentence.
    throw new UsageError(`${error.message.split(/\.\s/)[0].replace(/\.$/, "")} (--help lists the options)`);
  }
}

function portOf(text, fallback) {
  if (text === undefined) return fallback;
  const port = Number(text);
  if (text.trim() === "" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a TCP port number (0 to 65535), not ${JSON.stringify(text)}`);
  }
  return port;
}

// The desktop's way to open a URL; where there is none (a server, a container), the URL printed is
// enough, so a failure is ignored.
function openInBrowser(url) {
  const [command, args] =
    process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["cmd", ["/c", "start", "", url]]
        : ["xdg-open", [url]];
  try {
    const child = spawn(command, args, { stdio: "ignore", detached: true });
    child.on("error", () => {});
    child.unref();
  } catch {
    // no browser to open: the URL is printed
  }
}

function untilStopped() {
  return new Promise((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
}

// Every failure is one line: the message without a stack, and without a second "wasmkms: ".
function oneLine(error) {
  const message = error instanceof Error ? error.message : String(error);
  return `wasmkms: ${message.replace(/^wasmkms: /, "").replace(/\s*\n\s*/g, " ")}`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(oneLine(error));
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
