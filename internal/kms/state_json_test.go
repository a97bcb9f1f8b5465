package kms

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	mrand "math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// richWorld is a world with a bit of everything the state holds: every key spec, rotations, tags
// and descriptions that need escaping, aliases, grants with constraints, key states, multi-Region
// keys, imported material, custom key stores, AWS managed keys, last usage, supplied RSA keys.
func richWorld(t *testing.T) *World {
	t.Helper()
	w := NewWorld(Options{})
	c := Caller{}
	for spec := range keySpecs {
		caller, usage := c, keySpecs[spec].usages[0]
		if keySpecs[spec].chinaOnly {
			caller = china
		}
		newKey(t, w, caller, map[string]any{"KeySpec": spec, "KeyUsage": usage})
	}
	sym := newKey(t, w, c, map[string]any{"Description": "quote\" back\\ <html> & caf\u00e9 \u2028 \U0001F600 tab\t",
		"Tags": []map[string]string{{"TagKey": "k<1>", "TagValue": "v&1"}, {"TagKey": "empty", "TagValue": ""}}})
	mustCall(t, w, c, "EnableKeyRotation", map[string]any{"KeyId": sym["KeyId"], "RotationPeriodInDays": 90})
	mustCall(t, w, c, "RotateKeyOnDemand", map[string]any{"KeyId": sym["KeyId"]})
	mustCall(t, w, c, "CreateAlias", map[string]any{"AliasName": "alias/rich", "TargetKeyId": sym["KeyId"]})
	mustCall(t, w, c, "CreateGrant", map[string]any{"KeyId": sym["KeyId"], "GranteePrincipal": "arn:aws:iam::444455556666:root",
		"Operations": []string{"Encrypt", "Decrypt"}, "Name": "g", "Constraints": map[string]any{"EncryptionContextSubset": map[string]string{"a": "b"}}})
	mustCall(t, w, c, "Encrypt", map[string]any{"KeyId": sym["KeyId"], "Plaintext": []byte("x")})
	disabled := newKey(t, w, c, map[string]any{"Policy": `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}`})
	mustCall(t, w, c, "DisableKey", map[string]any{"KeyId": disabled["KeyId"]})
	deleted := newKey(t, w, Caller{Account: "444455556666", Region: "eu-west-1"}, map[string]any{})
	mustCall(t, w, Caller{Account: "444455556666", Region: "eu-west-1"}, "ScheduleKeyDeletion", map[string]any{"KeyId": deleted["KeyId"], "PendingWindowInDays": 7})
	mrk := newKey(t, w, c, map[string]any{"MultiRegion": true})
	mustCall(t, w, c, "ReplicateKey", map[string]any{"KeyId": mrk["KeyId"], "ReplicaRegion": "us-west-2"})
	external := newKey(t, w, c, map[string]any{"Origin": "EXTERNAL"})
	importFor(t, w, c, external["KeyId"].(string), importRandom(32), nil)
	newKey(t, w, c, map[string]any{"Origin": "EXTERNAL", "KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"})
	store := newStore(t, w, c, cloudHSMStoreRequest("store", "cluster-234567abcdefg"))
	mustCall(t, w, c, "ConnectCustomKeyStore", map[string]any{"CustomKeyStoreId": store})
	newKey(t, w, c, map[string]any{"Origin": "AWS_CLOUDHSM", "CustomKeyStoreId": store})
	mustCall(t, w, c, "DescribeKey", map[string]any{"KeyId": "alias/aws/s3"})
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	require.NoError(t, err)
	status, body := w.Handle(c, "WasmKMS.SupplyRSAKey", mustMarshal(map[string]any{"PrivateKey": der}))
	require.Equal(t, 200, status, string(body))
	return w
}

// TestStateAppendJSONIsMarshal: the export's own JSON is json.Marshal's, byte for byte.
func TestStateAppendJSONIsMarshal(t *testing.T) {
	for name, w := range map[string]*World{"empty": NewWorld(Options{}), "rich": richWorld(t)} {
		out, apiErr := exportState(w, caller{}, nil)
		require.Nil(t, apiErr)
		want, err := json.Marshal(out)
		require.NoError(t, err)
		got := out.(worldState).appendJSON(nil)
		require.Equal(t, string(want), string(got), name)
		require.Equal(t, string(want), string(exportWorld(t, w)), name)
	}
}

