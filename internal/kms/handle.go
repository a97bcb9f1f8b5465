package kms

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
)

const (
	kmsTargetPrefix   = "TrentService."
	adminTargetPrefix = "WasmKMS."
)

// operation answers one decoded request; the world's lock is held.
type operation func(w *World, c caller, body []byte) (any, *apiError)

// op adapts a typed operation: it decodes the body strictly into a new request first. Its type
// parameter is the request's pointer type, so that one instantiation serves every operation (Go
// instantiates per shape: every pointer has one shape, every request struct its own), and it is
// not inlined, so that one closure does (inlined, each call would have its own): 130 KB of the
// module.
//
//go:noinline
func op[Req any](fn func(w *World, c caller, req Req) (any, *apiError)) operation {
	t := reflect.TypeFor[Req]().Elem()
	return func(w *World, c caller, body []byte) (any, *apiError) {
		req := reflect.New(t).Interface().(Req)
		if err := decodeRequest(body, req); err != nil {
			return nil, err
		}
		return fn(w, c, req)
	}
}

// operations is the dispatch table: KMS operation name -> implementation. implemented names the
// operations that have their own semantics (the README lists them; a test holds the two together).
var (
	operations  map[string]operation
	implemented = map[string]bool{}
)

// adminOperations are the WasmKMS.* host administration targets (wasm/ABI.md).
var adminOperations map[string]operation

