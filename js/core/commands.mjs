// One command class per operation of the table, shaped like the SDK's: `input`, `middlewareStack`,
// `resolveMiddleware(clientStack, config, options)` and the static `getEndpointParameterInstructions`.
// Everything this module exports is public (js/core/index.mjs re-exports all of it): keep internals elsewhere.

import { operations } from "./operations.mjs";
import { constructStack, STACK_GENERATION } from "./middleware-stack.mjs";
import { resolveCommand } from "./command-handler.mjs";

// The SDK's endpoint parameter instructions for every KMS command (they are the same for all).
const ENDPOINT_PARAMETER_INSTRUCTIONS = Object.freeze({
  UseFIPS: { type: "builtInParams", name: "useFipsEndpoint" },
  Endpoint: { type: "builtInParams", name: "endpoint" },
  Region: { type: "builtInParams", name: "region" },
  UseDualStack: { type: "builtInParams", name: "useDualstackEndpoint" },
});

/** The base of the command classes. */
export class Command {
  // Made on first use: most commands are sent once through the direct path and never need one.
  #middlewareStack = null;

  get middlewareStack() {
    this.#middlewareStack ??= constructStack();
    return this.#middlewareStack;
  }

  set middlewareStack(stack) {
    this.#middlewareStack = stack;
  }

  /** Whether middleware was added to this command's own stack (asked without making the stack). */
  hasOwnMiddleware() {
    return this.#middlewareStack !== null && this.#middlewareStack[STACK_GENERATION] !== 0;
  }

  static getEndpointParameterInstructions() {
    return ENDPOINT_PARAMETER_INSTRUCTIONS;
  }

  constructor(operation, input) {
    this.input = input ?? {};
    // Each command class has its operation on its prototype (defineCommand), so that a send does not
    // pay a defineProperty; only a Command made directly with an operation gets its own.
    if (this.operation !== operation) Object.defineProperty(this, "operation", { value: operation, enumerable: false });
  }

  resolveMiddleware(clientStack, configuration, options) {
    const ownStack = this.hasOwnMiddleware() ? this.middlewareStack : null;
    return resolveCommand(this, this.operation, ownStack, clientStack, configuration, options);
  }
}

function defineCommand(operation) {
  const name = `${operation}Command`;
  const CommandClass = {
    [name]: class extends Command {
      constructor(...[input]) {
        super(operation, input);
      }
    },
  }[name];
  Object.defineProperty(CommandClass.prototype, "operation", { value: operation });
  return CommandClass;
}

/** The command classes by name ("EncryptCommand"). */
export const commands = Object.freeze(
  Object.fromEntries(Object.keys(operations).map((operation) => [`${operation}Command`, defineCommand(operation)])),
);

export const {
  EncryptCommand,
  DecryptCommand,
  ReEncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GenerateRandomCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  ListKeysCommand,
  GetPublicKeyCommand,
  EnableKeyCommand,
  DisableKeyCommand,
  ScheduleKeyDeletionCommand,
  CancelKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
  CreateAliasCommand,
  UpdateAliasCommand,
  DeleteAliasCommand,
  ListAliasesCommand,
  GetKeyPolicyCommand,
  PutKeyPolicyCommand,
  ListKeyPoliciesCommand,
  CreateGrantCommand,
  ListGrantsCommand,
  RevokeGrantCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ListResourceTagsCommand,
  EnableKeyRotationCommand,
  DisableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  RotateKeyOnDemandCommand,
  ListRetirableGrantsCommand,
  RetireGrantCommand,
  ListKeyRotationsCommand,
  SignCommand,
  VerifyCommand,
  GenerateMacCommand,
  VerifyMacCommand,
  DeriveSharedSecretCommand,
  EncapsulateCommand,
  DecapsulateCommand,
  GetKeyLastUsageCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  DeleteImportedKeyMaterialCommand,
  ReplicateKeyCommand,
  UpdatePrimaryRegionCommand,
  CreateCustomKeyStoreCommand,
  ConnectCustomKeyStoreCommand,
  DescribeCustomKeyStoresCommand,
  DisconnectCustomKeyStoreCommand,
  UpdateCustomKeyStoreCommand,
  DeleteCustomKeyStoreCommand,
} = commands;
