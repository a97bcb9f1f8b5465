// The SDK's paginators (paginateListKeys, paginateListAliases, ...) for the table's paginated operations:
// async generators of pages, following the output token until it is absent, as @smithy's
// createPaginator does.

import { KMSClient } from "./client.mjs";
import { commands } from "./commands.mjs";
import { operations } from "./operations.mjs";

function createPaginator(CommandCtor, { inputToken, outputToken, pageSize }) {
  return async function* paginateOperation(config, input, ...additionalArguments) {
    let token = config.startingToken ?? input[inputToken];
    let hasNext = true;
    while (hasNext) {
      input[inputToken] = token;
      input[pageSize] = input[pageSize] ?? config.pageSize;
      if (!(config.client instanceof KMSClient))
        throw new Error(`Invalid client, expected instance of ${KMSClient.name}`);
      let command = new CommandCtor(input);
      command = config.withCommand?.(command) ?? command;
      const page = await config.client.send(command, ...additionalArguments);
      yield page;
      const previous = token;
      token = page?.[outputToken];
      hasNext = Boolean(token && (!config.stopOnSameToken || token !== previous));
    }
    return undefined;
  };
}

/** The paginators by name ("paginateListKeys"). */
export const paginators = Object.freeze(
  Object.fromEntries(
    Object.entries(operations)
      .filter(([, op]) => op.paginated)
      .map(([name, op]) => [`paginate${name}`, createPaginator(commands[`${name}Command`], op.paginated)]),
  ),
);

export const {
  paginateListKeys,
  paginateListAliases,
  paginateListGrants,
  paginateListResourceTags,
  paginateListKeyPolicies,
  paginateListRetirableGrants,
  paginateListKeyRotations,
  paginateDescribeCustomKeyStores,
} = paginators;
