// The endpoint's state file (Node only): the world's state as the core exports it
// (`WasmKMS.ExportState`), replaced atomically so that a process killed at any moment leaves either the
// previous state or the new one, never a torn file, and nothing it acknowledged is lost.

import { open, readFile, rename, unlink } from "node:fs/promises";
import { dirname, basename, join } from "node:path";

const ADMIN_CALLER = { account: "", region: "", principal: "" };

/**
 * loadStateFile replaces the world's state with the file's, if the file exists. A file that exists
 * but that the core refuses is an error: starting empty would silently drop the user's keys.
 */
export async function loadStateFile(world, file) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return false;
    throw error;
  }
  const answer = await world.call(ADMIN_CALLER, "WasmKMS.ImportState", text);
  if (answer.status !== 200) {
    throw new Error(`wasmkms: cannot load state file ${file}: ${answer.status} ${answer.body}`);
  }
  return true;
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
