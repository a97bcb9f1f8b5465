// Writes js/index.d.ts: the package's TypeScript declarations. The per-operation input and output types
// are copied from @aws-sdk/client-kms's own declarations (a dev dependency), for exactly the operations
// of js/core/operations.mjs, with every type they reference; the client, command, exception and world
// declarations come from js/index-head.d.ts. `node js/build-types.mjs --check` fails when index.d.ts is
// stale (test/node/types.test.mjs runs it). It also writes js/core/enums.mjs, the enums' const objects.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { operationNames, operations } from "./core/operations.mjs";
import { modeledErrorNames } from "./core/exceptions.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const sdkTypes = join(dirname(createRequire(import.meta.url).resolve("@aws-sdk/client-kms/package.json")), "dist-types");
const stripComments = (text) => text.replace(/\/\*\*[\s\S]*?\*\//g, "").replace(/\n\s*\n/g, "\n");
const models = stripComments(readFileSync(join(sdkTypes, "models/models_0.d.ts"), "utf8"));
const enums = stripComments(readFileSync(join(sdkTypes, "models/enums.d.ts"), "utf8"));

const interfaceText = (name) => models.match(new RegExp(`export interface ${name} \\{[\\s\\S]*?\\n\\}`))?.[0];
const enumEntries = (name) => {
  const body = enums.match(new RegExp(`export declare const ${name}: \\{([\\s\\S]*?)\\};`))?.[1];
  return body && [...body.matchAll(/readonly (\w+): "([^"]+)"/g)].map((m) => [m[1], m[2]]);
};
const enumValues = (name) => enumEntries(name)?.map(([, value]) => value);
const enumNames = new Set(); // the enums the emitted types use, also emitted as const objects

const emitted = new Map(); // type name -> declaration
function include(name) {
  if (emitted.has(name)) return;
  const text = interfaceText(name);
  if (text) {
    emitted.set(name, text.replace(/^ {4}/gm, "  "));
    for (const [, ref] of text.matchAll(/:\s*(?:[^;]*?\b)?([A-Z][A-Za-z0-9]*)\b/g)) {
      if (ref !== "Record" && ref !== "Uint8Array" && ref !== "Date") include(ref);
    }
    for (const [, ref] of text.matchAll(/\b([A-Z][A-Za-z0-9]*)(?:\[\])?\s*\|/g)) {
      if (ref !== "Record" && ref !== "Uint8Array" && ref !== "Date") include(ref);
    }
    return;
  }
  const values = enumValues(name);
  if (values) {
    enumNames.add(name);
    emitted.set(name, [
      `export declare const ${name}: {`,
      ...enumEntries(name).map(([key, value]) => `  readonly ${key}: ${JSON.stringify(value)};`),
      "};",
      `export type ${name} = (typeof ${name})[keyof typeof ${name}];`,
    ].join("\n"));
  }
}

const lines = [];
for (const op of operationNames) {
  const request = `${op}Request`;
  const response = `${op}Response`;
  include(request);
  if (interfaceText(response)) include(response);
  const hasRequired = /^\s+\w+: /m.test(interfaceText(request) ?? "");
  const output = interfaceText(response) ? `${response}, MetadataBearer` : "MetadataBearer";
  lines.push(
    `export interface ${op}CommandInput extends ${request} {}`,
    `export interface ${op}CommandOutput extends ${output} {}`,
    `export declare class ${op}Command extends Command<${op}CommandInput, ${op}CommandOutput> {`,
    hasRequired ? `  constructor(input: ${op}CommandInput);` : `  constructor(...[input]: [] | [${op}CommandInput]);`,
    "}",
  );
}
for (const name of [...emitted.keys()]) if (!emitted.get(name)) emitted.delete(name);

const methods = operationNames.map((op) => {
  const method = op[0].toLowerCase() + op.slice(1);
  const optional = !/^\s+\w+: /m.test(interfaceText(`${op}Request`) ?? "");
  return [
    `  ${method}(args${optional ? "?" : ""}: ${op}CommandInput, options?: HttpHandlerOptions): Promise<${op}CommandOutput>;`,
    `  ${method}(args: ${op}CommandInput, cb: (err: any, data?: ${op}CommandOutput) => void): void;`,
    `  ${method}(args: ${op}CommandInput, options: HttpHandlerOptions, cb: (err: any, data?: ${op}CommandOutput) => void): void;`,
  ].join("\n");
});

const paginated = operationNames.filter((op) => operations[op].paginated);
const paginatorDeclarations = paginated.map((op) =>
  `export declare function paginate${op}(config: PaginationConfiguration, input: ${op}CommandInput, ...rest: any[]): Paginator<${op}CommandOutput>;`);
const paginatorMethods = paginated.map((op) =>
  `  paginate${op}(args?: ${op}CommandInput, paginationConfig?: Omit<PaginationConfiguration, "client">): Paginator<${op}CommandOutput>;`);

const exceptions = modeledErrorNames.map((name) =>
  `export declare class ${name} extends KMSServiceException {\n  readonly name: "${name}";\n  readonly $fault: "${
    ["DependencyTimeoutException", "KMSInternalException", "KeyUnavailableException"].includes(name) ? "server" : "client"
  }";\n  constructor(opts: Omit<ServiceExceptionOptions, "name" | "$fault">);\n}`);

const head = readFileSync(join(here, "index-head.d.ts"), "utf8");
const text = [
  head.trimEnd(),
  "",
  "// ---- generated by js/build-types.mjs from js/core/operations.mjs and @aws-sdk/client-kms's declarations ----",
  "",
  ...[...emitted.values()],
  "",
  ...lines,
  "",
  `export type ServiceInputTypes = ${operationNames.map((op) => `${op}CommandInput`).join(" | ")};`,
  `export type ServiceOutputTypes = ${operationNames.map((op) => `${op}CommandOutput`).join(" | ")};`,
  "",
  "/** The aggregated client: one method per operation, each going through send. */",
  "export declare class KMS extends KMSClient {",
  ...methods,
  ...paginatorMethods,
  "}",
  "",
  ...paginatorDeclarations,
  "",
  ...exceptions,
  "",
].join("\n");

// The enums' const objects (KeySpec.RSA_2048 ...), which the SDK exports and code uses.
const enumsModule = [
  "// The KMS enums as @aws-sdk/client-kms exports them (const objects), for the types the package uses.",
  "// Generated by js/build-types.mjs from the SDK's declarations: do not edit.",
  "",
  ...[...enumNames].sort().map((name) => [
    `export const ${name} = Object.freeze({`,
    ...enumEntries(name).map(([key, value]) => `  ${key}: ${JSON.stringify(value)},`),
    "});",
  ].join("\n")),
  "",
].join("\n");

const outputs = [[join(here, "index.d.ts"), text], [join(here, "core", "enums.mjs"), enumsModule]];
if (process.argv.includes("--check")) {
  for (const [file, content] of outputs) {
    if (readFileSync(file, "utf8") !== content) {
      console.error(`${file} is stale: run node js/build-types.mjs`);
      process.exit(1);
    }
  }
} else {
  for (const [file, content] of outputs) writeFileSync(file, content);
  console.log("wrote js/index.d.ts and js/core/enums.mjs");
}
