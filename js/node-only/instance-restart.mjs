// The endpoint's world after a trap (Node only). When the module instance traps, every world in it is
// lost (js/core/world.mjs), and an endpoint left as it is would answer 500 to everything until someone
// restarted it. RestartingWorld stands between the endpoint and its world: the call that finds the
// instance dead restarts it (the world reset onto a fresh instance, then put back by `restore`, from
// the state file when there is one), says so through `notify`, and the calls that come meanwhile wait
// for it. Acknowledged changes survive because the endpoint acknowledges a change only once the state
// file holds it; without a state file there is nothing to put back, and the notice says the world
// came back empty. The same way puts the world back when a write of its state file failed (rebuild):
// its changes not yet on disk are undone.

const ADMIN_CALLER = { account: "", region: "", principal: "" };

export class RestartingWorld {
  #world;
  #restore;
  #notify;
  #describeRestore;
  #restarting = null; // Promise of the restart under way
  #broken = null; // why the last restart failed: every call tries again, and fails with it
  /** generation counts the instances the world has been on; it moves when a restart starts. */
  generation = 0;
  /** restarts: how many times the instance was restarted after a trap. */
  restarts = 0;

  /**
   * @param {object} world the World served (its reset() moves it onto a fresh instance)
   * @param {object} options
   * @param {() => Promise<void>} options.restore puts the world back once reset (loads the state file)
   * @param {string} options.describeRestore what restore brings back, for the notices
   * @param {(line: string) => void} options.notify takes one line per event
   */
  constructor(world, { restore, describeRestore, notify }) {
    this.#world = world;
    this.#restore = restore;
    this.#describeRestore = describeRestore;
    this.#notify = notify;
  }

  /** healthy: no restart under way or failed; the world holds what the state file holds. */
  get healthy() {
    return this.#restarting === null && this.#broken === null;
  }

  /**
   * call is the world's call. A call that meets a dead instance (it trapped in this call or before)
   * waits for the restart and runs once more on the world put back: what it did on the dead instance
   * died with it, unsaved. The answer's `generation` says which instance answered.
   */
  async call(caller, target, body) {
    for (let attempt = 0; ; attempt++) {
      await this.#ready();
      const generation = this.generation;
      try {
        const answer = await this.#world.call(caller, target, body);
        answer.generation = generation;
        return answer;
      } catch (error) {
        if (!(await this.#diedSince(generation))) throw error;
        const restarted = this.#restart(error); // a second death too: the next call finds it restarted
        if (attempt > 0) throw error;
        await restarted;
      }
    }
  }

  // Waits for a restart under way; after a failed one, tries again, and throws if it fails again.
  async #ready() {
    if (this.#restarting !== null) await this.#restarting;
    if (this.#broken === null) return;
    await this.#restart(this.#broken);
    if (this.#broken !== null) {
      throw new Error(`the world could not be put back after its module instance died: ${this.#broken.message}`);
    }
  }

  /**
   * rebuild puts the world back now, by `restore`, for a reason other than a trap (`why`, for the
   * notices): a fresh instance, the world loaded again, the calls that come meanwhile waiting, and those
   * made before seeing another `generation`. A restart already under way does it instead.
   */
  rebuild(why, restore) {
    return this.#restart(null, { why, restore });
  }

  /** reset is the world's reset() (POST /_wasmkms/reset): a fresh instance, so nothing is broken any more. */
  reset() {
    this.#world.reset();
    this.#broken = null;
  }

  // A call can fail for reasons of its own (a refused fresh RSA key); the instance is dead when a
  // restart has begun since the call began, or when even the cheapest administration call fails too. A
  // world that cannot be reset is never restarted.
  async #diedSince(generation) {
    if (typeof this.#world.reset !== "function") return false;
    if (this.generation !== generation || this.#restarting !== null) return true;
    try {
      await this.#world.call(ADMIN_CALLER, "WasmKMS.GetClock", "");
      return false;
    } catch {
      return true;
    }
  }

  #restart(cause, { why, restore = this.#restore } = {}) {
    this.#restarting ??= (async () => {
      this.generation++;
      const retry = this.#broken !== null;
      if (!retry) {
        this.#notify(
          why === undefined
            ? `wasmkms: the module instance died (${oneLine(cause?.message ?? cause)}); restarting it`
            : `wasmkms: ${oneLine(why)}`,
        );
      }
      try {
        this.#world.reset();
        await restore();
        this.#broken = null;
        if (why === undefined) this.restarts++;
        this.#notify(`wasmkms: restarted the module instance: ${this.#describeRestore}`);
      } catch (error) {
        this.#broken = error;
        if (!retry) {
          this.#notify(
            `wasmkms: could not restart the module instance: ${oneLine(error?.message ?? error)}; every call fails until it can`,
          );
        }
      } finally {
        this.#restarting = null;
      }
    })();
    return this.#restarting;
  }
}

function oneLine(text) {
  return String(text).replace(/\s*\n\s*/g, " ");
}