func init() {
	operations = map[string]operation{
		"CreateKey":                           op(createKey),
		"DescribeKey":                         op(describeKey),
		"ListKeys":                            op(listKeys),
		"EnableKey":                           op(enableKey),
		"DisableKey":                          op(disableKey),
		"ScheduleKeyDeletion":                 op(scheduleKeyDeletion),
		"CancelKeyDeletion":                   op(cancelKeyDeletion),
		"UpdateKeyDescription":                op(updateKeyDescription),
		"TagResource":                         op(tagResource),
		"UntagResource":                       op(untagResource),
		"ListResourceTags":                    op(listResourceTags),
		"CreateAlias":                         op(createAlias),
		"UpdateAlias":                         op(updateAlias),
		"DeleteAlias":                         op(deleteAlias),
		"ListAliases":                         op(listAliases),
		"GetKeyPolicy":                        op(getKeyPolicy),
		"PutKeyPolicy":                        op(putKeyPolicy),
		"ListKeyPolicies":                     op(listKeyPolicies),
		"CreateGrant":                         op(createGrant),
		"ListGrants":                          op(listGrants),
		"RevokeGrant":                         op(revokeGrant),
		"RetireGrant":                         op(retireGrant),
		"ListRetirableGrants":                 op(listRetirableGrants),
		"EnableKeyRotation":                   op(enableKeyRotation),
		"DisableKeyRotation":                  op(disableKeyRotation),
		"GetKeyRotationStatus":                op(getKeyRotationStatus),
		"RotateKeyOnDemand":                   op(rotateKeyOnDemand),
		"ListKeyRotations":                    op(listKeyRotations),
		"Encrypt":                             op(encrypt),
		"Decrypt":                             op(decrypt),
		"ReEncrypt":                           op(reEncrypt),
		"GenerateDataKey":                     op(generateDataKey),
		"GenerateDataKeyWithoutPlaintext":     op(generateDataKeyWithoutPlaintext),
		"GetPublicKey":                        op(getPublicKey),
		"GenerateDataKeyPair":                 op(generateDataKeyPair),
		"GenerateDataKeyPairWithoutPlaintext": op(generateDataKeyPairWithoutPlaintext),
		"GenerateRandom":                      op(generateRandom),
		"Sign":                                op(sign),
		"Verify":                              op(verify),
		"GenerateMac":                         op(generateMac),
		"VerifyMac":                           op(verifyMac),
		"DeriveSharedSecret":                  op(deriveSharedSecret),
		"Encapsulate":                         op(encapsulate),
		"Decapsulate":                         op(decapsulate),
		"GetKeyLastUsage":                     op(getKeyLastUsage),
		"ReplicateKey":                        op(replicateKey),
		"UpdatePrimaryRegion":                 op(updatePrimaryRegion),
		"GetParametersForImport":              op(getParametersForImport),
		"ImportKeyMaterial":                   op(importKeyMaterial),
		"DeleteImportedKeyMaterial":           op(deleteImportedKeyMaterial),
		"CreateCustomKeyStore":                op(createCustomKeyStore),
		"ConnectCustomKeyStore":               op(connectCustomKeyStore),
		"DisconnectCustomKeyStore":            op(disconnectCustomKeyStore),
		"DescribeCustomKeyStores":             op(describeCustomKeyStores),
		"UpdateCustomKeyStore":                op(updateCustomKeyStore),
		"DeleteCustomKeyStore":                op(deleteCustomKeyStore),
	}
	// The operations of the model that this service does not implement yet answer
	// UnsupportedOperationException saying so, not UnknownOperationException (the SDK knows them).
	for name := range operations {
		implemented[name] = true
	}
	for _, name := range modelOperations {
		if operations[name] == nil {
			operations[name] = unsupported(name)
		}
	}
	adminOperations = map[string]operation{
		"ExportState":         exportState,
		"ImportState":         importState,
		"LoadFixtures":        loadFixtures,
		"SupplyRSAKey":        op(supplyRSAKey),
		"HostCrypto":          hostCryptoTarget,
		"AddFault":            addFault,
		"RemoveFault":         removeFault,
		"ClearFaults":         clearFaults,
		"ListFaults":          listFaults,
		"TakeLatency":         takeLatency,
		"Calls":               calls,
		"ClearCalls":          clearCalls,
		"GetClock":            getClock,
		"SetClock":            setClock,
		"AdvanceClock":        advanceClock,
		"AttestationDocument": op(attestationDocument),
		"OpenForRecipient":    op(openForRecipient),
		"CheckCaller":         checkCallerTarget,
		"StateLogTake":        stateLogTake,
		"StateLogExport":      stateLogExport,
		"StateLogLoadBegin":   stateLogLoadBegin,
		"StateLogLoad":        stateLogLoad,
		"StateLogLoadEnd":     stateLogLoadEnd,
		"Panic":               func(*World, caller, []byte) (any, *apiError) { panic("WasmKMS.Panic: a panic on purpose (testHooks)") },
	}
}

func unsupported(name string) operation {
	return func(*World, caller, []byte) (any, *apiError) {
		return nil, errNotImplemented(name)
	}
}

// Handle answers one request: target is "TrentService.<Operation>" (or a "WasmKMS.*" admin target),
// body the JSON request. It returns the HTTP status and the JSON answer: the output, or
// {"__type": "...", "message": "..."}. It never panics: a panic answers 500 KMSInternalException.
func (w *World) Handle(c Caller, target string, body []byte) (status int, resp []byte) {
	return w.HandleAppend(nil, c, target, body)
}

