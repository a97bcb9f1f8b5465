// Package kms is the service core of wasmkms: a world of AWS accounts and regions holding KMS keys
// and aliases, answering the KMS API at the AWS JSON 1.1 level. Every host (wasm module, HTTP
// endpoint, JS client) goes through World.Handle, so every host behaves the same.
//
//	w := kms.NewWorld(kms.Options{})
//	status, body := w.Handle(kms.Caller{}, "TrentService.CreateKey", []byte(`{}`))
//	// status 200, body {"KeyMetadata":{"KeyId":"...","Arn":"arn:aws:kms:us-east-1:111122223333:key/...",...}}
//
// One file per job: handle.go dispatches targets, decode.go checks JSON types (SerializationException),
// model_gen.go (generated from AWS's model by internal/modelgen) holds every request struct and its
// member constraints, validate.go words them (ValidationException), errors.go holds every error name
// and message, keyspec.go the one table of key specs, usages, algorithms and plaintext limits, ids.go
// resolves the four KeyId forms, policy.go evaluates key policies (policy_condition.go: their Condition
// blocks), managed.go makes the AWS managed keys (alias/aws/<service>); the operations live in keys.go,
// keystate.go, aliases.go, encrypt.go, decrypt.go, reencrypt.go, datakey.go, datakeypair.go,
// publickey.go, grants.go, keyattrs.go, rotation.go, sign.go, mac.go, agreement.go, kem.go,
// lastusage.go, multiregion.go (with regions.go, the AWS Regions per partition), import.go (imported
// key material), customkeystore.go (custom key stores and their keys); state.go is
// WasmKMS.ExportState/ImportState (import_state.go: the imports; state_json.go: the snapshot's JSON;
// SNAPSHOT.md: the format) and WasmKMS.SupplyRSAKey; fixtures.go is WasmKMS.LoadFixtures (its format:
// js/fixtures.schema.json).
//
// Adding an operation touches:
//  1. its request shape: already in the model, or added to internal/modelgen/model/overlay.json with its
//     source; then go run ./internal/modelgen (a test fails while model_gen.go is stale);
//  2. a file of its own with only its semantics: var v violations; req.validate(&v); then
//     w.keyForOperation (validation errors, grant tokens, the key and its policy), then the operation;
//  3. one line in handle.go's operations table;
//  4. its error texts, one constructor each, in errors.go (marked "ours" where AWS's text is unknown);
//  5. its scenarios in testdata/conformance (every host runs them) and its name in the README's
//     Supported operations (a test holds the two together).
//
// Adding a key spec touches: one row of keyspec.go; its material in kmscrypto (generation, PKCS#8 for
// the state file, SPKI for GetPublicKey) and a case in World.generateMaterial and state.go's import;
// its scenarios. The enums come from the model.
//
// What is ours and not the real service's wording is marked where it is defined (errors.go): the
// texts real KMS does not document. RSA keys come from kmscrypto's prime pool unless the world asks
// for fresh keys or a host supplies them: pool keys are test keys and must never protect real data.
package kms
