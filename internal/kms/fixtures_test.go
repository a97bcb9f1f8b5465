package kms

import (
	"crypto"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// fixtureExample is one file of testdata/fixtures: a body, and the message it is refused with
// (none: it loads). schemaValid says whether js/fixtures.schema.json accepts the body (checked
// with a JSON Schema validator when the files were written; the JS side may check it again).
type fixtureExample struct {
	Description string          `json:"description"`
	SchemaValid bool            `json:"schemaValid"`
	Fixtures    json.RawMessage `json:"fixtures"`
	Error       string          `json:"error"`
}

func fixtureExamples(t *testing.T) map[string]fixtureExample {
	t.Helper()
	files, err := filepath.Glob("testdata/fixtures/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := map[string]fixtureExample{}
	for _, file := range files {
		b, err := os.ReadFile(file)
		require.NoError(t, err)
		var ex fixtureExample
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&ex), file)
		out[filepath.Base(file)] = ex
	}
	return out
}

func loadFixtureBody(t *testing.T, w *World, body []byte) (int, map[string]any) {
	t.Helper()
	status, resp := w.Handle(Caller{}, "WasmKMS.LoadFixtures", body)
	var out map[string]any
	require.NoError(t, json.Unmarshal(resp, &out), string(resp))
	return status, out
}

// TestFixtureExamples: every example of testdata/fixtures loads, or is refused with its message and
// leaves the world as it was.
func TestFixtureExamples(t *testing.T) {
	for name, ex := range fixtureExamples(t) {
		t.Run(name, func(t *testing.T) {
			w := NewWorld(Options{})
			newKey(t, w, Caller{}, map[string]any{"Description": "already there"})
			before := exportWorld(t, w)
			status, out := loadFixtureBody(t, w, ex.Fixtures)
			if strings.HasPrefix(name, "valid") {
				require.Empty(t, ex.Error)
				require.Equal(t, 200, status, "%v", out)
				var doc fixtureDocument
				require.NoError(t, json.Unmarshal(ex.Fixtures, &doc))
				require.Len(t, out["keys"], len(doc.Keys))
				return
			}
			require.True(t, strings.HasPrefix(name, "invalid"), "examples are valid-* or invalid-*")
			requireError(t, status, out, "ValidationException", ex.Error)
			require.JSONEq(t, string(before), string(exportWorld(t, w)), "a refused body changes nothing")
		})
	}
}