// HandleAppend is Handle for a host that keeps a buffer for answers: an answer the core writes itself
// (Encrypt's, Decrypt's, a page of ListKeys) is appended to dst, any other comes in a buffer of its
// own. Either way the answer is the caller's. A ListKeys page is some 13 KB: written into a fresh
// buffer, its zeroing and the collections its garbage brought were a tenth of the call in the module.
func (w *World) HandleAppend(dst []byte, c Caller, target string, body []byte) (status int, resp []byte) {
	// The core's panic recovery: every host (the module, Go callers) relies on Handle never panicking,
	// and the answer names the target. The module recovers only its own code around this call.
	defer func() {
		if r := recover(); r != nil {
			status, resp = errInternal(fmt.Sprintf("internal error in %s: %v", target, r)).encode()
		}
	}()
	var fn operation
	switch {
	case strings.HasPrefix(target, kmsTargetPrefix):
		fn = operations[strings.TrimPrefix(target, kmsTargetPrefix)]
	case strings.HasPrefix(target, adminTargetPrefix):
		fn = adminOperations[strings.TrimPrefix(target, adminTargetPrefix)]
		if target == adminTargetPrefix+"Panic" && !w.opts.TestHooks {
			fn = nil
		}
	}
	if fn == nil {
		return errUnknownOperation().encode()
	}
	info := callInfo{}
	if name, isKMS := strings.CutPrefix(target, kmsTargetPrefix); isKMS {
		info = callInfo{operation: name, keyID: &bodyKeyID{body}}
		if w.journalOn() {
			// The journal keeps the body past this call, whose buffer the host may reuse.
			info.input = append([]byte(nil), body...)
		}
	}
	out, apiErr := w.serve(c, info, func(w *World, c caller) (any, *apiError) { return fn(w, c, body) })
	if apiErr != nil {
		return apiErr.encode()
	}
	if answer, ok := out.(jsonAppender); ok {
		return 200, answer.appendJSON(dst)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return errInternal("encoding the answer: " + err.Error()).encode()
	}
	return 200, b
}

// callInfo describes a KMS call for the faults and the journal; the zero value is an admin call,
// which neither sees faults nor is journaled.
type callInfo struct {
	operation string   // the KMS operation's name
	input     any      // the request: its JSON body, or the typed request of a direct call
	keyID     keyNamer // the key the request names (KeyId, or a symmetric blob's key); nil or "" if none
}

func namedKeyID(n keyNamer) string {
	if n == nil {
		return ""
	}
	return n.namedKeyID()
}

// keyNamer finds the key a request names, for the faults that name keys: only then, so not on every call.
type keyNamer interface{ namedKeyID() string }

// bodyKeyID is a JSON body's keyNamer.
type bodyKeyID struct{ body []byte }

func (b *bodyKeyID) namedKeyID() string { return keyIDInBody(b.body) }

// serve runs one operation under the world's lock, after the pending deletions and rotations that
// are due, with the faults that match it, and records it in the journal: the one sequence both
// Handle and the typed entry points (direct.go) go through.
func (w *World) serve(c Caller, info callInfo, fn func(*World, caller) (any, *apiError)) (any, *apiError) {
	cc := resolveCaller(c)
	if info.operation != "" {
		// Refused as AWS refuses the request's credentials: before KMS, so neither a fault nor the
		// journal sees it (callers.go).
		if refused := w.checkCaller(cc); refused != nil {
			return nil, refused.wire
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	defer w.callEnds(info.operation) // the keys it looked up, for the state log (statelog.go)
	w.expireDeletions()
	w.rotateDue()
	w.expireImportedMaterial()
	w.callAt = time.Time{}
	if info.operation == "" {
		return fn(w, cc)
	}
	entry := journalEntry{at: w.now(), operation: info.operation, caller: cc, requestID: c.RequestID, input: info.input}
	w.callAt = entry.at
	if len(w.faults.list) > 0 {
		var named *key
		resolved := false
		keyOf := func() *key { // resolved once, however many faults name a key
			if !resolved {
				resolved = true
				if id := namedKeyID(info.keyID); id != "" {
					var err *apiError
					if named, err = w.existingKey(cc, id, keyRef{aliases: true, crossAccount: true}); err != nil {
						named = w.keyByIDInRegion(cc.region, id)
					}
				}
			}
			return named
		}
		if f := w.faults.match(w, info.operation, cc, keyOf); f != nil {
			if entry.err = f.errorOf(); entry.err != nil {
				w.record(entry)
				return nil, entry.err
			}
		}
	}
	out, apiErr := fn(w, cc)
	entry.output, entry.err = out, apiErr
	w.record(entry)
	return out, apiErr
}
