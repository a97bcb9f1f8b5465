// Writes js/index.d.ts (the package's TypeScript declarations) and js/core/enums.mjs (the enums' const
// objects); ./build.sh build runs it. Both files are committed; test/node/types.test.mjs regenerates
// them into a temporary folder and fails when the committed ones differ.
//
//   node js/build-types.mjs                 write both files (only those whose content changed)
//   node js/build-types.mjs --out-dir DIR   write them into DIR instead (DIR/index.d.ts, DIR/enums.mjs)
//   node js/build-types.mjs --check         fail when either file is stale
//
// Sources, from @aws-sdk/client-kms (a dev dependency):
// - its schemas, read with @smithy/core's NormalizedSchema (as test/node/operations.test.mjs reads
//   them): for every operation of js/core/operations.mjs, the input and output structures, their
//   members in the schema's order, which are required, and each member's kind (string, number,
//   boolean, blob, timestamp, list, map, structure), with every structure they reach; the exceptions'
//   faults;
// - its enum objects (AlgorithmSpec, KeySpec, ...), exported at run time, for the enums' values;
// - its declarations, read with the TypeScript compiler API, only for what the schemas do not carry:
//   which exports are enums, and which enum a string member takes (KeySpec?: KeySpec).
// The client, command, exception and world declarations around them come from js/index-head.d.ts.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { operationNames, operations } from "./core/operations.mjs";
import { modeledErrorNames } from "./core/exceptions.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const sdk = require("@aws-sdk/client-kms");
const { NormalizedSchema } = require("@smithy/core/schema");

// ---- the SDK's declarations, through the TypeScript compiler API ----

const sdkTypesEntry = require
  .resolve("@aws-sdk/client-kms")
  .replace(/dist-cjs[\\/]index\.js$/, "dist-types/index.d.ts");
const sdkTypesDir = dirname(sdkTypesEntry);
const compilerOptions = { noEmit: true, noLib: true, types: [], skipLibCheck: true };
// Only the client's own declarations are read (what they import from @smithy and @aws-sdk is not needed).
const host = ts.createCompilerHost(compilerOptions);
const fileExists = host.fileExists.bind(host);
host.fileExists = (file) => file.startsWith(sdkTypesDir) && fileExists(file);
const program = ts.createProgram({ rootNames: [sdkTypesEntry], options: compilerOptions, host });
const checker = program.getTypeChecker();
const sdkDeclarations = new Map(
  checker
    .getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(sdkTypesEntry)))
    .map((symbol) => [symbol.name, symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol]),
);

// An enum of the SDK: an export that is both a const and a type of that name (`export declare const
// KeySpec: {...}; export type KeySpec = ...`), whose run-time value is an object of strings.
const isEnumObject = (value) =>
  value !== null &&
  typeof value === "object" &&
  !Array.isArray(value) &&
  Object.keys(value).length > 0 &&
  Object.values(value).every((v) => typeof v === "string");
const sdkEnumNames = [...sdkDeclarations]
  .filter(
    ([name, symbol]) =>
      symbol.flags & ts.SymbolFlags.Variable && symbol.flags & ts.SymbolFlags.TypeAlias && isEnumObject(sdk[name]),
  )
  .map(([name]) => name)
  .sort();
if (sdkEnumNames.length === 0) throw new Error("build-types: found no enums in @aws-sdk/client-kms");

// The SDK's declaration of a structure's member: its type without `| undefined`, and whether it is
// optional.
function declaredMember(structure, member) {
  const declaration = sdkDeclarations.get(structure)?.declarations?.find(ts.isInterfaceDeclaration);
  if (!declaration) throw new Error(`build-types: @aws-sdk/client-kms declares no interface ${structure}`);
  const property = declaration.members.find((m) => m.name && ts.isIdentifier(m.name) && m.name.text === member);
  if (!property?.type) throw new Error(`build-types: ${structure} of @aws-sdk/client-kms declares no member ${member}`);
  return { type: withoutUndefined(property.type), optional: property.questionToken !== undefined };
}

