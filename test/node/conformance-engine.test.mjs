// The JS conformance runner against the vectors the Go runner also passes
// (internal/conformance/testdata/engine-vectors.json), plus proofs that a wrong answer fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

import {
  defaultCaller,
  equalJSON,
  formatFailures,
  matchValue,
  runScenario,
  sdkExpressible,
  substituteString,
  validateScenario,
} from "../lib/conformance.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const vectors = JSON.parse(readFileSync(`${root}internal/conformance/testdata/engine-vectors.json`, "utf8"));
const scenarioDir = `${root}testdata/conformance/`;

test("substitution vectors", () => {
  assert.ok(vectors.substitution.length > 20);
  for (const v of vectors.substitution) {
    const label = `${v.in} with ${JSON.stringify(v.vars ?? {})}`;
    if (v.error) {
      assert.throws(() => substituteString(v.in, v.vars ?? {}), undefined, label);
    } else {
      const got = substituteString(v.in, v.vars ?? {});
      assert.ok(equalJSON(v.out, got), `${label}: want ${JSON.stringify(v.out)}, got ${JSON.stringify(got)}`);
    }
  }
});

test("match vectors", () => {
  assert.ok(vectors.match.length > 50);
  for (const v of vectors.match) {
    // Matched as an object member, the way every expected value is reached (as the Go test does).
    const got = v.gotAbsent ? {} : { v: v.got };
    const problems = matchValue("output", { v: v.expected }, got, true, v.vars ?? {});
    assert.equal(problems.length === 0, v.ok, `${JSON.stringify(v)}: ${problems.join("; ")}`);
  }
});

test("step vectors", async () => {
  assert.ok(vectors.steps.length > 20);
  for (const v of vectors.steps) {
    let sent;
    let calls = 0;
    const call = async (req) => {
      sent = req;
      calls++;
      return { status: v.answer.status, body: v.answer.bodyText ?? v.answer.body };
    };
    const vars = structuredClone(v.vars ?? {});
    const res = await runScenario({ steps: [v.step] }, call, { file: "vector.json", vars });
    assert.equal(res.failed === 0, v.ok, `${v.name}: ${formatFailures(res)}`);
    assert.equal(res.passed + res.failed, 1, v.name);
    if (!v.ok) {
      assert.equal(res.failures[0].file, "vector.json");
      assert.equal(res.failures[0].step, 0);
      assert.ok(res.failures[0].message.length > 0);
    }
    if (v.sent) {
      if (v.sent.target !== undefined) assert.equal(sent.target, v.sent.target, v.name);
      if (v.sent.body !== undefined) assert.equal(sent.body, v.sent.body, v.name);
      if (v.sent.caller !== undefined) assert.deepEqual(sent.caller, v.sent.caller, v.name);
    }
    for (const [k, want] of Object.entries(v.saved ?? {})) {
      assert.ok(
        equalJSON(want, vars[k]),
        `${v.name}: saved ${k}: want ${JSON.stringify(want)}, got ${JSON.stringify(vars[k])}`,
      );
    }
    const sdkCallsBefore = calls;
    const sdk = await runScenario({ steps: [v.step] }, call, { sdk: true, vars: structuredClone(v.vars ?? {}) });
    assert.equal(sdk.skipped === 1, Boolean(v.sdkSkip), `${v.name}: SDK-level skip`);
    if (v.sdkSkip) assert.equal(calls, sdkCallsBefore, `${v.name}: a skipped step is not sent`);
  }
});

const twoSteps = {
  description: "create a key, then encrypt with it",
  steps: [
    {
      name: "create",
      op: "CreateKey",
      expect: { output: { KeyMetadata: { KeyState: "Enabled" } } },
      save: { arn: "KeyMetadata.Arn" },
    },
    {
      name: "encrypt",
      op: "Encrypt",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${...} is the scenario format's placeholder, not JS's
      request: { KeyId: "${arn}", Plaintext: "${bytes:4}" },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: as above
      expect: { output: { KeyId: "${arn}", CiphertextBlob: "@base64", EncryptionAlgorithm: "SYMMETRIC_DEFAULT" } },
    },
  ],
};

function fakeService({ wrongKeyId = false } = {}) {
  const arn = "arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
  return async ({ target, op, request, body }) => {
    if (op === "CreateKey") return { status: 200, body: { KeyMetadata: { Arn: arn, KeyState: "Enabled" } } };
    if (target === "TrentService.Encrypt") {
      assert.equal(body, JSON.stringify(request));
      if (request.KeyId !== arn) return { status: 400, body: { __type: "NotFoundException", message: "bad key" } };
      const keyId = wrongKeyId ? arn.replace("0f1e", "ffff") : arn;
      // A wire-level host may hand back the body text: the runner parses it.
      return {
        status: 200,
        body: JSON.stringify({ KeyId: keyId, CiphertextBlob: "AQICAHg=", EncryptionAlgorithm: "SYMMETRIC_DEFAULT" }),
      };
    }
    return { status: 400, body: { __type: "UnknownOperationException" } };
  };
}

