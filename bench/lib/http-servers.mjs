// What the endpoint benchmarks share: the bare Node HTTP server that answers a canned body (the cost of
// HTTP alone), the endpoint as users start it (`wasmkms serve`), both child processes, the CPU time a
// child has used (all its threads), and one KMS wire request over a keep-alive agent. Under bench/lib/,
// so that `./build.sh bench` does not run it.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../js/node-only/cli.mjs", import.meta.url));

// The baseline: the same answer, from the least a Node HTTP server does (with the headers the endpoint
// sends: a request ID, the JSON 1.1 content type, the length).
const CANNED_SERVER = `
import { createServer } from "node:http";
const answer = Buffer.from(process.env.CANNED_ANSWER, "base64");
const server = createServer({ keepAliveTimeout: 60000 }, (req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "x-amzn-requestid": crypto.randomUUID(), "content-type": "application/x-amz-json-1.1", "content-length": answer.length });
    res.end(answer);
  });
});
server.listen(0, "127.0.0.1", () => console.log("listening on http://127.0.0.1:" + server.address().port));
process.on("SIGTERM", () => process.exit(0));
`;

// Starts a child and resolves, once it prints the URL it listens on, to { url, pid, kill() }.
function startChild(argv, env) {
  const child = spawn(argv[0], argv.slice(1), {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (text) => {
      output += text;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match)
        resolve({
          url: match[1],
          pid: child.pid,
          kill: () =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once("exit", done);
              child.kill("SIGTERM");
            }),
        });
    });
    child.once("exit", (code) => reject(new Error(`${argv.slice(1).join(" ")} exited with ${code}: ${output}`)));
  });
}

/** startCannedServer starts the bare Node HTTP server answering `answer` (bytes) to every request. */
export function startCannedServer(answer) {
  return startChild([process.execPath, "--input-type=module", "-e", CANNED_SERVER], {
    CANNED_ANSWER: Buffer.from(answer).toString("base64"),
  });
}

/**
 * startEndpoint starts `wasmkms serve` on a free loopback port, without a state file, with args; cli is
 * the package's js/node-only/cli.mjs unless another copy's is named.
 */
export function startEndpoint(args = [], cli = CLI) {
  return startChild([process.execPath, cli, "serve", "--port", "0", ...args]);
}

/**
 * cpuMicros is the CPU time (user and system, every thread) a process has used, in µs, from the
 * scheduler's nanosecond counts (/proc/<pid>/task/<tid>/schedstat; Linux): the 10 ms ticks of
 * /proc/<pid>/stat are too coarse for a few thousand requests. A thread that ended before the call
 * is not counted: Node's threads live as long as the process.
 */
export function cpuMicros(pid) {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return ns / 1000;
}

// The headers the AWS SDK for JavaScript v3 sends with a KMS call (a signature's shape, not a valid one:
// the endpoint checks none unless told to).
const SDK_HEADERS = {
  "content-type": "application/x-amz-json-1.1",
  "x-amz-user-agent": "aws-sdk-js/3.1000.0",
  "user-agent": "aws-sdk-js/3.1000.0 ua/2.1 os/linux#6.1.0 lang/js md/nodejs#20.20.2 api/kms#3.1000.0 m/E,N",
  "amz-sdk-invocation-id": "8f0c3a46-5c2e-4b7e-9d7a-0d7f1f3c9a11",
  "amz-sdk-request": "attempt=1; max=3",
  "x-amz-date": "20260101T000000Z",
  authorization:
    "AWS4-HMAC-SHA256 Credential=AKIDWASMKMSBENCH/20260101/us-east-1/kms/aws4_request, " +
    "SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-date;x-amz-target;x-amz-user-agent, " +
    "Signature=0f3b7d5e9a1c2b4d6f8e0a2c4e6b8d0f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b",
};

/** post sends one KMS wire request, with the SDK's headers, and resolves to { status, body } (bytes). */
export function post(agent, url, target, body) {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: { ...SDK_HEADERS, "x-amz-target": target, "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode, body: Buffer.concat(chunks) }));
        response.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
