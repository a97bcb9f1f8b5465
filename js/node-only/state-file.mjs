// The endpoint's state file (Node only): the world's state as the core exports it
// (`WasmKMS.ExportState`), replaced atomically so that a process killed at any moment leaves either the
// previous state or the new one, never a torn file, and nothing it acknowledged is lost.

import { open, readFile, rename, unlink } from "node:fs/promises";
import { dirname, basename, join } from "node:path";

const ADMIN_CALLER = { account: "", region: "", principal: "" };

// What a file that cannot be read is, in words (the rest keep the system's message).
const READ_PROBLEMS = { EISDIR: "it is a directory", EACCES: "permission denied", EPERM: "permission denied" };

/**
 * StateFileError: a state file that exists but cannot be loaded. Its message is one line naming the
 * file and the problem; the file is left as it is.
 */
export class StateFileError extends Error {}

/**
 * loadStateFile replaces the world's state with the file's, if the file exists, and resolves to whether
 * it did. A file that exists but cannot be read, or that the core refuses (corrupt, truncated, another
 * format or a newer version), is a StateFileError: starting empty would silently drop the user's keys.
 */
export async function loadStateFile(world, file) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return false;
    throw new StateFileError(cannotLoad(file, READ_PROBLEMS[error.code] ?? error.message), { cause: error });
  }
  if (text.trim() === "") throw new StateFileError(cannotLoad(file, "it is empty"));
  let answer;
  try {
    answer = await world.call(ADMIN_CALLER, "WasmKMS.ImportState", text);
  } catch (error) {
    throw new StateFileError(cannotLoad(file, `the module failed on it: ${error?.message ?? error}`), { cause: error });
  }
  if (answer.status !== 200) throw new StateFileError(cannotLoad(file, refusal(answer.body)));
  return true;
}

function cannotLoad(file, problem) {
  return `wasmkms: cannot load state file ${file}: ${problem} (the file is left as it is)`.replace(/\s*\n\s*/g, " ");
}

// The core's refusal's message ("Invalid state: version 3 is not 1 to 2", "Invalid state: not a state
// document: unexpected end of JSON input", ...).
function refusal(body) {
  try {
    return JSON.parse(body).message ?? body;
  } catch {
    return body;
  }
}

/**
 * StateFileWriter saves the world after changes. Saves are serialised; each save exports the state at
 * the moment it starts, so a save requested after a change always includes that change.
 */
export class StateFileWriter {
  #world;
  #file;
  #queue = Promise.resolve();
  /** pending: the world changed in a way that waits for the next save (last-usage records). */
  pending = false;

  constructor(world, file) {
    this.#world = world;
    this.#file = file;
  }

  /** save resolves once a state that includes every change made before the call is on disk. */
  save() {
    const next = this.#queue.then(() => this.#writeOnce());
    this.#queue = next.catch(() => {});
    return next;
  }

  /** idle resolves once every save requested so far has finished (or failed). */
  idle() {
    return this.#queue;
  }

  /**
   * exclusive runs fn once the saves requested so far have finished, and starts no save until fn has
   * finished: the endpoint puts a world back from the file there (no save may export a world that is
   * half loaded). Resolves to fn's result.
   */
  exclusive(fn) {
    const next = this.#queue.then(fn);
    this.#queue = next.catch(() => {});
    return next;
  }

  async #writeOnce() {
    this.pending = false; // the export below includes whatever was pending
    const answer = await this.#world.call(ADMIN_CALLER, "WasmKMS.ExportState", "");
    if (answer.status !== 200) {
      throw new Error(`wasmkms: cannot export state: ${answer.status} ${answer.body}`);
    }
    await writeFileAtomically(this.#file, answer.body);
  }
}

/** writeFileAtomically writes a temporary file next to `file`, fsyncs it, renames it over `file` and fsyncs the directory. */
export async function writeFileAtomically(file, text) {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const handle = await open(temporary, "w", 0o600);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
  await syncDirectory(dirname(file));
}

// The rename itself is durable only once the directory entry is on disk. Some platforms (Windows)
// cannot open a directory; there the rename is as durable as the platform makes it.
async function syncDirectory(directory) {
  let handle;
  try {
    handle = await open(directory, "r");
    await handle.sync();
  } catch (error) {
    if (!["EISDIR", "EPERM", "EACCES", "EINVAL"].includes(error.code)) throw error;
  } finally {
    await handle?.close();
  }
}