test("a right answer passes and a wrong one fails, naming file, step and expected vs got", async () => {
  const good = await runScenario(twoSteps, fakeService(), { file: "two-steps.json" });
  assert.deepEqual(good, { passed: 2, failed: 0, skipped: 0, failures: [] });

  const bad = await runScenario(twoSteps, fakeService({ wrongKeyId: true }), { file: "two-steps.json" });
  assert.equal(bad.passed, 1);
  assert.equal(bad.failed, 1);
  const text = formatFailures(bad);
  for (const want of ["two-steps.json", "step #1", '"encrypt"', "output.KeyId", "expected", "ffff", "got 200"]) {
    assert.ok(text.includes(want), `${want} missing from: ${text}`);
  }
});

test("a failed save fails the steps that need it", async () => {
  const res = await runScenario(twoSteps, async () => ({ status: 400, body: { __type: "UnknownOperationException" } }));
  assert.equal(res.failed, 2);
  assert.match(res.failures[1].message, /variable "arn" is not saved/);
});

test("a call that throws is a failure, not a crash", async () => {
  const res = await runScenario(twoSteps, async () => {
    throw new Error("instance is dead");
  });
  assert.equal(res.failed, 2);
  assert.match(res.failures[0].message, /instance is dead/);
});

test("@epoch is within one day of now", () => {
  const now = 1_800_000_000;
  for (const [got, ok] of [
    [1800000000, true],
    [1800000000.123, true],
    [1799913601, true],
    [1800086399, true],
    [1799913599, false],
    [1800086401, false],
  ]) {
    assert.equal(matchValue("v", "@epoch", got, true, {}, now).length === 0, ok, String(got));
  }
});

test("malformed scenarios are rejected, naming the file and step", () => {
  for (const [scenario, want] of [
    [[], /JSON object/],
    [{ steps: [] }, /non-empty/],
    [{ step: [{ op: "X", expect: {} }] }, /unknown member "step"/],
    [{ steps: [{ op: "X", expects: {} }] }, /unknown member "expects"/],
    [{ steps: [{ op: "X" }] }, /expect is required/],
    [{ steps: [{ op: "X", target: "T.X", expect: {} }] }, /exactly one of op and target/],
    [{ steps: [{ expect: {} }] }, /exactly one of op and target/],
    [{ steps: [{ op: "X", request: {}, rawBody: "{}", expect: {} }] }, /exclusive/],
    [{ steps: [{ op: "X", request: "{}", expect: {} }] }, /request must be an object/],
    [{ steps: [{ op: "X", expect: { error: { type: "T" }, output: {} } }] }, /exclusive/],
    [{ steps: [{ op: "X", expect: { error: { message: "m" } } }] }, /error.type/],
    [{ steps: [{ op: "X", expect: { outptu: {} } }] }, /unknown member "outptu"/],
    [{ steps: [{ op: "X", expect: { error: { type: "T", msg: "m" } } }] }, /unknown member "msg"/],
    [{ steps: [{ op: "X", expect: { status: "400" } }] }, /status/],
    [{ steps: [{ op: "X", expect: { exactKeys: true } }] }, /exactKeys needs output/],
    [{ steps: [{ op: "X", caller: { acount: "1" }, expect: {} }] }, /unknown member "acount"/],
    [{ steps: [{ op: "X", expect: {}, save: { "a b": "x" } }] }, /save/],
    [{ steps: [{ op: "X", sdk: "no", expect: {} }] }, /sdk must be a boolean/],
  ]) {
    assert.throws(
      () => validateScenario(scenario, "bad.json"),
      (e) => want.test(e.message) && e.message.includes("bad.json"),
    );
  }
});

test("defaultCaller fills the absent members as the Go runner does", () => {
  assert.deepEqual(defaultCaller(), {
    account: "111122223333",
    region: "us-east-1",
    principal: "arn:aws:iam::111122223333:root",
  });
  assert.deepEqual(defaultCaller({ region: "cn-northwest-1" }), {
    account: "111122223333",
    region: "cn-northwest-1",
    principal: "arn:aws-cn:iam::111122223333:root",
  });
  assert.deepEqual(defaultCaller({ account: "444455556666", region: "us-gov-east-1" }), {
    account: "444455556666",
    region: "us-gov-east-1",
    principal: "arn:aws-us-gov:iam::444455556666:root",
  });
  assert.deepEqual(defaultCaller({ principal: "arn:aws:iam::111122223333:user/x" }), {
    account: "111122223333",
    region: "us-east-1",
    principal: "arn:aws:iam::111122223333:user/x",
  });
});

test("every shared scenario file is well formed", () => {
  const files = readdirSync(scenarioDir)
    .filter((f) => f.endsWith(".json"))
    .sort();
  assert.ok(files.length > 0);
  let steps = 0;
  let sdkSteps = 0;
  for (const f of files) {
    const sc = JSON.parse(readFileSync(scenarioDir + f, "utf8"));
    validateScenario(sc, f);
    assert.ok(sc.description, `${f} has a description`);
    steps += sc.steps.length;
    sdkSteps += sc.steps.filter(sdkExpressible).length;
  }
  assert.ok(sdkSteps > 0);
  console.log(`# ${files.length} scenario files, ${steps} steps (${sdkSteps} SDK-expressible)`);
});
