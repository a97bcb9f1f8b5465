// The endpoint's administration API (Node only): JSON over HTTP under /_wasmkms/, a path the AWS wire
// never uses (the SDKs POST to /). Each route is one of the core's WasmKMS.* targets
// (internal/kms/handle.go), which the KMS wire never reaches: the world's clock, faults, the call
// journal, snapshots and fixtures; and the world's reset(). The routes call the world's targets as
// they are, so a refusal is the core's own answer (status and JSON); the world itself honours latency
// faults on every KMS call (world.mjs).

import { errorBodyText } from "../core/kms-wire.mjs";
import { loadFixtures } from "./fixtures-file.mjs";

export const ADMIN_PREFIX = "/_wasmkms/";

const ADMIN_CALLER = { account: "", region: "", principal: "" };

// clock/advance takes milliseconds, or days, hours, minutes and seconds (any of them, added up).
const DURATION_UNITS_MS = { ms: 1, seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

// The journal's filter members, as GET calls takes them in its query string.
const CALL_FILTER_MEMBERS = ["operation", "keyId", "account", "region"];

/** isAdminPath says whether a request's URL belongs to the administration API. */
export function isAdminPath(url) {
  return url === "/_wasmkms" || url.startsWith(ADMIN_PREFIX) || url.startsWith("/_wasmkms?");
}

/**
 * Admin serves the routes over one world. `change(fn, { whole })` runs each request that may change the
 * world (fn), and what must follow it (the endpoint's state log writes the change, or the world whole
 * after a reset or a restore); `observe(fn)` runs one that shows the world's state (a snapshot: the
 * endpoint answers it once what it shows is on disk).
 */
export class Admin {
  #world;
  #change;
  #observe;

  constructor(world, { change = (fn) => fn(), observe = (fn) => fn() } = {}) {
    this.#world = world;
    this.#change = change;
    this.#observe = observe;
  }

  /**
   * answer(method, url, body) resolves to `{ status, text, headers? }`: the JSON answer of one
   * administration request (url as the request line has it, body the request's bytes).
   */
  async answer(method, url, body) {
    const { pathname, searchParams } = new URL(url, "http://localhost");
    const path = pathname.slice(ADMIN_PREFIX.length).replace(/\/+$/, "");
    const route = this.#route(path, searchParams, body);
    if (route === undefined) return notFound(pathname);
    const handler = route[method];
    if (handler === undefined) {
      const allow = Object.keys(route).join(", ");
      return {
        status: 405,
        text: errorBodyText(undefined, `${method} is not served on ${pathname}; ${allow} is`),
        headers: { allow },
      };
    }
    try {
      return await handler();
    } catch (error) {
      if (error instanceof BadRequest)
        return { status: 400, text: errorBodyText("ValidationException", error.message) };
      throw error;
    }
  }

  // The routes of one path: method -> handler, or undefined for a path that is not served.
  #route(path, query, body) {
    switch (path) {
      case "clock":
        return { GET: () => this.#call("GetClock") };
      case "clock/advance":
        return { POST: () => this.#changing("AdvanceClock", JSON.stringify({ ms: durationMs(jsonBody(body)) })) };
      case "clock/set":
        return { POST: () => this.#changing("SetClock", text(body)) };
      case "snapshot":
        return { GET: () => this.#observe(() => this.#call("ExportState")) };
      case "restore":
        return { POST: () => this.#changing("ImportState", text(body)) };
      case "fixtures":
        return { POST: () => this.#changing("LoadFixtures", text(body)) };
      case "faults":
        return {
          GET: () => this.#call("ListFaults"),
          POST: () => this.#call("AddFault", text(body)),
          DELETE: () => this.#call("ClearFaults"),
        };
      case "calls":
        return {
          GET: () => this.#call("Calls", JSON.stringify(callFilter(query))),
          DELETE: () => this.#call("ClearCalls"),
        };
      case "reset":
        return { POST: () => this.#reset() };
    }
    const fault = /^faults\/([^/]+)$/.exec(path);
    if (fault !== null) {
      return { DELETE: () => this.#removeFault(decodedSegment(fault[1])) };
    }
    return undefined;
  }

  async #call(target, body = "") {
    const answer = await this.#world.call(ADMIN_CALLER, `WasmKMS.${target}`, body);
    return { status: answer.status, text: answer.body };
  }

  // A target that may change the world's keys: the state file follows it.
  #changing(target, body) {
    return this.#change(() => this.#call(target, body), { whole: target === "ImportState" });
  }

  async #removeFault(id) {
    const answer = await this.#call("RemoveFault", JSON.stringify({ id }));
    // The core refuses an unknown ID; over HTTP that is a resource that is not there.
    return answer.status === 400 ? { ...answer, status: 404 } : answer;
  }

  // Back to the start: the world as createWorld made it (empty, then its fixtures; its seed's
  // sequences from their start; a manual clock at its starting instant), no faults, no journal.
  async #reset() {
    await this.#change(
      async () => {
        this.#world.reset();
        await this.#world.call(ADMIN_CALLER, "WasmKMS.GetClock", ""); // attached: its fixtures loaded
      },
      { whole: true },
    );
    return { status: 200, text: "{}" };
  }
}

/**
 * readFixtures reads a fixtures file (JSON or YAML: loadFixtures), or takes an already-parsed document
 * as it is.
 */
export async function readFixtures(fixtures) {
  return typeof fixtures === "string" ? loadFixtures(fixtures) : fixtures;
}

class BadRequest extends Error {}

function decodedSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequest(`${segment} is not a URL-encoded fault ID`);
  }
}

function notFound(pathname) {
  return {
    status: 404,
    text: errorBodyText(
      "NotFoundException",
      `${pathname} is not an administration path; they are clock, clock/advance, clock/set, snapshot, restore, fixtures, faults, faults/<id>, calls, reset under ${ADMIN_PREFIX}`,
    ),
  };
}

const decoder = new TextDecoder();

function text(body) {
  return body === undefined ? "" : decoder.decode(body);
}

function jsonBody(body) {
  try {
    return JSON.parse(text(body) || "{}");
  } catch (error) {
    throw new BadRequest(`the body is not JSON: ${error.message}`);
  }
}

// clock/advance's body as milliseconds: {"ms": n} or any of days, hours, minutes, seconds.
function durationMs(request) {
  if (request === null || typeof request !== "object" || Array.isArray(request)) {
    throw new BadRequest('clock/advance takes {"ms": n} or {"days", "hours", "minutes", "seconds"}');
  }
  let ms = 0;
  let any = false;
  for (const [member, value] of Object.entries(request)) {
    const unit = DURATION_UNITS_MS[member];
    if (unit === undefined) {
      throw new BadRequest(`clock/advance takes ms, days, hours, minutes and seconds, not ${JSON.stringify(member)}`);
    }
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new BadRequest(`clock/advance: ${member} must be a number`);
    }
    ms += value * unit;
    any = true;
  }
  if (!any) throw new BadRequest('clock/advance takes {"ms": n} or {"days", "hours", "minutes", "seconds"}');
  return ms;
}

// GET calls' query string as the journal's filter; any other parameter is a mistake worth saying.
function callFilter(query) {
  const filter = {};
  for (const [name, value] of query) {
    if (!CALL_FILTER_MEMBERS.includes(name)) {
      throw new BadRequest(`calls are filtered by ${CALL_FILTER_MEMBERS.join(", ")}, not ${JSON.stringify(name)}`);
    }
    filter[name] = value;
  }
  return filter;
}
