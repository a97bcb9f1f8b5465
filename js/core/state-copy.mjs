// A world's state kept outside its module instance, so that a trap does not lose it (world.mjs rebuilds
// the world from it on a fresh instance). It is the core's state log (internal/kms/statelog*.go), held
// in memory as the endpoint holds it in a file (js/node-only/state-log.mjs): the world written whole
// (WasmKMS.StateLogExport), then the record of each change appended (taken by the module at the end of
// the call that made it and read out of its memory, or WasmKMS.StateLogTake), and the world written
// whole again when the module says its log is outgrown (STATE_LOG_OUTGROWN: its records replaced or
// removed more than three times what the world holds): a world that only grows (CreateKey after
// CreateKey) has nothing to compact, and is not written whole again (a writing whole of it cost more
// than its records, each key again and again); one that changes the same keys over and over stays
// within about four times its size. Records past COMPACT_BACKSTOP times the writing whole (and 64 MiB)
// write it whole too, whatever the module says (a module without the flag).
// The pieces are kept as the module answers them: the writing whole as its strings; the records as
// strings too, up to STRINGS_MAX characters, and after that as their UTF-8 bytes, back to back in
// blocks. They are sent back as they are when the world is rebuilt. (A process of a growing world
// whose records were all strings, one per key, took 10-25% more CPU in all; a process of many small
// worlds whose first records went into blocks paid some 40-60 µs more a world's first change: V8's
// work for many live ArrayBuffers.)
//
import { STATE_CHANGED, STATE_LOG_OUTGROWN, STATE_RECORD_TAKEN } from "./module.mjs";
import { utf8Decoder, utf8Encoder } from "./utf8.mjs";

// `admin(target, body)` is one administration call on the world (synchronous): the answer's body, or
// a throw. Nothing here waits: a take runs right after the call whose change it takes, before any
// other call can reach the instance (and trap it).

const EXPORT_PIECE = 1 << 20; // bytes of the world per StateLogExport
const LOAD_PIECE = 1 << 20; // about this many characters of string records per StateLogLoad when rebuilding
// Records are kept as strings up to this many characters, then as bytes in blocks: the first
// BLOCK_MIN bytes, each next one twice the last up to BLOCK_MAX (a StateLogLoad's piece when the
// world is rebuilt); a record larger than a block has one of its own.
const STRINGS_MAX = 64 << 10;
const BLOCK_MIN = 64 << 10;
const BLOCK_MAX = 1 << 20;
const COMPACT_BACKSTOP = 16; // the world is written whole once its records are this many times its writing
const COMPACT_MIN = 64 << 20; // ... and at least this many characters (a growing world: some 150,000 keys)
// Every take asks the module to take each later change at the end of the call that made it, and to
// leave its record in the state area (wasm/ABI.md, "State flags"): no call of its own after a CreateKey.
// A writing whole (an export) or a load begins the log again, without it: a take right after asks again.
const TAKE = JSON.stringify({ eachCall: true });
const TAKE_USAGE = JSON.stringify({ usage: true, eachCall: true });
// A world with last uses (or seeded draws) waiting takes them after this many calls at most: what a
// trap can lose of them (a take after each Encrypt would cost as much as the Encrypt).
const USAGE_TAKE_CALLS = 1024;

export class StateCopy {
  #whole = []; // the world written whole: the export's pieces
  #wholeLength = 0;
  #records = []; // then the records taken since: the first as strings,
  #blocks = []; // the later ones as bytes, back to back in blocks (all full but the last)
  #used = 0; // bytes of the last block that hold records
  #recordsLength = 0; // characters and bytes of records
  #usageCalls = 0; // calls since last uses began to wait for a take

  /** A copy of the world as it is now: written whole (which begins the world's log there). */
  static of(admin) {
    const copy = new StateCopy();
    copy.#writeWhole(admin);
    return copy;
  }

  /** Characters held (the whole writing and the records after it). */
  get length() {
    return this.#wholeLength + this.#recordsLength;
  }

