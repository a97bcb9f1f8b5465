// A middleware stack with the SDK's semantics (@smithy's constructStack): steps run outermost first in
// the order initialize, serialize, build, finalizeRequest, deserialize; within a step, priority high,
// normal, low, then the order of adding; addRelativeTo places a middleware before or after a named one;
// names (and aliases) are unique unless `override` replaces an entry of the same step and priority.

const STEP_WEIGHTS = { initialize: 5, serialize: 4, build: 3, finalizeRequest: 2, deserialize: 1 };
const PRIORITY_WEIGHTS = { high: 3, normal: 2, low: 1 };

/**
 * A stack's count of changes, for the client's fast path: a send whose stacks hold nothing but the
 * package's own middleware skips building the chain (see command-handler.mjs). Not part of the SDK's API.
 */
export const STACK_GENERATION = Symbol("wasmkms.stackGeneration");

/**
 * Set by KMSClient on its resolved config: its own stack as constructed (`stack`, its `generation`
 * then, and the no-op `logger`). A send through that stack unchanged takes the direct path.
 */
export const PRISTINE_STACK = Symbol("wasmkms.pristineStack");

const namesOf = (entry) => [...(entry.name ? [entry.name] : []), ...(entry.aliases ?? [])];
const describe = (name, aliases) => `${name || "anonymous"}${aliases?.length ? ` (a.k.a. ${aliases.join(",")})` : ""}`;

export function constructStack() {
  let absolute = [];
  let relative = [];
  let identifyOnResolve = false;
  let generation = 0;
  const names = new Set();

  const claimNames = (entry, existing, conflicts) => {
    const aliases = namesOf(entry);
    if (aliases.some((alias) => names.has(alias))) {
      if (!entry.override) throw new Error(`Duplicate middleware name '${describe(entry.name, entry.aliases)}'`);
      for (const alias of aliases) {
        const index = existing().findIndex((e) => namesOf(e).includes(alias));
        if (index === -1) continue;
        const replaced = existing()[index];
        const problem = conflicts(replaced);
        if (problem) throw new Error(problem);
        existing().splice(index, 1);
      }
    }
    for (const alias of aliases) names.add(alias);
  };

  const removeWhere = (predicate) => {
    let removed = false;
    generation++;
    const keep = (entry) => {
      if (!predicate(entry)) return true;
      removed = true;
      for (const alias of namesOf(entry)) names.delete(alias);
      return false;
    };
    absolute = absolute.filter(keep);
    relative = relative.filter(keep);
    return removed;
  };

  const expand = (entry) => [...entry.before.flatMap(expand), entry, ...[...entry.after].reverse().flatMap(expand)];

  const orderedEntries = (lenient = false) => {
    const byName = {};
    const normalize = (entry) => {
      const normalized = { ...entry, before: [], after: [] };
      for (const alias of namesOf(normalized)) byName[alias] = normalized;
      return normalized;
    };
    const abs = absolute.map(normalize);
    const rel = relative.map(normalize);
    for (const entry of rel) {
      const target = byName[entry.toMiddleware];
      if (target === undefined) {
        if (lenient) continue;
        throw new Error(
          `${entry.toMiddleware} is not found when adding ${describe(entry.name, entry.aliases)} ` +
            `middleware ${entry.relation} ${entry.toMiddleware}`,
        );
      }
      (entry.relation === "after" ? target.after : target.before).push(entry);
    }
    abs.sort(
      (a, b) =>
        STEP_WEIGHTS[b.step] - STEP_WEIGHTS[a.step] ||
        PRIORITY_WEIGHTS[b.priority || "normal"] - PRIORITY_WEIGHTS[a.priority || "normal"],
    );
    return abs.flatMap(expand);
  };

  const cloneTo = (to) => {
    for (const entry of absolute) to.add(entry.middleware, { ...entry });
    for (const entry of relative) to.addRelativeTo(entry.middleware, { ...entry });
    to.identifyOnResolve?.(stack.identifyOnResolve());
    return to;
  };

  const stack = {
    add(middleware, options = {}) {
      generation++;
      const entry = { step: "initialize", priority: "normal", middleware, ...options };
      claimNames(
        entry,
        () => absolute,
        (old) =>
          old.step !== entry.step || old.priority !== entry.priority
            ? `"${describe(old.name, old.aliases)}" middleware with ${old.priority} priority in ${old.step} step cannot ` +
              `be overridden by "${describe(entry.name, entry.aliases)}" middleware with ${entry.priority} priority in ` +
              `${entry.step} step.`
            : null,
      );
      absolute.push(entry);
    },
    addRelativeTo(middleware, options) {
      generation++;
      const entry = { middleware, ...options };
      claimNames(
        entry,
        () => relative,
        (old) =>
          old.toMiddleware !== entry.toMiddleware || old.relation !== entry.relation
            ? `"${describe(old.name, old.aliases)}" middleware ${old.relation} "${old.toMiddleware}" middleware cannot ` +
              `be overridden by "${describe(entry.name, entry.aliases)}" middleware ${entry.relation} ` +
              `"${entry.toMiddleware}" middleware.`
            : null,
      );
      relative.push(entry);
    },
    clone: () => cloneTo(constructStack()),
    use(plugin) {
      plugin.applyToStack(stack);
    },
    remove(toRemove) {
      return typeof toRemove === "string"
        ? removeWhere((entry) => namesOf(entry).includes(toRemove))
        : removeWhere((entry) => entry.middleware === toRemove);
    },
    removeByTag: (tag) => removeWhere((entry) => entry.tags?.includes(tag) ?? false),
    concat(from) {
      const cloned = cloneTo(constructStack());
      cloned.use(from);
      cloned.identifyOnResolve(
        identifyOnResolve || cloned.identifyOnResolve() || (from.identifyOnResolve?.() ?? false),
      );
      return cloned;
    },
    applyToStack: (to) => cloneTo(to),
    identify: () =>
      orderedEntries(true).map(
        (entry) =>
          `${describe(entry.name, entry.aliases)} - ${entry.step ?? `${entry.relation} ${entry.toMiddleware}`}`,
      ),
    identifyOnResolve(toggle) {
      if (typeof toggle === "boolean") {
        identifyOnResolve = toggle;
        generation++;
      }
      return identifyOnResolve;
    },
    resolve(handler, context) {
      const entries = orderedEntries();
      for (let i = entries.length - 1; i >= 0; i--) handler = entries[i].middleware(handler, context);
      if (identifyOnResolve) console.log(stack.identify());
      return handler;
    },
  };
  Object.defineProperty(stack, STACK_GENERATION, { get: () => generation });
  return stack;
}
