// The package as a Node user imports it ("wasmkms" resolves to js/node.mjs): the tests in test/sdk
// reach the request handler, the endpoint and worlds only through its public entry.
export * from "../../../js/node.mjs";
