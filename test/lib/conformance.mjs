// The JS runner of the shared conformance scenarios (testdata/conformance/*.json; format in
// testdata/conformance/README.md). Pure ESM with no runtime-specific import: Node, Chromium, Deno and
// workerd load this same file. It implements exactly what the Go runner (internal/conformance) does;
// both are checked against internal/conformance/testdata/engine-vectors.json.
//
//   const result = await runScenario(scenario, call, { sdk: true });
//   // call({ caller, target, op, request, rawBody, body }) -> Promise<{ status, body }>
//   //   caller:  { account, region, principal } with the defaults filled in
//   //   target:  "TrentService.<op>" or the step's raw target; op: the operation name (undefined for a raw target)
//   //   request: the substituted request object (SDK-level hosts build a command input from it)
//   //   rawBody: the step's raw body string, if any; body: the exact wire body string (rawBody or the JSON request)
//   //   answer:  status (HTTP status) and body (the JSON answer: an object, or its text)
//   // result: { passed, failed, skipped, failures: [{ file, step, name, message }] }

export const DEFAULT_ACCOUNT = "111122223333";
export const DEFAULT_REGION = "us-east-1";

/** The ARN partition of a region: aws-cn for cn-*, aws-us-gov for us-gov-*, else aws. */
export function partition(region) {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** Fills the absent members of a step's caller, as the Go runner's DefaultCaller does. */
export function defaultCaller(caller = {}) {
  const account = caller.account || DEFAULT_ACCOUNT;
  const region = caller.region || DEFAULT_REGION;
  const principal = caller.principal || `arn:${partition(region)}:iam::${account}:root`;
  return { account, region, principal };
}

/** Whether an SDK-level host can send this step (README: `sdk`, `rawBody`, `target`). */
export function sdkExpressible(step) {
  return step.sdk !== false && step.rawBody === undefined && step.target === undefined;
}

// ---------------------------------------------------------------------------------------------
// Scenario validation: strict, so that a typo ("expects") cannot turn a check into no check.

const STEP_MEMBERS = ["name", "caller", "op", "target", "request", "rawBody", "sdk", "expect", "save"];
const EXPECT_MEMBERS = ["status", "error", "output", "exactKeys"];
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function onlyMembers(obj, allowed) {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw new Error(`unknown member "${k}" (allowed: ${allowed.join(", ")})`);
  }
}

function optString(obj, name) {
  if (obj[name] !== undefined && typeof obj[name] !== "string") throw new Error(`${name} must be a string`);
}

function validateStep(step) {
  if (!isObject(step)) throw new Error("a step is a JSON object");
  onlyMembers(step, STEP_MEMBERS);
  for (const n of ["name", "op", "target"]) optString(step, n);
  if (!step.op === !step.target) throw new Error("exactly one of op and target is required");
  if (step.caller !== undefined) {
    if (!isObject(step.caller)) throw new Error("caller must be an object");
    try {
      onlyMembers(step.caller, ["account", "region", "principal"]);
      for (const n of ["account", "region", "principal"]) optString(step.caller, n);
    } catch (e) {
      throw new Error(`caller: ${e.message}`);
    }
  }
  if (step.request !== undefined && !isObject(step.request)) throw new Error("request must be an object");
  if (step.rawBody !== undefined) {
    if (typeof step.rawBody !== "string") throw new Error("rawBody must be a string");
    if (step.request !== undefined) throw new Error("request and rawBody are exclusive");
  }
  if (step.sdk !== undefined && typeof step.sdk !== "boolean") throw new Error("sdk must be a boolean");
  if (step.expect === undefined) throw new Error("expect is required");
  try {
    validateExpect(step.expect);
  } catch (e) {
    throw new Error(`expect: ${e.message}`);
  }
  if (step.save !== undefined) {
    if (!isObject(step.save)) throw new Error("save must be an object");
    for (const [k, p] of Object.entries(step.save)) {
      if (typeof p !== "string" || p === "" || !VAR_NAME.test(k)) {
        throw new Error(`save: "${k}" must be a variable name mapped to a non-empty path`);
      }
    }
  }
}

