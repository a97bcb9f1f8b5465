// The JS host's ABI numbers (js/core/module.mjs) are internal/abi's, the one place that holds them:
// internal/abi/testdata/abi-vectors.json is written from that Go package (and checked against it by
// its test), and this test fails when module.mjs says otherwise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import {
  ABI_VERSION,
  ABSENT_FIELD,
  ABI_ERRORS,
  MAX_ALLOCATION,
  STATE_CHANGED,
  STATE_RECORD_AT,
  STATE_RECORD_LENGTH,
  STATE_LOG_OUTGROWN,
  STATE_RECORD_TAKEN,
  STATE_USAGE_WAITING,
} from "../../js/core/module.mjs";

const vectors = JSON.parse(
  readFileSync(new URL("../../internal/abi/testdata/abi-vectors.json", import.meta.url), "utf8"),
);

test("the ABI version is internal/abi's", () => {
  assert.equal(ABI_VERSION, vectors.abiVersion);
});

test("the absent direct field length is internal/abi's", () => {
  assert.equal(ABSENT_FIELD, vectors.absentField);
});

test("the largest allocation is internal/abi's", () => {
  assert.equal(MAX_ALLOCATION, vectors.maxAllocation);
});

test("the state flags are internal/abi's", () => {
  assert.deepEqual(
    {
      changed: STATE_CHANGED,
      usageWaiting: STATE_USAGE_WAITING,
      recordTaken: STATE_RECORD_TAKEN,
      logOutgrown: STATE_LOG_OUTGROWN,
    },
    vectors.stateFlags,
  );
  assert.deepEqual({ recordAt: STATE_RECORD_AT, recordLength: STATE_RECORD_LENGTH }, vectors.stateArea);
});

test("the ABI error codes are internal/abi's, each explained", () => {
  const codes = (map) =>
    Object.keys(map)
      .map(Number)
      .sort((a, b) => b - a);
  assert.deepEqual(
    codes(ABI_ERRORS),
    vectors.errors.map((e) => e.value).sort((a, b) => b - a),
  );
  for (const { name, value } of vectors.errors) {
    assert.ok(
      typeof ABI_ERRORS[value] === "string" && ABI_ERRORS[value] !== "",
      `${name} (${value}) has no explanation`,
    );
  }
});
