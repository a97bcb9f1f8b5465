// What the endpoint's state file needs of the file system (Node only): its one-line errors, and writes
// that are whole and durable. The file itself is a state log (state-log.mjs).

import * as nodeFiles from "node:fs/promises";

// What a file that cannot be read is, in words (the rest keep the system's message).
export const READ_PROBLEMS = { EISDIR: "it is a directory", EACCES: "permission denied", EPERM: "permission denied" };

/**
 * StateFileError: a state file that exists but cannot be loaded. Its message is one line naming the
 * file and the problem; the file is left as it is.
 */
export class StateFileError extends Error {}

/** cannotLoad is StateFileError's message: one line naming the file and the problem. */
export function cannotLoad(file, problem) {
  return `wasmkms: cannot load state file ${file}: ${problem} (the file is left as it is)`.replace(/\s*\n\s*/g, " ");
}

/** writeAll writes all of bytes at position (a write may write less than it was given). */
export async function writeAll(handle, bytes, position) {
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/**
 * syncDirectory makes a rename in the directory durable: it is on disk only once the directory entry
 * is. Some platforms (Windows) cannot open a directory; there the rename is as durable as the platform
 * makes it.
 */
export async function syncDirectory(directory, files = nodeFiles) {
  let handle;
  try {
    handle = await files.open(directory, "r");
    await handle.sync();
  } catch (error) {
    if (!["EISDIR", "EPERM", "EACCES", "EINVAL"].includes(error.code)) throw error;
  } finally {
    await handle?.close();
  }
}