// TestStateDecodeIsUnmarshal: the import's own decoding gives what json.Unmarshal gives, for the
// documents ExportState writes and for altered ones; where it cannot, it says so and encoding/json
// decides.
func TestStateDecodeIsUnmarshal(t *testing.T) {
	doc := exportWorld(t, richWorld(t))
	var fast worldState
	require.True(t, decodeStateJSON(doc, &fast), "an exported state takes the fast path")
	var std worldState
	require.NoError(t, json.Unmarshal(doc, &std))
	require.True(t, reflect.DeepEqual(std, fast))

	// Hand-made variations: each either decodes as encoding/json does, or is left to it.
	variations := map[string]string{
		"spaces":          " { \"format\" : \"wasmkms-world\" ,\n\t\"version\" : 2 , \"regions\" : [ ] } \r\n",
		"unknown member":  `{"format":"wasmkms-world","version":2,"regions":[],"extra":1}`,
		"other case":      `{"Format":"wasmkms-world","VERSION":2,"regions":[]}`,
		"twice":           `{"version":1,"version":2,"regions":[]}`,
		"null regions":    `{"version":2,"regions":null}`,
		"null version":    `{"version":null,"regions":[]}`,
		"float version":   `{"version":2.0,"regions":[]}`,
		"exp version":     `{"version":2e0,"regions":[]}`,
		"big version":     `{"version":99999999999999999999,"regions":[]}`,
		"string version":  `{"version":"2","regions":[]}`,
		"escaped string":  `{"format":"wasmkms\u002dworld","version":2,"regions":[]}`,
		"non-ascii":       `{"format":"wasmkms-wörld","version":2,"regions":[]}`,
		"bad utf-8":       "{\"format\":\"\xff\",\"version\":2,\"regions\":[]}",
		"trailing":        `{"version":2,"regions":[]} x`,
		"two values":      `{"version":2,"regions":[]}{}`,
		"not an object":   `[1,2]`,
		"null":            `null`,
		"empty":           ``,
		"truncated":       `{"version":2,"regions":[`,
		"empty key":       `{"version":2,"regions":[{"account":"1","region":"r","keys":[{}],"aliases":[]}]}`,
		"bad base64":      `{"version":2,"regions":[{"account":"1","region":"r","keys":[{"symmetricMaterial":[{"backingId":"!!"}]}]}]}`,
		"escaped base64":  `{"version":2,"regions":[{"account":"1","region":"r","keys":[{"hmacKey":"AA\u003d\u003d"}]}]}`,
		"null material":   `{"version":2,"regions":[{"account":"1","region":"r","keys":[{"symmetricMaterial":[{"material":null}]}]}]}`,
		"empty base64":    `{"version":2,"regions":[{"account":"1","region":"r","keys":[{"privateKey":""}]}]}`,
		"date string":     `{"version":2,"regions":[{"account":"1","region":"r","keys":[{"creationDate":"1"}]}]}`,
		"date exponent":   `{"version":2,"regions":[{"account":"1","region":"r","keys":[{"creationDate":1.5e9}]}]}`,
		"date leading 0":  `{"version":2,"regions":[{"account":"1","region":"r","keys":[{"creationDate":01}]}]}`,
		"null date":       `{"version":2,"regions":[{"account":"1","region":"r","keys":[{"creationDate":null}]}]}`,
		"null next":       `{"version":2,"regions":[{"account":"1","region":"r","keys":[{"nextRotationDate":null}]}]}`,
		"pool map":        `{"version":2,"regions":[],"rsaPoolUsedPairs":{"2048":[[1,2]]}}`,
		"bad pool":        `{"version":2,"regions":[],"rsaPoolUsedPairs":{"2048":[[1,2]}}`,
		"grant map":       `{"version":2,"regions":[{"keys":[{"grants":[{"operations":["Encrypt"],"constraints":{"encryptionContextEquals":{}}}]}]}]}`,
		"deep":            `{"version":2,"regions":[{"keys":[{"grants":[{"constraints":{"encryptionContextEquals":{"a":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}}}]}]}]}`,
		"bool":            `{"version":2,"regions":[{"keys":[{"imports":{"material":{"deleted":true}}}]}]}`,
		"bool as string":  `{"version":2,"regions":[{"keys":[{"imports":{"material":{"deleted":"true"}}}]}]}`,
		"empty arrays":    `{"version":2,"regions":[{"keys":[],"aliases":[],"customKeyStores":[]}]}`,
		"negative int":    `{"version":-2,"regions":[]}`,
		"minus zero":      `{"version":-0,"regions":[]}`,
		"lone minus":      `{"version":-,"regions":[]}`,
		"literal trueish": `{"version":2,"regions":[{"keys":[{"imports":{"material":{"deleted":truex}}}]}]}`,
	}
	for name, text := range variations {
		checkStateDecode(t, name, []byte(text))
	}

	// Random alterations of a real export: flipped, deleted and duplicated bytes.
	r := mrand.New(mrand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		b := append([]byte(nil), doc...)
		for n := 1 + r.IntN(3); n > 0; n-- {
			at := r.IntN(len(b))
			switch r.IntN(3) {
			case 0:
				b[at] = " \"{}[],:01aenstuxl\\-."[r.IntN(21)]
			case 1:
				b = append(b[:at], b[at+1:]...)
			case 2:
				b = append(b[:at+1], b[at:]...)
			}
		}
		checkStateDecode(t, "random", b)
	}
}

// checkStateDecode: when decodeStateJSON takes a document, json.Unmarshal takes it too and gives
// the same state; when json.Unmarshal refuses one, decodeStateJSON does too.
func checkStateDecode(t *testing.T, name string, doc []byte) {
	t.Helper()
	var std, fast worldState
	stdErr := json.Unmarshal(doc, &std)
	if !decodeStateJSON(doc, &fast) {
		return
	}
	require.NoError(t, stdErr, "%s: the fast path took a document encoding/json refuses: %q", name, doc)
	require.True(t, reflect.DeepEqual(std, fast), "%s: %q\nstd  %+v\nfast %+v", name, doc, std, fast)
}