// TestLoadFixturesEveryMember: the keys of valid-every-member.json are what their members say.
func TestLoadFixturesEveryMember(t *testing.T) {
	ex := fixtureExamples(t)["valid-every-member.json"]
	var doc struct {
		Keys []map[string]any `json:"keys"`
	}
	require.NoError(t, json.Unmarshal(ex.Fixtures, &doc))
	clock := "2026-05-01T12:00:00Z"
	w := NewWorld(Options{Clock: clock})
	status, out := loadFixtureBody(t, w, ex.Fixtures)
	require.Equal(t, 200, status, "%v", out)
	loaded := out["keys"].([]any)
	idOf := func(i int) string { return loaded[i].(map[string]any)["keyId"].(string) }
	cn := Caller{Account: "444455556666", Region: "cn-north-1"}
	eu := Caller{Region: "eu-west-1"}
	describe := func(c Caller, i int) map[string]any {
		return mustCall(t, w, c, "DescribeKey", map[string]any{"KeyId": idOf(i)})["KeyMetadata"].(map[string]any)
	}

	// keys[0]: every member.
	first := doc.Keys[0]
	md := describe(Caller{}, 0)
	require.Equal(t, first["keyId"], md["KeyId"])
	require.Equal(t, "arn:aws:kms:us-east-1:111122223333:key/"+first["keyId"].(string), loaded[0].(map[string]any)["arn"])
	require.Equal(t, "orders table key", md["Description"])
	require.Equal(t, "Enabled", md["KeyState"])
	require.Equal(t, "AWS_KMS", md["Origin"])
	require.Equal(t, "CUSTOMER", md["KeyManager"])
	start, _ := time.Parse(time.RFC3339, clock)
	require.EqualValues(t, start.Unix(), md["CreationDate"])
	aliases := mustCall(t, w, Caller{}, "ListAliases", map[string]any{"KeyId": idOf(0)})["Aliases"].([]any)
	require.Len(t, aliases, 2)
	require.Equal(t, "alias/orders", aliases[0].(map[string]any)["AliasName"])
	tags := mustCall(t, w, Caller{}, "ListResourceTags", map[string]any{"KeyId": idOf(0)})["Tags"]
	require.Equal(t, []any{map[string]any{"TagKey": "env", "TagValue": "test"}, map[string]any{"TagKey": "team", "TagValue": "payments"}}, tags)
	require.Equal(t, first["policy"], mustCall(t, w, Caller{}, "GetKeyPolicy", map[string]any{"KeyId": idOf(0)})["Policy"])
	rotation := mustCall(t, w, Caller{}, "GetKeyRotationStatus", map[string]any{"KeyId": idOf(0)})
	require.Equal(t, true, rotation["KeyRotationEnabled"])
	require.EqualValues(t, 180, rotation["RotationPeriodInDays"])
	require.EqualValues(t, start.Add(180*24*time.Hour).Unix(), rotation["NextRotationDate"])
	// The material is the fixture's: a blob opens with it, and in any world loaded with the fixture.
	blob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": "alias/orders", "Plaintext": []byte("fixture")})["CiphertextBlob"]
	material, err := base64.StdEncoding.DecodeString(first["material"].(string))
	require.NoError(t, err)
	plain, err := kmscrypto.DecryptSymmetric(kmscrypto.SymmetricKey{BackingID: importedMaterialID(idOf(0), material), Material: material}, b64(t, blob), nil)
	require.NoError(t, err)
	require.Equal(t, "fixture", string(plain))
	other := NewWorld(Options{})
	status, out = loadFixtureBody(t, other, ex.Fixtures)
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "fixture", string(b64(t, mustCall(t, other, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob})["Plaintext"])))

	// keys[1]: RSA_2048 with a PEM private key, disabled.
	md = describe(Caller{}, 1)
	require.Equal(t, "Disabled", md["KeyState"])
	require.Equal(t, "RSA_2048", md["KeySpec"])
	require.Equal(t, "SIGN_VERIFY", md["KeyUsage"])
	mustCall(t, w, Caller{}, "EnableKey", map[string]any{"KeyId": idOf(1)})
	requirePublicKeyOf(t, w, Caller{}, idOf(1), doc.Keys[1]["material"].(string))

	// keys[2]: ECC_NIST_P256 for key agreement in eu-west-1, with its alias there.
	md = describe(eu, 2)
	require.Equal(t, "KEY_AGREEMENT", md["KeyUsage"])
	require.Equal(t, "arn:aws:kms:eu-west-1:111122223333:key/"+idOf(2), md["Arn"])
	require.Equal(t, idOf(2), describeAlias(t, w, eu, "alias/agreement"))
	requirePublicKeyOf(t, w, eu, idOf(2), doc.Keys[2]["material"].(string))

	// keys[3]: Ed25519.
	requirePublicKeyOf(t, w, Caller{}, idOf(3), doc.Keys[3]["material"].(string))

	// keys[4]: HMAC_256 with the given key.
	hmacKey, err := base64.StdEncoding.DecodeString(doc.Keys[4]["material"].(string))
	require.NoError(t, err)
	mac := hmac.New(sha256.New, hmacKey)
	mac.Write([]byte("message"))
	got := mustCall(t, w, Caller{}, "GenerateMac", map[string]any{"KeyId": idOf(4), "Message": []byte("message"), "MacAlgorithm": "HMAC_SHA_256"})["Mac"]
	require.Equal(t, mac.Sum(nil), b64(t, got))

	// keys[5]: a multi-Region primary, which replicates.
	md = describe(Caller{}, 5)
	require.Equal(t, true, md["MultiRegion"])
	require.Equal(t, "PRIMARY", md["MultiRegionConfiguration"].(map[string]any)["MultiRegionKeyType"])
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": idOf(5), "ReplicaRegion": "us-west-2"})

	// keys[6]: imported symmetric material; keys[7]: waits for its material.
	md = describe(Caller{}, 6)
	require.Equal(t, "EXTERNAL", md["Origin"])
	require.Equal(t, "Enabled", md["KeyState"])
	require.Equal(t, "KEY_MATERIAL_DOES_NOT_EXPIRE", md["ExpirationModel"])
	md = describe(Caller{}, 7)
	require.Equal(t, "PendingImport", md["KeyState"])
	require.Equal(t, "RSA_3072", md["KeySpec"])

	// keys[8]: SM2 in a China Region of another account; keys[9]: all defaults.
	md = describe(cn, 8)
	require.Equal(t, "arn:aws-cn:kms:cn-north-1:444455556666:key/"+idOf(8), md["Arn"])
	require.Equal(t, defaultPolicy("aws-cn", "444455556666"), mustCall(t, w, cn, "GetKeyPolicy", map[string]any{"KeyId": idOf(8)})["Policy"])
	md = describe(Caller{}, 9)
	require.Equal(t, "SYMMETRIC_DEFAULT", md["KeySpec"])
	require.Equal(t, "ENCRYPT_DECRYPT", md["KeyUsage"])
	require.Equal(t, "", md["Description"])
	require.Equal(t, "Enabled", md["KeyState"])

	// A fixture world goes through the state file like any other.
	restored := NewWorld(Options{Clock: clock})
	st, body := restored.Handle(Caller{}, "WasmKMS.ImportState", exportWorld(t, w))
	require.Equal(t, 200, st, string(body))
	require.JSONEq(t, string(exportWorld(t, w)), string(exportWorld(t, restored)))
}

