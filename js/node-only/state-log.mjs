// The endpoint's state file as a log (Node only): the world written whole once (a snapshot, as records),
// then each change appended as the core writes it (internal/kms/SNAPSHOT.md, "The state log"), so that a
// change costs what it changed, not the world. Changes are made durable in groups: one write and one
// fdatasync carry every change taken while the one before was on its way to the disk (group commit).
// When what was appended since the last snapshot outgrows it, the world is written whole again
// (compaction) into a new file that replaces the log by a rename.
//
// What the endpoint promises with it:
//   - a call is answered only once every change taken up to its own is durable, so no client sees a
//     change that a kill could still lose, and an acknowledged change survives any kill;
//   - a write that fails (a full disk) fails the calls waiting for it, cuts the file back to what was
//     durable, and puts the world back from it (rollBack): nothing that was not acknowledged remains;
//   - a key's last use (and a seeded world's draw position) is written lazily, about a second later or
//     with the next change or at close: a kill can lose it, and nothing else.

import * as nodeFiles from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { SharedExclusiveLock } from "./shared-exclusive.mjs";
import { cannotLoad, READ_PROBLEMS, StateFileError, syncDirectory, writeAll } from "./state-file.mjs";

const ADMIN_CALLER = { account: "", region: "", principal: "" };

const READ_PIECE = 1 << 20; // bytes of the file per WasmKMS.StateLogLoad
const EXPORT_PIECE = 4 << 20; // bytes of the world per WasmKMS.StateLogExport
const USAGE_DELAY_MS = 1000; // how long a last use waits for a change to go with
const COMPACT_MIN_BYTES = 1 << 20; // a log smaller than this is never compacted
const TAKE_USAGE = JSON.stringify({ usage: true });

export class StateLog {
  #world;
  #file;
  #files;
  #notify;
  #onFailure;
  #lock = new SharedExclusiveLock();
  #handle = null; // the file, open for appending
  #size = 0; // bytes of the file that are durable: where the next write goes
  #compactAt = COMPACT_MIN_BYTES; // the size past which the log is compacted
  #pending = []; // records taken and not yet written: { bytes, seq }
  #taken = 0; // the sequence number of the last record taken
  #durable = 0; // ... and of the last one durable
  #waiters = []; // calls waiting for a record: { seq, resolve, reject }
  #flushing = null; // the group write under way
  #broken = null; // why writing failed, until rollBack puts the world back
  #takes = Promise.resolve(); // takes run one after the other, in the order they were asked for
  #usageTimer = null;
  #compacting = false;
  #compaction = Promise.resolve(); // the compaction under way (reload waits for it)

  /**
   * @param {object} world the World (call()) whose state the file holds
   * @param {string} file the state file
   * @param {object} [options]
   * @param {(line: string) => void} [options.notify] takes the log's notices (a torn tail dropped, a
   *   migration, a compaction that failed)
   * @param {(error: Error) => void} [options.onFailure] called once a write failed: the endpoint then
   *   rolls the world back (rollBack)
   * @param {object} [options.files] node:fs/promises, or what stands for it (a test's full disk)
   */
  constructor(world, file, { notify = () => {}, onFailure = () => {}, files = nodeFiles } = {}) {
    this.#world = world;
    this.#file = file;
    this.#notify = notify;
    this.#onFailure = onFailure;
    this.#files = files;
  }

  /**
   * open loads the file into the world (a log, or a snapshot document written before the log, which is
   * then written again as a log), dropping a torn last record and saying so; a file that does not
   * exist is made from the world as it is, so that a path that cannot be written fails here, at start.
   * A file that cannot be loaded is a StateFileError.
   */
  open() {
    return this.#lock.exclusive(async () => {
      await this.#removeTemporaries();
      if (!(await this.#loadLocked())) await this.#compactLocked();
    });
  }