function validateExpect(e) {
  if (!isObject(e)) throw new Error("must be an object");
  onlyMembers(e, EXPECT_MEMBERS);
  if (e.status !== undefined && !(Number.isInteger(e.status) && e.status >= 100 && e.status <= 599)) {
    throw new Error("status must be an HTTP status number");
  }
  if (e.error !== undefined) {
    if (!isObject(e.error)) throw new Error("error must be an object");
    try {
      onlyMembers(e.error, ["type", "message"]);
    } catch (err) {
      throw new Error(`error: ${err.message}`);
    }
    if (typeof e.error.type !== "string" || e.error.type === "")
      throw new Error("error.type must be a non-empty string");
    if (e.error.message !== undefined && typeof e.error.message !== "string")
      throw new Error("error.message must be a string");
  }
  if (e.output !== undefined && !isObject(e.output)) throw new Error("output must be an object");
  if (e.error !== undefined && e.output !== undefined) throw new Error("error and output are exclusive");
  if (e.exactKeys !== undefined) {
    if (typeof e.exactKeys !== "boolean") throw new Error("exactKeys must be a boolean");
    if (e.exactKeys && e.output === undefined) throw new Error("exactKeys needs output");
  }
}

/** Throws an Error naming the file and step when the scenario does not follow the README's format. */
export function validateScenario(scenario, file = scenario?.file ?? "scenario") {
  if (!isObject(scenario)) throw new Error(`${file}: a scenario is a JSON object`);
  try {
    onlyMembers(scenario, ["description", "steps", "file"]);
  } catch (e) {
    throw new Error(`${file}: ${e.message}`);
  }
  if (scenario.description !== undefined && typeof scenario.description !== "string") {
    throw new Error(`${file}: description must be a string`);
  }
  if (!Array.isArray(scenario.steps) || scenario.steps.length === 0) {
    throw new Error(`${file}: steps must be a non-empty array`);
  }
  scenario.steps.forEach((step, i) => {
    try {
      validateStep(step);
    } catch (e) {
      throw new Error(`${file}: step #${i}: ${e.message}`);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Base64 (standard alphabet, padded), strict on decode: canonical form only, as Go's Strict decoder.

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function base64Encode(bytes) {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  if (bytes.length - i === 1) {
    const n = bytes[i] << 16;
    out += `${B64[n >> 18]}${B64[(n >> 12) & 63]}==`;
  } else if (bytes.length - i === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += `${B64[n >> 18]}${B64[(n >> 12) & 63]}${B64[(n >> 6) & 63]}=`;
  }
  return out;
}

/** Decodes canonical standard base64; returns null for anything else. */
export function base64DecodeStrict(s) {
  if (typeof s !== "string" || !B64_RE.test(s)) return null;
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const c = [0, 1, 2, 3].map((j) => (s[i + j] === "=" ? 0 : B64.indexOf(s[i + j])));
    const n = (c[0] << 18) | (c[1] << 12) | (c[2] << 6) | c[3];
    const group = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
    const take = i + 4 === s.length ? 3 - pad : 3;
    // Padding bits must be zero (non-canonical encodings are rejected).
    if (take < 3 && group.slice(take).some((b) => b !== 0)) return null;
    for (let j = 0; j < take; j++) out[o++] = group[j];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Substitution.

const MAX_COUNT = 1 << 20;
const COUNT_RE = /^[0-9]+$/;
const DECIMAL_RE = /^-?[0-9]+$/;

function parseCount(s) {
  if (!COUNT_RE.test(s)) throw new Error(`"${s}" is not a non-negative integer`);
  const n = Number(s);
  if (n > MAX_COUNT) throw new Error(`"${s}" is larger than ${MAX_COUNT}`);
  return n;
}

function lookupVar(name, vars) {
  if (!Object.hasOwn(vars, name)) {
    throw new Error(`variable "${name}" is not saved (did an earlier step fail?)`);
  }
  return vars[name];
}

const asText = (v) => (typeof v === "string" ? v : JSON.stringify(v));

function expand(expr, vars) {
  const colon = expr.indexOf(":");
  if (colon < 0) {
    if (!VAR_NAME.test(expr)) throw new Error(`bad substitution \${${expr}}`);
    return asText(lookupVar(expr, vars));
  }
  const fn = expr.slice(0, colon);
  const arg = expr.slice(colon + 1);
  switch (fn) {
    case "bytes": {
      const n = parseCount(arg);
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = i % 256;
      return base64Encode(b);
    }
    case "utf8":
      return base64Encode(new TextEncoder().encode(arg));
    case "repeat": {
      const cp = arg.codePointAt(0);
      const c = cp === undefined ? "" : String.fromCodePoint(cp);
      if (c === "" || arg.length <= c.length || arg[c.length] !== ":") {
        throw new Error(`\${repeat:${arg}}: want \${repeat:C:N}`);
      }
      return c.repeat(parseCount(arg.slice(c.length + 1)));
    }
    case "flip": {
      const at = arg.lastIndexOf(":");
      const name = at < 0 ? arg : arg.slice(0, at);
      if (at < 0 || !VAR_NAME.test(name)) throw new Error(`\${flip:${arg}}: want \${flip:VAR:I}`);
      const idxText = arg.slice(at + 1);
      if (!DECIMAL_RE.test(idxText)) throw new Error(`\${flip:${arg}}: bad index`);
      let idx = Number(idxText);
      const raw = base64DecodeStrict(lookupVar(name, vars));
      if (raw === null) throw new Error(`\${flip:${arg}}: variable "${name}" does not hold base64`);
      if (idx < 0) idx += raw.length;
      if (idx < 0 || idx >= raw.length) throw new Error(`\${flip:${arg}}: index out of range for ${raw.length} bytes`);
      raw[idx] ^= 0x01;
      return base64Encode(raw);
    }
  }
  throw new Error(`unknown substitution \${${expr}}`);
}

/**
 * Expands every ${...} of s. A string that is exactly "${var}" becomes the saved value with its JSON
 * type; elsewhere a non-string value is inserted as its JSON text. Throws on an unknown variable.
 */
export function substituteString(s, vars = {}) {
  if (s.startsWith("${") && s.indexOf("}") === s.length - 1) {
    const name = s.slice(2, -1);
    if (VAR_NAME.test(name)) return lookupVar(name, vars);
  }
  let out = "";
  let rest = s;
  for (;;) {
    const start = rest.indexOf("${");
    if (start < 0) return out + rest;
    const end = rest.indexOf("}", start + 2);
    if (end < 0) throw new Error(`unterminated \${ in "${s}"`);
    out += rest.slice(0, start) + expand(rest.slice(start + 2, end), vars);
    rest = rest.slice(end + 1);
  }
}

const substituteText = (s, vars) => asText(substituteString(s, vars));

/** Substitutes every string of a request (member names excluded), keeping member order. */
export function substituteValue(v, vars = {}) {
  if (typeof v === "string") return substituteString(v, vars);
  if (Array.isArray(v)) return v.map((e) => substituteValue(e, vars));
  if (isObject(v)) {
    const out = {};
    for (const [k, e] of Object.entries(v)) out[k] = substituteValue(e, vars);
    return out;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Matching.

const EPOCH_TOLERANCE_SECONDS = 24 * 60 * 60;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function jsonType(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v; // boolean, number, string, object
}

function show(v) {
  const s = v === undefined ? "undefined" : JSON.stringify(v);
  return s.length > 300 ? `${s.slice(0, 300)}...(${s.length} bytes)` : s;
}

/** Compares two JSON values: numbers by value, objects whatever their member order. */
export function equalJSON(a, b) {
  if (a === null || typeof a !== "object") return a === b;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((e, i) => equalJSON(e, b[i]));
  }
  if (!isObject(b)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && equalJSON(a[k], b[k]));
}

/**
 * Returns one line per mismatch between expected and got at path. present says whether got exists at
 * all (an absent object member).
 */
export function matchValue(path, expected, got, present, vars = {}, nowSeconds = Date.now() / 1000) {
  const fail = (msg) => [`${path}: ${msg}`];
  if (typeof expected === "string") {
    if (expected.startsWith("@") && !expected.startsWith("@@")) {
      return matchMatcher(path, expected, got, present, vars, nowSeconds);
    }
    const literal = expected.startsWith("@@") ? expected.slice(1) : expected;
    let want;
    try {
      want = substituteString(literal, vars);
    } catch (e) {
      return fail(e.message);
    }
    if (!present) return fail(`expected ${show(want)}, got nothing (member absent)`);
    return equalJSON(want, got) ? [] : fail(`expected ${show(want)}, got ${show(got)}`);
  }
  if (isObject(expected)) {
    if (!present) return fail("expected an object, got nothing (member absent)");
    if (!isObject(got)) return fail(`expected an object, got ${show(got)}`);
    return Object.entries(expected).flatMap(([k, e]) =>
      matchValue(`${path}.${k}`, e, got[k], Object.hasOwn(got, k), vars, nowSeconds),
    );
  }
  if (Array.isArray(expected)) {
    if (!present) return fail("expected an array, got nothing (member absent)");
    if (!Array.isArray(got)) return fail(`expected an array, got ${show(got)}`);
    if (got.length !== expected.length) {
      return fail(`expected ${expected.length} elements ${show(expected)}, got ${got.length} ${show(got)}`);
    }
    return expected.flatMap((e, i) => matchValue(`${path}.${i}`, e, got[i], true, vars, nowSeconds));
  }
  if (!present) return fail(`expected ${show(expected)}, got nothing (member absent)`);
  return equalJSON(expected, got) ? [] : fail(`expected ${show(expected)}, got ${show(got)}`);
}

function matchMatcher(path, exp, got, present, vars, nowSeconds) {
  const colon = exp.indexOf(":");
  const hasArg = colon >= 0;
  const name = hasArg ? exp.slice(0, colon) : exp;
  const arg = hasArg ? exp.slice(colon + 1) : "";
  const fail = (what) => [`${path}: expected ${exp}, ${what}`];
  const bad = (what) => [`${path}: ${what}`];
  if (name === "@absent" && !hasArg) return present ? fail(`got ${show(got)}`) : [];
  if (!present) return fail("got nothing (member absent)");
  const isStr = typeof got === "string";
  if (!hasArg) {
    switch (name) {
      case "@any":
        return got === null ? fail("got null") : [];
      case "@string":
      case "@number":
      case "@boolean":
      case "@array":
      case "@object":
        return jsonType(got) === name.slice(1) ? [] : fail(`got ${show(got)}`);
      case "@base64":
        return isStr && got !== "" && base64DecodeStrict(got) !== null ? [] : fail(`got ${show(got)}`);
      case "@uuid":
        return isStr && UUID_RE.test(got) ? [] : fail(`got ${show(got)}`);
      case "@epoch":
        if (typeof got !== "number") return fail(`got ${show(got)}`);
        return Math.abs(got - Math.floor(nowSeconds)) > EPOCH_TOLERANCE_SECONDS
          ? fail(`got ${show(got)}, now is ${Math.floor(nowSeconds)}`)
          : [];
    }
    return bad(`unknown matcher ${exp}`);
  }
  switch (name) {
    case "@base64len": {
      let n;
      try {
        n = parseCount(arg);
      } catch (e) {
        return bad(`bad matcher ${exp}: ${e.message}`);
      }
      const raw = isStr ? base64DecodeStrict(got) : null;
      if (raw === null) return fail(`got ${show(got)} (not base64)`);
      return raw.length === n ? [] : fail(`got ${raw.length} bytes`);
    }
    case "@prefix": {
      let prefix;
      try {
        prefix = substituteText(arg, vars);
      } catch (e) {
        return bad(e.message);
      }
      return isStr && got.startsWith(prefix) ? [] : fail(`got ${show(got)}`);
    }
    case "@regex": {
      let re;
      try {
        re = new RegExp(substituteText(arg, vars));
      } catch (e) {
        return bad(`bad matcher ${exp}: ${e.message}`);
      }
      return isStr && re.test(got) ? [] : fail(`got ${show(got)}`);
    }
  }
  return bad(`unknown matcher ${exp}`);
}

// ---------------------------------------------------------------------------------------------
// Running.

function cut(s) {
  return s.length > 600 ? `${s.slice(0, 600)}...(${s.length} bytes)` : s;
}

function lookupPath(v, path) {
  let cur = v;
  for (const seg of path.split(".")) {
    if (isObject(cur)) {
      if (!Object.hasOwn(cur, seg)) throw new Error(`path "${path}": no member "${seg}"`);
      cur = cur[seg];
    } else if (Array.isArray(cur)) {
      if (!COUNT_RE.test(seg) || Number(seg) >= cur.length) throw new Error(`path "${path}": no element "${seg}"`);
      cur = cur[Number(seg)];
    } else {
      throw new Error(`path "${path}": "${seg}" is inside a ${jsonType(cur)}`);
    }
  }
  return cur;
}

function checkAnswer(exp, status, answer, vars, nowSeconds) {
  const problems = [];
  if (exp.status !== undefined && status !== exp.status) {
    problems.push(`status: expected ${exp.status}, got ${status}`);
  } else if (exp.status === undefined && exp.error === undefined && status !== 200) {
    problems.push(`status: expected 200, got ${status}`);
  } else if (exp.status === undefined && exp.error !== undefined && !(status >= 400)) {
    problems.push(`status: expected an error status (400 or more), got ${status}`);
  }
  if (answer.parseError) return [...problems, `the answer is not JSON: ${answer.parseError}`];
  const body = answer.value;
  if (!isObject(body)) return [...problems, "the answer is not a JSON object"];
  const isError = Object.hasOwn(body, "__type");
  if (exp.error === undefined) {
    if (isError) return [...problems, `expected success, got error ${show(body.__type)}: ${show(body.message)}`];
    if (exp.output !== undefined) {
      problems.push(...matchValue("output", exp.output, body, true, vars, nowSeconds));
      if (exp.exactKeys) {
        const want = new Set(
          Object.entries(exp.output)
            .filter(([, v]) => v !== "@absent")
            .map(([k]) => k),
        );
        const extra = Object.keys(body).filter((k) => !want.has(k));
        if (extra.length > 0) problems.push(`output: exactKeys: unexpected members ${extra.join(", ")}`);
      }
    }
    return problems;
  }
  if (!isError) return [...problems, `expected error ${exp.error.type}, got success`];
  if (body.__type !== exp.error.type) {
    problems.push(`error type: expected "${exp.error.type}", got ${show(body.__type)} (message ${show(body.message)})`);
  }
  if (exp.error.message !== undefined) {
    const present = Object.hasOwn(body, "message");
    if (exp.error.message === "") {
      if (present && body.message !== null && body.message !== "") {
        problems.push(`error message: expected empty, got ${show(body.message)}`);
      }
    } else {
      problems.push(...matchValue("error message", exp.error.message, body.message, present, vars, nowSeconds));
    }
  }
  return problems;
}

function parseAnswer(body) {
  if (typeof body !== "string") return { value: body };
  try {
    return { value: JSON.parse(body) };
  } catch (e) {
    return { parseError: e.message };
  }
}

async function runStep(step, call, vars, nowSeconds) {
  const target = step.target ?? `TrentService.${step.op}`;
  let request;
  let body;
  if (step.rawBody !== undefined) {
    body = step.rawBody;
  } else {
    try {
      request = substituteValue(step.request ?? {}, vars);
    } catch (e) {
      return [`request: ${e.message}`];
    }
    body = JSON.stringify(request);
  }
  let answer;
  try {
    answer = await call({
      caller: defaultCaller(step.caller),
      target,
      op: step.op,
      request,
      rawBody: step.rawBody,
      body,
    });
  } catch (e) {
    return [`the call threw: ${e?.stack ?? e}`, `sent ${target} ${cut(body)}`];
  }
  const status = answer?.status;
  const parsed = parseAnswer(answer?.body);
  const problems = checkAnswer(step.expect, status, parsed, vars, nowSeconds);
  const answerText = () => cut(typeof answer?.body === "string" ? answer.body : show(answer?.body));
  if (problems.length > 0) {
    return [...problems, `sent ${target} ${cut(body)}`, `got ${status} ${answerText()}`];
  }
  for (const [name, path] of Object.entries(step.save ?? {})) {
    try {
      vars[name] = lookupPath(parsed.value, path);
    } catch (e) {
      return [`save ${name}: ${e.message}`, `got ${status} ${answerText()}`];
    }
  }
  return [];
}

/**
 * Runs every step of a scenario in order (a failing step does not stop it; steps that need a variable
 * it should have saved fail in turn, saying so). Options: sdk (skip the steps an SDK-level host cannot
 * express), file (named in failures; defaults to scenario.file), vars (initial variables), now (a
 * function answering epoch seconds, for @epoch). Throws when the scenario itself is malformed.
 */
export async function runScenario(scenario, call, { sdk = false, file, vars = {}, now } = {}) {
  const fileName = file ?? scenario.file ?? "scenario";
  validateScenario(scenario, fileName);
  const result = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const [index, step] of scenario.steps.entries()) {
    if (sdk && !sdkExpressible(step)) {
      result.skipped++;
      continue;
    }
    const problems = await runStep(step, call, vars, now ? now() : Date.now() / 1000);
    if (problems.length === 0) {
      result.passed++;
      continue;
    }
    result.failed++;
    result.failures.push({ file: fileName, step: index, name: step.name ?? "", message: problems.join("\n\t") });
  }
  return result;
}

/** One line per failure: "file step #i "name": message". */
export function formatFailures(result) {
  return result.failures
    .map((f) => `${f.file} step #${f.step}${f.name ? ` "${f.name}"` : ""}: ${f.message}`)
    .join("\n");
}