// requirePublicKeyOf: GetPublicKey answers the public half of the PEM private key.
func requirePublicKeyOf(t *testing.T, w *World, c Caller, keyID, privatePEM string) {
	t.Helper()
	block, _ := pem.Decode([]byte(privatePEM))
	priv, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	require.NoError(t, err)
	want, err := x509.MarshalPKIXPublicKey(priv.(crypto.Signer).Public())
	require.NoError(t, err)
	got := mustCall(t, w, c, "GetPublicKey", map[string]any{"KeyId": keyID})["PublicKey"]
	require.Equal(t, want, b64(t, got))
}

func describeAlias(t *testing.T, w *World, c Caller, name string) string {
	t.Helper()
	return mustCall(t, w, c, "DescribeKey", map[string]any{"KeyId": name})["KeyMetadata"].(map[string]any)["KeyId"].(string)
}

// TestLoadFixturesAllOrNothing: a body with a bad key anywhere adds nothing, not even the keys
// before it, and draws nothing from the world's RSA pool.
func TestLoadFixturesAllOrNothing(t *testing.T) {
	w := NewWorld(Options{Seed: "fixtures", Clock: "2026-05-01T12:00:00Z"})
	before := exportWorld(t, w)
	body := `{"keys":[{"aliases":["alias/first"]},{"keySpec":"RSA_2048","keyUsage":"SIGN_VERIFY"},{"keySpec":"HMAC_256","keyUsage":"GENERATE_VERIFY_MAC","material":"AAAA"}]}`
	status, out := loadFixtureBody(t, w, []byte(body))
	requireError(t, status, out, "ValidationException", "fixtures: keys[2].material: an HMAC_256 key is 32 bytes, not 3 (an imported one, origin EXTERNAL, may be longer)")
	require.JSONEq(t, string(before), string(exportWorld(t, w)))
	require.Empty(t, mustCall(t, w, Caller{}, "ListKeys", map[string]any{})["Keys"])

	// The same body without the bad key loads; a seeded world makes the same keys every time.
	good := `{"keys":[{"aliases":["alias/first"]},{"keySpec":"RSA_2048","keyUsage":"SIGN_VERIFY"}]}`
	status, out = loadFixtureBody(t, w, []byte(good))
	require.Equal(t, 200, status, "%v", out)
	twin := NewWorld(Options{Seed: "fixtures", Clock: "2026-05-01T12:00:00Z"})
	status, again := loadFixtureBody(t, twin, []byte(good))
	require.Equal(t, 200, status, "%v", again)
	require.Equal(t, out, again)
	require.JSONEq(t, string(exportWorld(t, w)), string(exportWorld(t, twin)))

	// Key IDs and aliases already in the world are taken.
	id := out["keys"].([]any)[0].(map[string]any)["keyId"].(string)
	status, out = loadFixtureBody(t, w, []byte(`{"keys":[{"keyId":"`+id+`","region":"eu-west-1"}]}`))
	requireError(t, status, out, "ValidationException", "fixtures: keys[0].keyId: the key ID "+id+" is already in use")
	status, out = loadFixtureBody(t, w, []byte(`{"keys":[{"aliases":["alias/first"]}]}`))
	requireError(t, status, out, "ValidationException", "fixtures: keys[0].aliases[0]: An alias with the name arn:aws:kms:us-east-1:111122223333:alias/first already exists")
	status, out = loadFixtureBody(t, w, []byte(`{"keys":[{"aliases":["alias/first"],"account":"444455556666"}]}`))
	require.Equal(t, 200, status, "another account has its own alias names: %v", out)
}