function withoutUndefined(node) {
  if (node && ts.isUnionTypeNode(node)) {
    const rest = node.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword);
    if (rest.length === 1) return rest[0];
  }
  return node;
}

// The enum a declared string type names, or undefined for a plain string.
function enumOf(node, where) {
  if (node.kind === ts.SyntaxKind.StringKeyword) return undefined;
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && sdkEnumNames.includes(node.typeName.text)) {
    return node.typeName.text;
  }
  throw new Error(`build-types: ${where} is a string in the schema but ${node.getText()} in the SDK's declarations`);
}

// ---- the declarations, from the schemas ----

const emitted = new Map(); // declaration name -> text, in the order of first use
const usedEnums = new Set();

function useEnum(name) {
  if (usedEnums.has(name)) return;
  usedEnums.add(name);
  emitted.set(name, enumDeclaration(name));
}

function enumDeclaration(name) {
  return [
    `export declare const ${name}: {`,
    ...Object.entries(sdk[name]).map(([key, value]) => `  readonly ${key}: ${JSON.stringify(value)};`),
    "};",
    `export type ${name} = (typeof ${name})[keyof typeof ${name}];`,
  ].join("\n");
}

// The TypeScript type of a member's schema; `declared` is the SDK's declared type of the same member
// (used for string members only, to name their enum).
function typeOf(ns, declared, where) {
  if (ns.isBlobSchema()) return "Uint8Array";
  if (ns.isTimestampSchema()) return "Date";
  if (ns.isBooleanSchema()) return "boolean";
  if (ns.isNumericSchema()) return "number";
  if (ns.isStringSchema()) {
    const name = enumOf(declared, where);
    if (name === undefined) return "string";
    useEnum(name);
    return name;
  }
  if (ns.isListSchema()) {
    if (!ts.isArrayTypeNode(declared)) throw new Error(`build-types: ${where} is a list in the schema only`);
    return `${typeOf(ns.getValueSchema(), declared.elementType, `${where}[]`)}[]`;
  }
  if (ns.isMapSchema()) {
    const [key, value] =
      ts.isTypeReferenceNode(declared) && declared.typeName.getText() === "Record" ? declared.typeArguments : [];
    if (!key || key.kind !== ts.SyntaxKind.StringKeyword)
      throw new Error(`build-types: ${where} is a map in the schema only`);
    return `Record<string, ${typeOf(ns.getValueSchema(), value, `${where}{}`)}>`;
  }
  if (ns.isStructSchema()) return structure(ns);
  throw new Error(`build-types: ${where} has a schema this generator does not know (${ns.getName(true)})`);
}

// Emits the interface of a structure schema (and everything it reaches); returns its name.
function structure(ns) {
  const name = ns.getName();
  if (emitted.has(name)) return name;
  emitted.set(name, undefined); // its place: a structure comes before the ones it reaches
  const required = ns.getSchema()[6] ?? 0; // the schema lists its required members first
  const members = [...ns.structIterator()].map(([member, schema], index) => {
    const declared = declaredMember(name, member);
    const optional = index >= required;
    if (declared.optional !== optional) {
      throw new Error(
        `build-types: ${name}.${member} is ${optional ? "optional" : "required"} in the schema but not in the SDK's declarations`,
      );
    }
    return `  ${member}${optional ? "?" : ""}: ${typeOf(schema, declared.type, `${name}.${member}`)} | undefined;`;
  });
  emitted.set(name, [`export interface ${name} {`, ...members, "}"].join("\n"));
  return name;
}

