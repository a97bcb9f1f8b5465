// Package kms is the service core of wasmkms: a world of AWS accounts and regions holding KMS keys
// and aliases, answering the KMS API at the AWS JSON 1.1 level. Every host (wasm module, HTTP
// endpoint, JS client) goes through World.Handle, so every host behaves the same.
//
//	w := kms.NewWorld(kms.Options{})
//	status, body := w.Handle(kms.Caller{}, "TrentService.CreateKey", []byte(`{}`))
//	// status 200, body {"KeyMetadata":{"KeyId":"...","Arn":"arn:aws:kms:us-east-1:111122223333:key/...",...}}
//
// One file per job: handle.go dispatches targets, decode.go checks JSON types (SerializationException),
// validate.go words member constraints (ValidationException), errors.go holds every error name and
// message, keyspec.go the one table of key specs, usages, algorithms and plaintext limits, ids.go
// resolves the four KeyId forms, policy.go evaluates key policies; the operations live in keys.go,
// keystate.go, aliases.go, encrypt.go, decrypt.go, reencrypt.go, datakey.go, datakeypair.go,
// publickey.go, grants.go, keyattrs.go, rotation.go; state.go is WasmKMS.ExportState/ImportState
// and WasmKMS.SupplyRSAKey.
//
// What is ours and not the real service's wording is marked where it is defined (errors.go): the
// texts real KMS does not document. RSA keys come from kmscrypto's prime pool unless the world asks
// for fresh keys or a host supplies them: pool keys are test keys and must never protect real data.
package kms
