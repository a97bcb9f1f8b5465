// The playground: wires the page to the package exactly as an application would use
// @aws-sdk/client-kms (a KMSClient per region, commands, exceptions with name and message).
import {
  KMSClient,
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  ListKeysCommand,
} from "../js/browser.mjs";
import { byteIndex, flipByte, fromBase64, hexCells, toBase64, utf8Bytes, utf8Text } from "./bytes.mjs";

const $ = (id) => document.getElementById(id);

// Which algorithms the page offers per key spec, in the order KMS lists them in GetPublicKey.
const algorithmsBySpec = {
  SYMMETRIC_DEFAULT: ["SYMMETRIC_DEFAULT"],
  RSA_2048: ["RSAES_OAEP_SHA_256", "RSAES_OAEP_SHA_1"],
  RSA_3072: ["RSAES_OAEP_SHA_256", "RSAES_OAEP_SHA_1"],
  RSA_4096: ["RSAES_OAEP_SHA_256", "RSAES_OAEP_SHA_1"],
  SM2: ["SM2PKE"],
};

const rsaHint =
  "RSA keys encrypt with OAEP (SHA-1 or SHA-256); Decrypt needs the KeyId and the algorithm. " +
  "They come from a pool of test keys so that they are instant: never protect real data with them.";
const specHints = {
  SYMMETRIC_DEFAULT: "Symmetric keys never leave KMS; ciphertext names its key, so Decrypt needs no KeyId.",
  RSA_2048: rsaHint,
  RSA_3072: rsaHint,
  RSA_4096: rsaHint,
  SM2: "SM2 keys exist only in the China regions (cn-north-1, cn-northwest-1); try another region to see KMS refuse.",
};

const clients = new Map(); // region -> KMSClient; one shared in-page KMS behind all of them
function clientFor(region) {
  if (!clients.has(region)) clients.set(region, new KMSClient({ region }));
  return clients.get(region);
}

const state = {
  keys: [], // { keyId, arn, spec, region, state }
  current: null, // the selected key
  blob: null, // Uint8Array of the ciphertext shown
  flipped: null, // index of the byte the last tamper flipped
};

/** Sends a command, logs it, and shows the outcome; resolves to the output or null on error. */
async function call(region, op, command, describe) {
  const started = performance.now();
  try {
    const output = await clientFor(region).send(command);
    log(op, region, performance.now() - started, "ok", `${output.$metadata?.httpStatusCode ?? 200}`);
    showSuccess(op, describe ? describe(output) : []);
    return output;
  } catch (err) {
    log(op, region, performance.now() - started, "error", err.name);
    showError(op, err);
    return null;
  }
}

function log(op, region, ms, kind, detail) {
  const li = document.createElement("li");
  li.className = kind;
  li.textContent = `${op} (${region}) ${ms.toFixed(1)} ms → ${detail}`;
  $("log").prepend(li);
}

function showSuccess(op, rows) {
  const box = $("result");
  box.dataset.kind = "ok";
  box.dataset.op = op;
  box.replaceChildren(para("name", `${op} succeeded`), definitionList(rows));
}

function showError(op, err) {
  const box = $("result");
  box.dataset.kind = "error";
  box.dataset.op = op;
  const rows = [
    ["name", err.name],
    ["$fault", err.$fault ?? "(none)"],
    ["HTTP status", err.$metadata?.httpStatusCode ?? "(none)"],
  ];
  const message = para("message", err.message || "(no message)");
  // KMS sends InvalidCiphertextException with no message; the AWS SDK then fills in "UnknownError".
  const note =
    err.message === "UnknownError"
      ? para("message muted", "(the service sent no message; the AWS SDK reports it as “UnknownError”)")
      : "";
  const name = para("name", `${op} failed: ${err.name}`);
  name.id = "error-name";
  name.dataset.name = err.name;
  message.id = "error-message";
  message.dataset.message = err.message ?? "";
  box.replaceChildren(name, message, note, definitionList(rows));
}

function para(className, text) {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  return p;
}

function definitionList(rows) {
  const dl = document.createElement("dl");
  for (const [term, value] of rows) {
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    dd.textContent = String(value);
    dd.dataset.term = term;
    dl.append(dt, dd);
  }
  return dl;
}