const lines = [];
const methods = [];
for (const op of operationNames) {
  const schema = sdk[`${op}$`];
  if (!schema) throw new Error(`build-types: @aws-sdk/client-kms has no operation ${op}`);
  const input = NormalizedSchema.of(schema[4]);
  const output = NormalizedSchema.of(schema[5]);
  const request = structure(input);
  const response = output.isUnitSchema() ? undefined : structure(output);
  const optionalInput = (input.getSchema()[6] ?? 0) === 0;
  lines.push(
    `export interface ${op}CommandInput extends ${request} {}`,
    `export interface ${op}CommandOutput extends ${response ? `${response}, ` : ""}MetadataBearer {}`,
    `export declare class ${op}Command extends Command<${op}CommandInput, ${op}CommandOutput> {`,
    optionalInput ? `  constructor(...[input]: [] | [${op}CommandInput]);` : `  constructor(input: ${op}CommandInput);`,
    "}",
  );
  const method = op[0].toLowerCase() + op.slice(1);
  methods.push(
    `  ${method}(args${optionalInput ? "?" : ""}: ${op}CommandInput, options?: HttpHandlerOptions): Promise<${op}CommandOutput>;`,
    `  ${method}(args: ${op}CommandInput, cb: (err: any, data?: ${op}CommandOutput) => void): void;`,
    `  ${method}(args: ${op}CommandInput, options: HttpHandlerOptions, cb: (err: any, data?: ${op}CommandOutput) => void): void;`,
  );
}
// Every enum of the SDK is exported, the ones no operation here uses too.
for (const name of sdkEnumNames) useEnum(name);

const paginated = operationNames.filter((op) => operations[op].paginated);
const paginatorDeclarations = paginated.map(
  (op) =>
    `export declare function paginate${op}(config: PaginationConfiguration, input: ${op}CommandInput, ...rest: any[]): Paginator<${op}CommandOutput>;`,
);
const paginatorMethods = paginated.map(
  (op) =>
    `  paginate${op}(args?: ${op}CommandInput, paginationConfig?: Omit<PaginationConfiguration, "client">): Paginator<${op}CommandOutput>;`,
);

const exceptions = modeledErrorNames.map((name) => {
  const schema = sdk[`${name}$`];
  if (!schema) throw new Error(`build-types: @aws-sdk/client-kms has no exception ${name}`);
  const fault = NormalizedSchema.of(schema).getMergedTraits().error;
  return (
    `export declare class ${name} extends KMSServiceException {\n  readonly name: "${name}";\n  readonly $fault: "${fault}";\n` +
    `  constructor(opts: Omit<ServiceExceptionOptions, "name" | "$fault">);\n}`
  );
});

const head = readFileSync(join(here, "index-head.d.ts"), "utf8");
const declarations = [
  head.trimEnd(),
  "",
  "// ---- generated by js/build-types.mjs from js/core/operations.mjs and @aws-sdk/client-kms's schemas ----",
  "",
  ...emitted.values(),
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
  "// The KMS enums as @aws-sdk/client-kms exports them (const objects), every one of them.",
  "// Generated by js/build-types.mjs from the SDK's enum objects: do not edit.",
  "",
  ...sdkEnumNames.map((name) =>
    [
      `export const ${name} = Object.freeze({`,
      ...Object.entries(sdk[name]).map(([key, value]) => `  ${key}: ${JSON.stringify(value)},`),
      "});",
    ].join("\n"),
  ),
  "",
].join("\n");

// ---- output ----

const argv = process.argv.slice(2);
const outDirFlag = argv.indexOf("--out-dir");
const outDir = outDirFlag >= 0 ? argv[outDirFlag + 1] : undefined;
if (outDirFlag >= 0 && !outDir) throw new Error("build-types: --out-dir needs a folder");
const outputs = outDir
  ? [
      [join(outDir, "index.d.ts"), declarations],
      [join(outDir, "enums.mjs"), enumsModule],
    ]
  : [
      [join(here, "index.d.ts"), declarations],
      [join(here, "core", "enums.mjs"), enumsModule],
    ];
const current = (file) => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
};

if (argv.includes("--check")) {
  const stale = outputs.filter(([file, content]) => current(file) !== content).map(([file]) => file);
  if (stale.length > 0) {
    console.error(`stale: ${stale.join(", ")}; run node js/build-types.mjs`);
    process.exit(1);
  }
} else {
  if (outDir) mkdirSync(outDir, { recursive: true });
  const written = outputs.filter(([file, content]) => current(file) !== content);
  for (const [file, content] of written) writeFileSync(file, content);
  console.log(
    written.length
      ? `wrote ${written.map(([file]) => file).join(", ")}`
      : "js/index.d.ts and js/core/enums.mjs are up to date",
  );
}