  /**
   * reload puts the world back from the file (after its module instance died), the file as it is. It
   * takes no lock: the restart that calls it runs inside a call that holds one (a KMS call's shared
   * hold, an administration change's exclusive one), and the calls it would wait for wait for it. It
   * runs in the takes' order instead, after a compaction under way, so that no take or write meets a
   * world half loaded.
   */
  reload() {
    const compaction = this.#compaction; // one begun later takes its changes after this, in order
    const next = this.#takes.then(async () => {
      await compaction;
      await this.#drain().catch(() => {}); // the changes taken before the instance died go first
      if (!(await this.#loadLocked())) {
        throw new Error(`state file ${this.#file} is gone; the world is not started empty in its place`);
      }
    });
    this.#takes = next.catch(() => {});
    return next;
  }

  /**
   * call runs one call of the world (fn) and takes its changes, then resolves to fn's result once
   * they are durable (with every change taken before them). No compaction or roll-back runs between
   * the call and its take.
   */
  async call(fn) {
    const { result, seq } = await this.#lock.shared(async () => {
      const result = await fn();
      return { result, seq: await this.take() };
    });
    await this.durable(seq);
    return result;
  }

  /**
   * change runs fn, an administration call that may change the world, alone, then writes what it
   * changed: its changes, or the world whole when `whole` (a reset, a restore) or the core says the
   * world was replaced. Resolves to fn's result once that is durable.
   */
  change(fn, { whole = false } = {}) {
    return this.#lock.exclusive(async () => {
      const result = await fn();
      const { seq, replaced } = await this.#take(false);
      if (whole || replaced) await this.#compactLocked();
      else await this.durable(seq);
      return result;
    });
  }

  /**
   * take takes the world's changes since the last take into the log, and resolves to the sequence
   * number every call made so far must see durable (durable()) before it is answered.
   */
  async take() {
    const { seq, replaced } = await this.#take(false);
    if (replaced) throw new Error("the world was replaced as a whole outside the administration API");
    return seq;
  }

  #take(usage) {
    const next = this.#takes.then(async () => {
      if (this.#broken) throw this.#brokenError();
      const answer = await this.#world.call(ADMIN_CALLER, "WasmKMS.StateLogTake", usage ? TAKE_USAGE : "");
      if (answer.status !== 200) throw new Error(`cannot take the world's changes: ${messageOf(answer.body)}`);
      const newline = answer.body.indexOf("\n");
      const header = JSON.parse(answer.body.slice(0, newline));
      const record = answer.body.slice(newline + 1);
      if (record.length > 0) {
        this.#taken++;
        this.#pending.push({ bytes: Buffer.from(record, "utf8"), seq: this.#taken });
        if (!header.sync) this.#kick(); // last uses: nobody waits for them, so written now
      }
      if (header.waiting) this.#waitingUsage();
      return { seq: this.#taken, replaced: header.replaced };
    });
    this.#takes = next.catch(() => {});
    return next;
  }

  /** durable resolves once the record seq (and every one before it) is on disk, or rejects. */
  durable(seq) {
    if (seq <= this.#durable) return Promise.resolve();
    if (this.#broken) return Promise.reject(this.#brokenError());
    return new Promise((resolve, reject) => {
      this.#waiters.push({ seq, resolve, reject });
      this.#kick();
    });
  }

  /**
   * rollBack, after a failed write: cuts the file back to what was durable and puts the world back from
   * it through `replaceWorld(restore)`, which resets the world and runs restore (RestartingWorld's
   * rebuild); the log then takes changes again.
   */
  rollBack(replaceWorld) {
    return this.#lock.exclusive(async () => {
      await this.#flushing;
      await this.#handle.truncate(this.#size);
      await this.#handle.datasync();
      await replaceWorld(() => this.#loadLocked());
      this.#pending = [];
      this.#durable = this.#taken;
      this.#broken = null;
    });
  }

  /**
   * close writes the last uses that wait (unless write is false: a world that is not the file's), and
   * closes the file.
   */
  async close({ write = true } = {}) {
    clearTimeout(this.#usageTimer);
    this.#usageTimer = null;
    await this.#lock.exclusive(async () => {
      if (write && !this.#broken) {
        await this.#take(true);
        await this.#drain();
      }
      await this.#handle?.close();
      this.#handle = null;
    });
  }

  // ---- Writing ----

  #kick() {
    if (this.#flushing === null && this.#pending.length > 0 && this.#broken === null) {
      this.#flushing = this.#flush().finally(() => {
        this.#flushing = null;
        if (this.#pending.length > 0) this.#kick();
      });
    }
  }

  // Writes what is pending, one group at a time: what is taken meanwhile goes with the next group.
  async #flush() {
    while (this.#pending.length > 0 && this.#broken === null) {
      const group = this.#pending;
      this.#pending = [];
      const bytes = group.length === 1 ? group[0].bytes : Buffer.concat(group.map((record) => record.bytes));
      try {
        await writeAll(this.#handle, bytes, this.#size);
        await this.#handle.datasync();
      } catch (error) {
        this.#fail(error);
        return;
      }
      this.#size += bytes.length;
      this.#durable = group[group.length - 1].seq;
      const waiting = this.#waiters;
      this.#waiters = [];
      for (const waiter of waiting) {
        if (waiter.seq <= this.#durable) waiter.resolve();
        else this.#waiters.push(waiter);
      }
    }
    this.#compactWhenDue();
  }

  // A failed write: whoever waits is told, nothing more is written until rollBack.
  #fail(error) {
    this.#broken = error;
    this.#pending = [];
    const waiting = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiting) waiter.reject(this.#brokenError());
    this.#onFailure(error);
  }

  #brokenError() {
    const why = this.#broken?.code ? `${this.#broken.code}: ${this.#broken.message}` : this.#broken?.message;
    return new Error(`state file ${this.#file} cannot be written (${why}); the change is not kept`);
  }

  // Resolves once everything taken is on disk.
  async #drain() {
    while (this.#pending.length > 0 || this.#flushing !== null) {
      this.#kick();
      await this.#flushing;
    }
    if (this.#broken) throw this.#brokenError();
  }

  // Last uses wait a little for a change to go with, then go alone.
  #waitingUsage() {
    if (this.#usageTimer !== null) return;
    this.#usageTimer = setTimeout(() => {
      this.#usageTimer = null;
      if (this.#handle === null) return;
      this.#lock.shared(() => this.#take(true)).catch(() => {});
    }, USAGE_DELAY_MS);
    this.#usageTimer.unref();
  }

  // ---- Compaction ----

  #compactWhenDue() {
    if (this.#compacting || this.#size < this.#compactAt || this.#broken) return;
    this.#compacting = true;
    this.#lock
      .exclusive(() => this.#compactLocked())
      .catch((error) => {
        // The log goes on as it is; the next try waits until it has grown as much again.
        this.#compactAt = this.#size * 2;
        this.#notify(`wasmkms: could not compact state file ${this.#file} (${error.message}); it goes on growing`);
      })
      .finally(() => {
        this.#compacting = false;
      });
  }

  // Writes the world whole into a new file and renames it over the log. The world must not change
  // meanwhile (the lock is held exclusively): what was taken before is written to the old log first.
  #compactLocked() {
    const done = this.#compactNow();
    this.#compaction = done.catch(() => {});
    return done;
  }

  async #compactNow() {
    if (this.#handle !== null && this.#broken === null) {
      await this.#take(true);
      await this.#drain();
    }
    const temporary = join(dirname(this.#file), `.${basename(this.#file)}.compact-${process.pid}.tmp`);
    const out = await this.#files.open(temporary, "w", 0o600);
    let written = 0;
    try {
      for (let first = true; ; first = false) {
        const answer = await this.#world.call(
          ADMIN_CALLER,
          "WasmKMS.StateLogExport",
          JSON.stringify({ first, budget: EXPORT_PIECE }),
        );
        if (answer.status !== 200) throw new Error(`cannot write the world: ${messageOf(answer.body)}`);
        const newline = answer.body.indexOf("\n");
        const { done } = JSON.parse(answer.body.slice(0, newline));
        const bytes = Buffer.from(answer.body.slice(newline + 1), "utf8");
        await writeAll(out, bytes, written);
        written += bytes.length;
        if (done) break;
      }
      await out.datasync();
      await out.close();
      await this.#files.rename(temporary, this.#file);
    } catch (error) {
      await out.close().catch(() => {});
      await this.#files.unlink(temporary).catch(() => {});
      throw error;
    }
    await syncDirectory(dirname(this.#file), this.#files);
    await this.#handle?.close();
    this.#handle = await this.#files.open(this.#file, "r+");
    this.#size = written;
    this.#compactAt = Math.max(2 * written, COMPACT_MIN_BYTES);
  }

  // Temporary files of an earlier process that was killed while compacting (or, before the log, while
  // saving): whoever holds the lock owns them.
  async #removeTemporaries() {
    const directory = dirname(this.#file);
    const name = basename(this.#file).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const ours = new RegExp(`^\\.${name}\\.(compact-)?\\d+\\.tmp$`);
    let entries;
    try {
      entries = await this.#files.readdir(directory);
    } catch {
      return; // the folder's problem shows when the file is opened
    }
    for (const entry of entries) {
      if (ours.test(entry)) await this.#files.unlink(join(directory, entry)).catch(() => {});
    }
  }

  // ---- Loading ----

  // Loads the file into the world: resolves to false when there is no file; readies appending after
  // its last whole record (a torn tail is cut off, a snapshot document written again as a log).
  async #loadLocked() {
    const load = await this.#read();
    if (load === null) return false;
    if (load.tornBytes > 0) {
      const handle = await this.#files.open(this.#file, "r+");
      try {
        await handle.truncate(load.bytes);
        await handle.datasync();
      } finally {
        await handle.close();
      }
      this.#notify(
        `wasmkms: state file ${this.#file}: dropped its last ${load.tornBytes} bytes (${load.torn}), a change cut short by a kill and never acknowledged`,
      );
    }
    await this.#handle?.close();
    this.#handle = null;
    if (load.snapshot) {
      await this.#compactLocked();
      this.#notify(`wasmkms: state file ${this.#file} was a snapshot document; it is a state log now`);
      return true;
    }
    this.#handle = await this.#files.open(this.#file, "r+");
    this.#size = load.bytes;
    this.#compactAt = Math.max(2 * load.bytes, COMPACT_MIN_BYTES);
    return true;
  }

  // Streams the file into the core; null when there is none; a StateFileError when it cannot be loaded.
  async #read() {
    let handle;
    try {
      handle = await this.#files.open(this.#file, "r");
    } catch (error) {
      if (error.code === "ENOENT") return null;
      throw new StateFileError(cannotLoad(this.#file, READ_PROBLEMS[error.code] ?? error.message), { cause: error });
    }
    try {
      await this.#admin("StateLogLoadBegin", "");
      const buffer = Buffer.allocUnsafe(READ_PIECE);
      for (let position = 0; ; ) {
        let bytesRead;
        try {
          ({ bytesRead } = await handle.read(buffer, 0, buffer.length, position));
        } catch (error) {
          throw new StateFileError(cannotLoad(this.#file, READ_PROBLEMS[error.code] ?? error.message), {
            cause: error,
          });
        }
        if (bytesRead === 0) break;
        position += bytesRead;
        await this.#admin("StateLogLoad", buffer.subarray(0, bytesRead));
      }
      return JSON.parse(await this.#admin("StateLogLoadEnd", ""));
    } finally {
      await handle.close();
    }
  }

  // One administration call of the load; a refusal is the file's StateFileError.
  async #admin(target, body) {
    let answer;
    try {
      answer = await this.#world.call(ADMIN_CALLER, `WasmKMS.${target}`, body);
    } catch (error) {
      throw new StateFileError(cannotLoad(this.#file, `the module failed on it: ${error?.message ?? error}`), {
        cause: error,
      });
    }
    if (answer.status !== 200) throw new StateFileError(cannotLoad(this.#file, messageOf(answer.body)));
    return answer.body;
  }
}

// The core's refusal's message ("Invalid state: ...").
function messageOf(body) {
  try {
    return JSON.parse(body).message ?? body;
  } catch {
    return body;
  }
}