// --- keys -------------------------------------------------------------------------------------

async function createKey() {
  const region = $("region").value;
  const spec = $("key-spec").value;
  $("create-key").disabled = true;
  try {
    const output = await call(
      region,
      "CreateKey",
      new CreateKeyCommand({ KeySpec: spec, KeyUsage: "ENCRYPT_DECRYPT", Description: "playground key" }),
      (o) => [
        ["KeyId", o.KeyMetadata.KeyId],
        ["Arn", o.KeyMetadata.Arn],
        ["KeySpec", o.KeyMetadata.KeySpec],
        ["EncryptionAlgorithms", (o.KeyMetadata.EncryptionAlgorithms ?? []).join(", ")],
        ["KeyState", o.KeyMetadata.KeyState],
      ],
    );
    if (!output) return;
    const meta = output.KeyMetadata;
    const key = { keyId: meta.KeyId, arn: meta.Arn, spec: meta.KeySpec ?? spec, region, state: meta.KeyState };
    state.keys.push(key);
    select(key);
  } finally {
    $("create-key").disabled = false;
  }
}

function select(key) {
  state.current = key;
  $("selected-key").textContent = `${key.arn} (${key.spec})`;
  const algorithms = algorithmsBySpec[key.spec] ?? [];
  $("algorithm").replaceChildren(
    ...algorithms.map((a) => Object.assign(document.createElement("option"), { value: a, textContent: a })),
  );
  $("algorithm").disabled = algorithms.length < 2;
  $("context").disabled = key.spec !== "SYMMETRIC_DEFAULT";
  renderKeys();
  refreshButtons();
}

function renderKeys() {
  $("keys-table").hidden = state.keys.length === 0;
  $("keys").replaceChildren(
    ...state.keys.map((key) => {
      const tr = document.createElement("tr");
      tr.className = key === state.current ? "current" : "";
      tr.dataset.keyId = key.keyId;
      const pick = document.createElement("input");
      pick.type = "radio";
      pick.name = "key";
      pick.checked = key === state.current;
      pick.addEventListener("change", () => select(key));
      const badge = Object.assign(document.createElement("span"), {
        className: `state ${key.state}`,
        textContent: key.state,
      });
      tr.append(cell(pick), cell(key.keyId, "id", key.arn), cell(key.spec), cell(key.region), cell(badge));
      return tr;
    }),
  );
}

function cell(content, className, title) {
  const td = document.createElement("td");
  if (className) td.className = className;
  if (title) td.title = title;
  td.append(content);
  return td;
}

async function setKeyEnabled(enabled) {
  const key = state.current;
  if (!key) return;
  const Command = enabled ? EnableKeyCommand : DisableKeyCommand;
  const output = await call(key.region, enabled ? "EnableKey" : "DisableKey", new Command({ KeyId: key.keyId }), () => [
    ["KeyId", key.arn],
    ["KeyState", enabled ? "Enabled" : "Disabled"],
  ]);
  if (output) {
    key.state = enabled ? "Enabled" : "Disabled";
    renderKeys();
    refreshButtons();
  }
}

// --- encrypt / decrypt ------------------------------------------------------------------------

/** The encryption context of the text box: one key=value per line; undefined when there is none. */
function encryptionContext() {
  if ($("context").disabled) return undefined;
  const pairs = $("context")
    .value.split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const eq = line.indexOf("=");
      return eq < 0 ? [line.trim(), ""] : [line.slice(0, eq).trim(), line.slice(eq + 1).trim()];
    });
  return pairs.length ? Object.fromEntries(pairs) : undefined;
}

async function encrypt() {
  const key = state.current;
  if (!key) return;
  const algorithm = $("algorithm").value;
  const output = await call(
    key.region,
    "Encrypt",
    new EncryptCommand({
      KeyId: key.keyId,
      Plaintext: utf8Bytes($("plaintext").value),
      EncryptionContext: encryptionContext(),
      EncryptionAlgorithm: algorithm,
    }),
    (o) => [
      ["KeyId", o.KeyId],
      ["EncryptionAlgorithm", o.EncryptionAlgorithm],
      ["CiphertextBlob", `${o.CiphertextBlob.length} bytes`],
    ],
  );
  if (!output) return;
  state.flipped = null;
  showBlob(output.CiphertextBlob);
  $("blob-algorithm").textContent = output.EncryptionAlgorithm;
  $("blob-key").textContent = output.KeyId;
}