// TestLoadFixturesRefusals: the checks each member goes through, and their messages.
func TestLoadFixturesRefusals(t *testing.T) {
	rsa3072 := pemOf(t, func(w *World) privateKey { k, _ := w.rsaKeyFor(3072); return k })
	for _, c := range []struct{ body, message string }{
		{`[]`, `fixtures: the body is not a JSON object {"keys": [...]}`},
		{`{"keys":[],"more":1}`, `fixtures: more: not a member of the body, whose only member is "keys"`},
		{`{"keys":{}}`, `fixtures: keys: must be an array of keys`},
		{`{"keys":[1]}`, `fixtures: keys[0]: must be an object, a key`},
		{`{"keys":[{"keyId":"1234ABCD-12AB-34CD-56EF-1234567890AB"}]}`, `fixtures: keys[0].keyId: the key ID 1234ABCD-12AB-34CD-56EF-1234567890AB has upper-case letters; AWS writes key IDs in lower case`},
		{`{"keys":[{"account":"1234"}]}`, `fixtures: keys[0].account: "1234" is not an AWS account ID: 12 digits`},
		{`{"keys":[{"account":1234}]}`, `fixtures: keys[0].account: must be a string`},
		{`{"keys":[{"origin":"ELSEWHERE"}]}`, `fixtures: keys[0].origin: "ELSEWHERE" is not an origin: AWS_KMS or EXTERNAL`},
		{`{"keys":[{"keyUsage":"DECRYPT_ONLY"}]}`, `fixtures: keys[0].keyUsage: DECRYPT_ONLY is not a key usage`},
		{`{"keys":[{"keySpec":"RSA_3072","keyUsage":"ENCRYPT_DECRYPT","material":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}]}`, `fixtures: keys[0].material: not a PKCS #8 private key that wasmkms reads: `},
		{`{"keys":[{"keySpec":"RSA_3072","keyUsage":"ENCRYPT_DECRYPT","material":"MIIB"}]}`, `fixtures: keys[0].material: not a PEM "PRIVATE KEY" block (key spec RSA_3072 takes a PKCS #8 private key in PEM)`},
		{`{"keys":[{"keySpec":"RSA_3072","keyUsage":"ENCRYPT_DECRYPT","material":` + jsonString(rsa3072+rsa3072) + `}]}`, `fixtures: keys[0].material: more than one PEM block, or text after it`},
		{`{"keys":[{"keySpec":"ECC_NIST_P256","keyUsage":"SIGN_VERIFY","material":` + jsonString(rsa3072) + `}]}`, `fixtures: keys[0].material: a 3072-bit RSA key is not ECC_NIST_P256`},
		{`{"keys":[{"keySpec":"HMAC_224","keyUsage":"GENERATE_VERIFY_MAC","origin":"EXTERNAL","material":"AAAA"}]}`, `fixtures: keys[0].material: The key material for key spec HMAC_224 must be 28 to 64 bytes long.`},
		{`{"keys":[{"description":"` + strings.Repeat("d", 8193) + `"}]}`, `fixtures: keys[0].description: Member must have length less than or equal to 8192`},
		{`{"keys":[{"tags":{"` + strings.Repeat("k", 129) + `":"v"}}]}`, `fixtures: keys[0].tags["` + strings.Repeat("k", 129) + `"]: the tag's tagKey: Member must have length less than or equal to 128`},
		{`{"keys":[{"tags":{"k":1}}]}`, `fixtures: keys[0].tags: must be an object of strings (tag key to tag value)`},
		{`{"keys":[{"tags":` + manyTags(51) + `}]}`, `fixtures: keys[0].tags: Too many tags`},
		{`{"keys":[{"aliases":"alias/a"}]}`, `fixtures: keys[0].aliases: must be an array of strings`},
		{`{"keys":[{"aliases":["alias/a","alias/a"]}]}`, `fixtures: keys[0].aliases[1]: An alias with the name arn:aws:kms:us-east-1:111122223333:alias/a already exists`},
		{`{"keys":[{"aliases":["alias/a b"]}]}`, `fixtures: keys[0].aliases[0]: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$`},
		{`{"keys":[{"policy":""}]}`, `fixtures: keys[0].policy: Member must have length greater than or equal to 1`},
		{`{"keys":[{"rotationPeriodInDays":90.5}]}`, `fixtures: keys[0].rotationPeriodInDays: must be an integer`},
		{`{"keys":[{"rotationPeriodInDays":2561}]}`, `fixtures: keys[0].rotationPeriodInDays: Member must have value less than or equal to 2560`},
		{`{"keys":[{"rotationPeriodInDays":365,"origin":"EXTERNAL"}]}`, `fixtures: keys[0].rotationPeriodInDays: keys with imported material (origin EXTERNAL) do not rotate automatically`},
		{`{"keys":[{"enabled":null}]}`, `fixtures: keys[0].enabled: must be true or false`},
	} {
		w := NewWorld(Options{})
		status, out := loadFixtureBody(t, w, []byte(c.body))
		require.Equal(t, 400, status, c.body)
		require.Equal(t, "ValidationException", out["__type"], c.body)
		if strings.HasSuffix(c.message, ": ") {
			require.True(t, strings.HasPrefix(out["message"].(string), c.message), "%s: %s", c.body, out["message"])
		} else {
			require.Equal(t, c.message, out["message"], c.body)
		}
	}
}