  /**
   * afterCall keeps what the call just made changed (`flags`: the instance's state flags, nonzero):
   * the record the module took at the call's end, or a take's. Last uses wait for a change, or for
   * USAGE_TAKE_CALLS calls. It runs before anything else can run on the instance (a take that traps
   * fails the call it follows: its change is in no copy, so it was not made).
   */
  afterCall(flags, instance, admin) {
    if ((flags & STATE_RECORD_TAKEN) !== 0) {
      this.#usageCalls = 0;
      this.#keep(instance.takenRecord(), admin); // with the last uses: a change takes them too
      flags &= ~STATE_RECORD_TAKEN; // the rest is what the take left
      if (flags === 0) return;
    }
    if ((flags & STATE_LOG_OUTGROWN) !== 0) {
      this.#usageCalls = 0;
      this.#writeWhole(admin); // the world as it is now: its changes and last uses with it
      return;
    }
    const changed = (flags & STATE_CHANGED) !== 0;
    if (!changed && ++this.#usageCalls < USAGE_TAKE_CALLS) return;
    this.#usageCalls = 0;
    this.take(admin, !changed); // a change takes the last uses too
  }

  /**
   * take appends the world's changes since the last take (with its last uses and seeded draws when
   * `usage`); a world replaced as a whole (ImportState) is written whole.
   */
  take(admin, usage) {
    const body = admin("StateLogTake", usage ? TAKE_USAGE : TAKE);
    const newline = body.indexOf("\n");
    const { replaced } = JSON.parse(body.slice(0, newline));
    if (replaced) {
      this.#writeWhole(admin);
      return;
    }
    if (newline + 1 === body.length) return;
    this.#keep(body.slice(newline + 1), admin);
  }

  // Appends one record taken (a take's string, or a view of its bytes in the module's memory, which is
  // decoded or copied here); the world is written whole instead once its records are past the backstop.
  #keep(record, admin) {
    if (this.#blocks.length === 0 && this.#recordsLength + record.length <= STRINGS_MAX) {
      this.#records.push(typeof record === "string" ? record : utf8Decoder.decode(record));
    } else {
      this.#append(typeof record === "string" ? utf8Encoder.encode(record) : record);
    }
    this.#recordsLength += record.length;
    if (this.#recordsLength > Math.max(COMPACT_BACKSTOP * this.#wholeLength, COMPACT_MIN)) this.#writeWhole(admin);
  }

  // Copies a record's bytes into the last block, or a new one.
  #append(bytes) {
    const blocks = this.#blocks;
    let block = blocks.at(-1);
    if (block === undefined || block.length - this.#used < bytes.length) {
      const size = block === undefined ? BLOCK_MIN : Math.min(2 * block.length, BLOCK_MAX);
      if (block !== undefined) blocks[blocks.length - 1] = block.subarray(0, this.#used); // full: its records only
      block = new Uint8Array(Math.max(size, bytes.length));
      blocks.push(block);
      this.#used = 0;
    }
    block.set(bytes, this.#used);
    this.#used += bytes.length;
  }

  /** load puts the copy into a world just made (WasmKMS.StateLogLoad*), which replaces its state. */
  load(admin) {
    admin("StateLogLoadBegin", "");
    for (const piece of this.#whole) admin("StateLogLoad", piece);
    for (let i = 0; i < this.#records.length; ) {
      let batch = this.#records[i++];
      while (i < this.#records.length && batch.length + this.#records[i].length <= LOAD_PIECE) {
        batch += this.#records[i++];
      }
      admin("StateLogLoad", batch);
    }
    const blocks = this.#blocks; // after the strings: records are kept in order
    for (let i = 0; i < blocks.length; i++) {
      admin("StateLogLoad", i === blocks.length - 1 ? blocks[i].subarray(0, this.#used) : blocks[i]);
    }
    admin("StateLogLoadEnd", "");
    admin("StateLogTake", TAKE); // takes nothing: the load began the log
    this.#usageCalls = 0;
  }

  // The world whole, in pieces of the same export (the world cannot change between them: they run
  // one after the other, synchronously).
  #writeWhole(admin) {
    const pieces = [];
    let length = 0;
    for (let first = true; ; first = false) {
      const body = admin("StateLogExport", JSON.stringify({ first, budget: EXPORT_PIECE }));
      const newline = body.indexOf("\n");
      const { done } = JSON.parse(body.slice(0, newline));
      const piece = body.slice(newline + 1);
      pieces.push(piece);
      length += piece.length;
      if (done) break;
    }
    this.#whole = pieces;
    this.#wholeLength = length;
    this.#records = [];
    this.#blocks = [];
    this.#used = 0;
    this.#recordsLength = 0;
    admin("StateLogTake", TAKE); // takes nothing: the export began the log
  }
}