function showBlob(bytes) {
  state.blob = bytes;
  $("blob-base64").value = toBase64(bytes);
  $("blob-size").textContent = `${bytes.length} bytes`;
  const cells = hexCells(bytes);
  const pre = $("blob-hex");
  pre.replaceChildren();
  cells.forEach((hex, i) => {
    if (i > 0) pre.append(i % 16 === 0 ? "\n" : i % 4 === 0 ? "  " : " ");
    if (i === state.flipped) pre.append(Object.assign(document.createElement("mark"), { textContent: hex }));
    else pre.append(hex);
  });
  $("hex-hint").textContent = state.flipped === null ? "" : ` · byte ${state.flipped} flipped (XOR 0x01), highlighted`;
  refreshButtons();
}

/** The blob in the base64 box (the user may have pasted or edited it). */
function blobFromPage() {
  try {
    return fromBase64($("blob-base64").value);
  } catch (err) {
    showError("Decrypt", { name: "Error", message: `Page input: ${err.message}` });
    return null;
  }
}

async function decrypt() {
  const key = state.current;
  const blob = blobFromPage();
  if (!key || !blob) return;
  const symmetric = key.spec === "SYMMETRIC_DEFAULT";
  // A symmetric blob names its key; asymmetric ciphertext needs the KeyId and the algorithm.
  const input = symmetric
    ? { CiphertextBlob: blob, EncryptionContext: encryptionContext() }
    : { CiphertextBlob: blob, KeyId: key.keyId, EncryptionAlgorithm: $("algorithm").value };
  await call(key.region, "Decrypt", new DecryptCommand(input), (o) => {
    const text = utf8Text(o.Plaintext);
    return [
      ["Plaintext", text ?? `(binary) ${toBase64(o.Plaintext)}`],
      ["KeyId", o.KeyId],
      ["EncryptionAlgorithm", o.EncryptionAlgorithm],
    ];
  });
}

function tamper() {
  const blob = blobFromPage();
  if (!blob) return;
  const i = byteIndex(Number($("flip-index").value), blob.length);
  if (i === null) {
    showError("Tamper", { name: "Error", message: `Page input: byte index outside 0..${blob.length - 1}` });
    return;
  }
  state.flipped = i;
  showBlob(flipByte(blob, i));
}

function refreshButtons() {
  const key = state.current;
  $("encrypt").disabled = !key;
  $("decrypt").disabled = !key || !state.blob;
  $("tamper").disabled = !state.blob;
  $("disable-key").disabled = key?.state !== "Enabled";
  $("enable-key").disabled = key?.state !== "Disabled";
}

function showPlaintextSize() {
  $("plaintext-size").textContent = `${utf8Bytes($("plaintext").value).length} bytes of UTF-8`;
}

// --- start ------------------------------------------------------------------------------------

async function start() {
  $("create-key").addEventListener("click", createKey);
  $("encrypt").addEventListener("click", encrypt);
  $("decrypt").addEventListener("click", decrypt);
  $("tamper").addEventListener("click", tamper);
  $("disable-key").addEventListener("click", () => setKeyEnabled(false));
  $("enable-key").addEventListener("click", () => setKeyEnabled(true));
  $("plaintext").addEventListener("input", showPlaintextSize);
  $("key-spec").addEventListener("change", () => {
    const spec = $("key-spec").value;
    $("spec-hint").textContent = specHints[spec];
    if (spec === "SM2" && !$("region").value.startsWith("cn-")) $("region").value = "cn-north-1";
  });
  showPlaintextSize();

  // The module loads on the first call; a cheap ListKeys makes the page ready before the first click.
  const status = $("status");
  const started = performance.now();
  try {
    await clientFor($("region").value).send(new ListKeysCommand({}));
    status.dataset.state = "ready";
    status.textContent = `Ready: module loaded and first call answered in ${(performance.now() - started).toFixed(0)} ms`;
    $("create-key").disabled = false;
  } catch (err) {
    status.dataset.state = "error";
    status.textContent = `The module did not load: ${err.name}: ${err.message}`;
  }
  document.body.dataset.ready = status.dataset.state;
}

start();