// FuzzStateDecode: decodeStateJSON never disagrees with json.Unmarshal.
func FuzzStateDecode(f *testing.F) {
	f.Add([]byte(`{"format":"wasmkms-world","version":2,"regions":[{"account":"1","region":"r","keys":[{"keyId":"k","creationDate":1.5,"symmetricMaterial":[{"backingId":"AA==","material":null}]}],"aliases":[]}]}`))
	f.Add([]byte(`{"version":1,"regions":[],"rsaPoolUsedPairs":{"2048":[[1,2]]},"suppliedRSAKeys":{"2048":["AA=="]}}`))
	f.Fuzz(func(t *testing.T, doc []byte) { checkStateDecode(t, "fuzz", doc) })
}

// TestStateTypesWalkable: every type the state holds is walked or coded by encoding/json as a
// value; a type whose pointer alone has a MarshalJSON or MarshalText would be coded differently by
// encoding/json inside slices (where values are addressable), so the state must not have one.
func TestStateTypesWalkable(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var visit func(reflect.Type)
	visit = func(t2 reflect.Type) {
		if seen[t2] {
			return
		}
		seen[t2] = true
		p := reflect.PointerTo(t2)
		for _, m := range []reflect.Type{jsonMarshalerType, textMarshalerType} {
			require.False(t, p.Implements(m) && !t2.Implements(m), "%v has a pointer-receiver %v", t2, m)
		}
		switch t2.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			visit(t2.Elem())
		case reflect.Map:
			visit(t2.Key())
			visit(t2.Elem())
		case reflect.Struct:
			for i := 0; i < t2.NumField(); i++ {
				visit(t2.Field(i).Type)
			}
		}
	}
	visit(reflect.TypeOf(worldState{}))
	st := stateTypeOf(reflect.TypeOf(keyState{}))
	require.True(t, st.walk)
	for name, m := range stateMembers[reflect.TypeOf(keyState{})] {
		_, known := st.byName[name]
		require.True(t, known, "typed codec for %s, which keyState does not have", name)
		require.NotNil(t, m.enc)
	}
}

// TestStateVersion1WithoutFormat: the endpoint's state files (version 1, no "format", every policy
// written out) still import; other formats and versions do not.
func TestStateVersion1WithoutFormat(t *testing.T) {
	w := richWorld(t)
	doc := exportWorld(t, w)
	var st map[string]any
	require.NoError(t, json.Unmarshal(doc, &st))
	require.Equal(t, "wasmkms-world", st["format"])
	require.EqualValues(t, stateVersion, st["version"])
	delete(st, "format")
	st["version"] = 1
	for _, r := range st["regions"].([]any) {
		r := r.(map[string]any)
		for _, k := range r["keys"].([]any) {
			k := k.(map[string]any)
			if _, has := k["policy"]; !has {
				k["policy"] = defaultPolicy(partitionOf(r["region"].(string)), r["account"].(string))
			}
		}
	}
	restored := NewWorld(Options{})
	status, body := restored.Handle(Caller{}, "WasmKMS.ImportState", mustMarshal(st))
	require.Equal(t, 200, status, string(body))
	require.JSONEq(t, string(doc), string(exportWorld(t, restored)))

	for name, c := range map[string]struct {
		format  any
		version any
	}{
		"version 2 without format": {nil, 2},
		"another format":           {"another", 2},
		"format with version 0":    {"wasmkms-world", 0},
		"a later version":          {"wasmkms-world", stateVersion + 1},
	} {
		st["format"], st["version"] = c.format, c.version
		if c.format == nil {
			delete(st, "format")
		}
		status, body := restored.Handle(Caller{}, "WasmKMS.ImportState", mustMarshal(st))
		require.Equal(t, 400, status, name)
		require.Contains(t, string(body), "Invalid state: ", name)
	}
}

// TestStateOmitsDefaultPolicies: a key whose policy is the default one has no "policy" member, and
// gets the default of its own account and partition back.
func TestStateOmitsDefaultPolicies(t *testing.T) {
	w := NewWorld(Options{})
	cn := Caller{Account: "444455556666", Region: "cn-north-1"}
	plain := newKey(t, w, cn, map[string]any{})
	custom := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}`
	own := newKey(t, w, cn, map[string]any{"Policy": custom})
	doc := exportWorld(t, w)
	require.Equal(t, 1, bytes.Count(doc, []byte(`"policy":`)))
	restored := NewWorld(Options{})
	status, body := restored.Handle(Caller{}, "WasmKMS.ImportState", doc)
	require.Equal(t, 200, status, string(body))
	require.Equal(t, defaultPolicy("aws-cn", "444455556666"),
		mustCall(t, restored, cn, "GetKeyPolicy", map[string]any{"KeyId": plain["KeyId"]})["Policy"])
	require.Equal(t, custom, mustCall(t, restored, cn, "GetKeyPolicy", map[string]any{"KeyId": own["KeyId"]})["Policy"])
}
