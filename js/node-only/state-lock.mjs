// One writer per state file (Node only). Two endpoints on one file would each save their own world over
// the other's, losing acknowledged changes; so the endpoint holds a lock file beside the state file
// (`<state file>.lock`) while it serves, and a second one refuses to start.
//
// Node has no flock, so the lock is a file made only if none exists (link(2) of a file already written,
// so that a reader never sees it half-written), holding the owner's pid, host and process start time. A
// lock whose process is gone (killed, crashed: nothing released it) is stale: the next endpoint takes
// it over. "Gone" is checked on this host only: a lock from another host (a shared disk) is never taken
// over, since its process cannot be seen from here.

import { readFileSync } from "node:fs";
import { link, open, readFile, rename, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { resolve } from "node:path";

// The locks this process holds, by absolute lock path: a second serve() of one file in one process is refused
// too, and a lock with this process's pid that is not in here is a stale one from an earlier process
// that had the same pid (a container's pid 1).
const held = new Set();
let temporaries = 0; // for names of this process's temporary files that never clash

/** StateLockError: the state file is locked by a live process; its message is one line saying which. */
export class StateLockError extends Error {}

/**
 * lockStateFile takes the state file's lock, taking over a stale one, and resolves to
 * `{ path, release() }`; it rejects with a StateLockError when a live process holds it, or with the
 * file system's error (its code kept) when the lock cannot be written at all.
 */
export async function lockStateFile(stateFile) {
  const path = `${stateFile}.lock`;
  const owner = JSON.stringify({ pid: process.pid, host: hostname(), started: processStart(process.pid) });
  // Each round either takes the lock or finds it held; a round that finds a stale lock moves it away
  // and goes again. Rounds beyond a few mean others are racing for it, all alive: refused below.
  for (let round = 0; round < 5; round++) {
    if (await createExclusively(path, owner).catch((error) => cannotLock(stateFile, path, error))) {
      held.add(resolve(path));
      return { path, release: () => release(path, owner) };
    }
    const text = await readFile(path, "utf8").catch((error) => {
      if (error.code === "ENOENT") return null; // released meanwhile: try again
      throw error;
    });
    if (text === null) continue;
    const holder = parseOwner(text);
    const why = holder === null ? null : liveHolder(path, holder);
    if (why !== null) {
      throw new StateLockError(
        `wasmkms: state file ${stateFile} is in use by ${why} (lock file ${path}): one process at a time serves a state file`,
      );
    }
    await moveStaleAway(path, text);
  }
  throw new StateLockError(
    `wasmkms: state file ${stateFile}: could not take its lock ${path}; other processes keep taking it`,
  );
}

// The file system's refusal, one line naming the lock file and the state file, its code kept.
function cannotLock(stateFile, path, error) {
  const why = { ENOENT: "its folder does not exist", EACCES: "permission denied", EROFS: "a read-only file system" };
  const message = `wasmkms: cannot use state file ${stateFile}: cannot write its lock file ${path}: ${why[error.code] ?? error.message}`;
  throw Object.assign(new Error(message, { cause: error }), { code: error.code });
}

// Writes the owner to a file of its own, then links it as the lock: link fails if the lock exists. A
// file system without hard links gets an exclusive create and a write instead.
async function createExclusively(path, owner) {
  const temporary = `${path}.${process.pid}.${++temporaries}.tmp`;
  await writeSynced(temporary, owner, "w");
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if (error.code === "EEXIST") return false;
    if (!["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV"].includes(error.code)) throw error;
    try {
      await writeSynced(path, owner, "wx");
      return true;
    } catch (fallbackError) {
      if (fallbackError.code === "EEXIST") return false;
      throw fallbackError;
    }
  } finally {
    await unlink(temporary).catch(() => {});
  }
}

async function writeSynced(path, text, flags) {
  const handle = await open(path, flags, 0o600);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function parseOwner(text) {
  try {
    const owner = JSON.parse(text);
    return Number.isInteger(owner?.pid) && owner.pid > 0 && typeof owner.host === "string" ? owner : null;
  } catch {
    return null; // not a lock this code wrote: nobody can be named as its owner, so it holds nothing
  }
}

// Who holds the lock, for the refusal's message, or null when the lock is stale.
function liveHolder(path, { pid, host, started }) {
  if (host !== hostname()) return `process ${pid} on host ${host} (delete the lock file if that process is gone)`;
  if (pid === process.pid) return held.has(resolve(path)) ? "this process (another endpoint in it)" : null;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
  } catch (error) {
    if (error.code === "ESRCH") return null;
    // EPERM: it exists, under another user
  }
  // The pid may have been given to another process since: the start time tells them apart where the
  // system says it (Linux's /proc).
  const now = processStart(pid);
  if (started != null && now != null && now !== started) return null;
  return `process ${pid}`;
}

// Takes a stale lock out of the way by renaming it (atomic), then checks that what was moved is the
// stale lock read before: if another process took the lock over in between, its lock is put back.
async function moveStaleAway(path, staleText) {
  const aside = `${path}.${process.pid}.${++temporaries}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (error.code === "ENOENT") return; // someone else moved or released it
    throw error;
  }
  const moved = await readFile(aside, "utf8").catch(() => staleText);
  // Not ours to remove: back it goes (unless a third process has made a lock since, a race of three
  // starts on one stale lock that this does not settle).
  if (moved !== staleText) await link(aside, path).catch(() => {});
  await unlink(aside).catch(() => {});
}

async function release(path, owner) {
  if (!held.delete(resolve(path))) return;
  // Removed only while it is still this process's: a lock taken over after this process was thought
  // gone belongs to its new owner.
  const text = await readFile(path, "utf8").catch(() => null);
  if (text === owner) await unlink(path).catch(() => {});
}

// When the process started, as Linux's /proc/<pid>/stat says (field 22, clock ticks since boot), or
// null where there is no /proc.
function processStart(pid) {
  try {
    // Read synchronously: one small virtual file, read at start only.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null;
  } catch {
    return null;
  }
}
