// Runs `node js/node-only/cli.mjs serve` as a child process, as a user runs `npx wasmkms serve`, for the tests
// that need a separate process (the kill test, the command's own behaviour). The test that starts one
// stops it.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../../js/node-only/cli.mjs", import.meta.url));
const LISTENING = /(?:listening on|playground:) (http:\/\/[^\s)]+)/;

/**
 * startEndpointProcess resolves once the child listens, with its URL, a promise of its exit, and
 * kill(signal) which resolves once it has exited. fileSizeLimitKiB: the largest file the child may
 * write (bash's ulimit -f: the kernel refuses a write past it, as a full disk refuses one).
 */
export function startEndpointProcess(
  args,
  { timeoutMs = 30_000, command = ["serve", "--port", "0"], fileSizeLimitKiB } = {},
) {
  const argv = [process.execPath, CLI, ...command, ...args];
  const child =
    fileSizeLimitKiB === undefined
      ? spawn(argv[0], argv.slice(1), { stdio: ["ignore", "pipe", "pipe"] })
      : spawn("bash", ["-c", `ulimit -f ${fileSizeLimitKiB} && exec "$@"`, "bash", ...argv], {
          stdio: ["ignore", "pipe", "pipe"],
        });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  let output = "";
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the endpoint did not start in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text) => {
      output += text;
    });
    child.stdout.on("data", (text) => {
      output += text;
      const match = LISTENING.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the endpoint exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    });
  });
  return url.then(
    (endpoint) => ({
      url: endpoint,
      exited,
      output: () => output,
      async kill(signal = "SIGTERM") {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        return exited;
      },
    }),
    async (error) => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
      throw error;
    },
  );
}

/**
 * runCli runs `wasmkms <args>` to its end (killed after timeoutMs) and resolves to its exit code and
 * output, for the commands that are meant to stop by themselves (a refusal, --version).
 */
export function runCli(args, { timeoutMs = 30_000 } = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text) => {
    stdout += text;
  });
  child.stderr.setEncoding("utf8").on("data", (text) => {
    stderr += text;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`wasmkms ${args.join(" ")} did not end in ${timeoutMs} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
