// KMS: the aggregated client, one camelCase method per operation (kms.encrypt(input)), each going
// through send, with the SDK's promise and callback forms.

import { KMSClient } from "./client.mjs";
import { commands } from "./commands.mjs";
import { methodNameOf, operationNames } from "./operations.mjs";
import { paginators } from "./paginators.mjs";

export class KMS extends KMSClient {}

for (const operation of operationNames) {
  const CommandCtor = commands[`${operation}Command`];
  Object.defineProperty(KMS.prototype, methodNameOf(operation), {
    writable: true,
    configurable: true,
    value: async function (args, optionsOrCb, cb) {
      const command = new CommandCtor(args);
      if (typeof optionsOrCb === "function") {
        this.send(command, optionsOrCb);
      } else if (typeof cb === "function") {
        if (typeof optionsOrCb !== "object") throw new Error(`Expected http options but got ${typeof optionsOrCb}`);
        this.send(command, optionsOrCb || {}, cb);
      } else {
        return this.send(command, optionsOrCb);
      }
    },
  });
}

// As the SDK's aggregate: kms.paginateListKeys(input, config) pages through with this client.
for (const [name, paginate] of Object.entries(paginators)) {
  Object.defineProperty(KMS.prototype, name, {
    writable: true,
    configurable: true,
    value: function (commandInput = {}, paginationConfiguration, ...rest) {
      return paginate({ ...paginationConfiguration, client: this }, commandInput, ...rest);
    },
  });
}