func pemOf(t *testing.T, make func(w *World) privateKey) string {
	t.Helper()
	der, err := kmscrypto.MarshalPKCS8(make(NewWorld(Options{})))
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func jsonString(s string) string { return string(mustMarshal(s)) }

func manyTags(n int) string {
	tags := map[string]string{}
	for i := 0; i < n; i++ {
		tags["tag"+itoa(i)] = "v"
	}
	return string(mustMarshal(tags))
}

// TestFixturesSchema: js/fixtures.schema.json is a draft 2020-12 schema of exactly fixtureDocument's
// and fixtureKey's members, with the service's key specs, usages per key spec, origins and Regions.
func TestFixturesSchema(t *testing.T) {
	b, err := os.ReadFile("../../js/fixtures.schema.json")
	require.NoError(t, err)
	var schema struct {
		Schema               string                     `json:"$schema"`
		Type                 string                     `json:"type"`
		Required             []string                   `json:"required"`
		AdditionalProperties *bool                      `json:"additionalProperties"`
		Properties           map[string]json.RawMessage `json:"properties"`
		Defs                 struct {
			Key struct {
				AdditionalProperties *bool `json:"additionalProperties"`
				Properties           map[string]struct {
					Type string   `json:"type"`
					Enum []string `json:"enum"`
				} `json:"properties"`
				AllOf []struct {
					If struct {
						Properties struct {
							KeySpec struct {
								Enum []string `json:"enum"`
							} `json:"keySpec"`
						} `json:"properties"`
					} `json:"if"`
					Then struct {
						Properties struct {
							KeyUsage struct {
								Enum []string `json:"enum"`
							} `json:"keyUsage"`
						} `json:"properties"`
					} `json:"then"`
				} `json:"allOf"`
			} `json:"key"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(b, &schema), "the schema is JSON")
	require.Equal(t, "https://json-schema.org/draft/2020-12/schema", schema.Schema)
	require.Equal(t, "object", schema.Type)
	require.Equal(t, []string{"keys"}, schema.Required)
	require.False(t, *schema.AdditionalProperties)
	require.Equal(t, jsonNames(reflect.TypeOf(fixtureDocument{})), sortedNames(schema.Properties))

	key := schema.Defs.Key
	require.False(t, *key.AdditionalProperties)
	names := make([]string, 0, len(key.Properties))
	for name := range key.Properties {
		names = append(names, name)
	}
	sort.Strings(names)
	require.Equal(t, jsonNames(reflect.TypeOf(fixtureKey{})), names, "the schema's key members are fixtureKey's")
	goType := map[reflect.Type]string{reflect.TypeOf((*string)(nil)): "string", reflect.TypeOf((*bool)(nil)): "boolean",
		reflect.TypeOf((*int)(nil)): "integer", reflect.TypeOf([]string(nil)): "array", reflect.TypeOf(map[string]string(nil)): "object"}
	ft := reflect.TypeOf(fixtureKey{})
	for i := 0; i < ft.NumField(); i++ {
		name := ft.Field(i).Tag.Get("json")
		require.Equal(t, goType[ft.Field(i).Type], key.Properties[name].Type, name)
	}

	specs := make([]string, 0, len(keySpecs))
	for name := range keySpecs {
		specs = append(specs, name)
	}
	require.ElementsMatch(t, specs, key.Properties["keySpec"].Enum)
	require.Equal(t, enumKeyUsageType, key.Properties["keyUsage"].Enum)
	require.Equal(t, []string{"AWS_KMS", "EXTERNAL"}, key.Properties["origin"].Enum)
	var regions []string
	for _, p := range awsPartitions {
		regions = append(regions, p.regions...)
	}
	require.ElementsMatch(t, regions, key.Properties["region"].Enum)
	usages := map[string][]string{}
	for _, rule := range key.AllOf {
		for _, spec := range rule.If.Properties.KeySpec.Enum {
			if allowed := rule.Then.Properties.KeyUsage.Enum; allowed != nil {
				usages[spec] = allowed
			}
		}
	}
	for name, spec := range keySpecs {
		require.ElementsMatch(t, spec.usages, usages[name], "the schema's usages of %s", name)
	}
}

func jsonNames(t reflect.Type) []string {
	var names []string
	for i := 0; i < t.NumField(); i++ {
		names = append(names, t.Field(i).Tag.Get("json"))
	}
	sort.Strings(names)
	return names
}

func sortedNames(m map[string]json.RawMessage) []string {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	return slices.Sorted(slices.Values(names))
}
