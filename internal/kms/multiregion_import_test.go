package kms

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// mrkRotations answers ListKeyRotations (ALL_KEY_MATERIAL) of a key as KeyMaterialId -> entry.
func mrkRotations(t *testing.T, w *World, c Caller, keyID string) map[string]map[string]any {
	t.Helper()
	out := mustCall(t, w, c, "ListKeyRotations", map[string]any{"KeyId": keyID, "IncludeKeyMaterial": "ALL_KEY_MATERIAL"})
	got := map[string]map[string]any{}
	for _, e := range out["Rotations"].([]any) {
		entry := e.(map[string]any)
		got[entry["KeyMaterialId"].(string)] = entry
	}
	return got
}

// importAs runs GetParametersForImport of key keyID as c, wraps the material and answers
// ImportKeyMaterial's status and answer; extra members go into the import (nil removes one).
func importAs(t *testing.T, w *World, c Caller, keyID string, material []byte, extra map[string]any) (int, map[string]any) {
	t.Helper()
	pub, token := importParams(t, w, c, keyID, "RSAES_OAEP_SHA_256", "RSA_4096")
	req := map[string]any{"KeyId": keyID, "ImportToken": token, "EncryptedKeyMaterial": wrapMaterial(t, pub, "RSAES_OAEP_SHA_256", material),
		"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"}
	for k, v := range extra {
		if v == nil {
			delete(req, k)
		} else {
			req[k] = v
		}
	}
	return callAs(t, w, c, "ImportKeyMaterial", req)
}

// A multi-Region symmetric key with imported material, as the Developer Guide's "Importing key material
// into multi-Region keys" describes it: the replica starts without material (PendingImport), takes
// only the primary's material, with its own import token, expiration and key state; once both have
// it, a blob from one Region opens in the other.
func TestMultiRegionImportedSymmetricKey(t *testing.T) {
	w, clock := newImportWorld()
	primary := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true, "Origin": "EXTERNAL"})
	id := primary["KeyId"].(string)
	require.Regexp(t, mrkIDForm, id)
	require.Equal(t, "PendingImport", primary["KeyState"])
	material := importRandom(32)
	materialID := importFor(t, w, Caller{}, id, material, nil)["KeyMaterialId"].(string)
	sealed := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("from us-east-1")})["CiphertextBlob"]

	// ReplicateKey answers the replica Creating, as for any key; then it is PendingImport, without
	// material but knowing the set's: the same CurrentKeyMaterialId, its ImportState PENDING_IMPORT.
	replicated := mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1"})["ReplicaKeyMetadata"].(map[string]any)
	require.Equal(t, "Creating", replicated["KeyState"])
	require.Equal(t, "EXTERNAL", replicated["Origin"])
	require.NotContains(t, replicated, "ExpirationModel")
	replicaARN := keyARN("eu-west-1", DefaultAccount, id)
	replica := describe(t, w, euWest1, id)
	require.Equal(t, "PendingImport", replica["KeyState"])
	require.Equal(t, false, replica["Enabled"])
	require.Equal(t, materialID, replica["CurrentKeyMaterialId"])
	require.NotContains(t, replica, "ExpirationModel")
	require.Equal(t, mrkConfig("REPLICA", id, "us-east-1", "eu-west-1"), replica["MultiRegionConfiguration"])
	require.Equal(t, map[string]any{"KeyId": replicaARN, "KeyMaterialId": materialID, "KeyMaterialState": "CURRENT", "ImportState": "PENDING_IMPORT"},
		mrkRotations(t, w, euWest1, id)[materialID])
	status, out := callAs(t, w, euWest1, "Decrypt", map[string]any{"CiphertextBlob": sealed})
	requireError(t, status, out, "KMSInvalidStateException", replicaARN+" is pending import.")

	// Each key has its own import parameters: the primary's token is not the replica's.
	pub, primaryToken := importParams(t, w, Caller{}, id, "RSAES_OAEP_SHA_256", "RSA_2048")
	status, out = callAs(t, w, euWest1, "ImportKeyMaterial", map[string]any{"KeyId": id, "ImportToken": primaryToken,
		"EncryptedKeyMaterial": wrapMaterial(t, pub, "RSAES_OAEP_SHA_256", material), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
	requireError(t, status, out, "InvalidImportTokenException", "The import token is invalid or is associated with a different KMS key.")

	// Other material is refused, as new material, and as existing.
	primaryARN := keyARN("us-east-1", DefaultAccount, id)
	status, out = importAs(t, w, euWest1, id, importRandom(32), nil)
	requireError(t, status, out, "IncorrectKeyMaterialException", "The key material is not the key material of multi-Region key "+replicaARN+", which is the key material imported into its primary key "+primaryARN+".")
	status, out = importAs(t, w, euWest1, id, material, map[string]any{"ImportType": "NEW_KEY_MATERIAL"})
	requireError(t, status, out, "UnsupportedOperationException", replicaARN+" is a multi-Region replica key: import new key material into its primary key "+primaryARN+" first, then the same key material into each replica key.")

	// The same material, with an expiration of the replica's own.
	validTo := clock.now.Add(48 * time.Hour)
	imported := mustImport(t, w, euWest1, id, material, map[string]any{"ExpirationModel": "KEY_MATERIAL_EXPIRES", "ValidTo": validTo.Unix()})
	require.Equal(t, map[string]any{"KeyId": replicaARN, "KeyMaterialId": materialID}, imported)
	replica = describe(t, w, euWest1, id)
	require.Equal(t, "Enabled", replica["KeyState"])
	require.Equal(t, "KEY_MATERIAL_EXPIRES", replica["ExpirationModel"])
	require.Equal(t, float64(validTo.Unix()), replica["ValidTo"])
	require.Equal(t, "KEY_MATERIAL_DOES_NOT_EXPIRE", describe(t, w, Caller{}, id)["ExpirationModel"])

	// Interoperable: each Region opens the other's blobs.
	opened := mustCall(t, w, euWest1, "Decrypt", map[string]any{"CiphertextBlob": sealed})
	require.Equal(t, "from us-east-1", string(b64(t, opened["Plaintext"])))
	require.Equal(t, replicaARN, opened["KeyId"])
	back := mustCall(t, w, euWest1, "Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("from eu-west-1")})["CiphertextBlob"]
	require.Equal(t, "from eu-west-1", string(b64(t, mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": back})["Plaintext"])))

	// Key states are each key's own: the replica's material expires, the primary's stays; deleting
	// the primary's material leaves the replica as it is.
	clock.now = validTo.Add(time.Second)
	require.Equal(t, "PendingImport", describe(t, w, euWest1, id)["KeyState"])
	require.Equal(t, "Enabled", describe(t, w, Caller{}, id)["KeyState"])
	mustImport(t, w, euWest1, id, material, nil)
	deleted := mustCall(t, w, Caller{}, "DeleteImportedKeyMaterial", map[string]any{"KeyId": id})
	require.Equal(t, map[string]any{"KeyId": primaryARN, "KeyMaterialId": materialID}, deleted)
	require.Equal(t, "PendingImport", describe(t, w, Caller{}, id)["KeyState"])
	require.Equal(t, "Enabled", describe(t, w, euWest1, id)["KeyState"])
	require.Equal(t, "from us-east-1", string(b64(t, mustCall(t, w, euWest1, "Decrypt", map[string]any{"CiphertextBlob": sealed})["Plaintext"])))

	// A single-Region key with the same material is not interoperable (its key ID differs).
	single := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL"})["KeyId"].(string)
	importFor(t, w, Caller{}, single, material, nil)
	status, out = call(t, w, "Decrypt", map[string]any{"CiphertextBlob": back, "KeyId": single})
	requireError(t, status, out, "IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.")
}

// mustImport imports material into key keyID as c, which must succeed.
func mustImport(t *testing.T, w *World, c Caller, keyID string, material []byte, extra map[string]any) map[string]any {
	t.Helper()
	status, out := importAs(t, w, c, keyID, material, extra)
	require.Equal(t, 200, status, "ImportKeyMaterial answered %v", out)
	return out
}

// New material enters through the primary: a replica of a primary that never had material takes
// none; the primary's first import reaches the replica as material pending import.
func TestMultiRegionImportStartsAtThePrimary(t *testing.T) {
	w, _ := newImportWorld()
	id := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true, "Origin": "EXTERNAL"})["KeyId"].(string)
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1"})
	replicaARN, primaryARN := keyARN("eu-west-1", DefaultAccount, id), keyARN("us-east-1", DefaultAccount, id)
	newMaterial := replicaARN + " is a multi-Region replica key: import new key material into its primary key " + primaryARN + " first, then the same key material into each replica key."
	material := importRandom(32)
	for _, importType := range []any{nil, "NEW_KEY_MATERIAL", "EXISTING_KEY_MATERIAL"} {
		status, out := importAs(t, w, euWest1, id, material, map[string]any{"ImportType": importType})
		requireError(t, status, out, "UnsupportedOperationException", newMaterial)
	}
	// Refused before the token is looked at: a request of a replica that cannot take material.
	status, out := callAs(t, w, euWest1, "ImportKeyMaterial", map[string]any{"KeyId": id, "ImportToken": []byte("not a token"),
		"EncryptedKeyMaterial": []byte("not wrapped"), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"})
	requireError(t, status, out, "UnsupportedOperationException", newMaterial)
	status, out = callAs(t, w, euWest1, "ListKeyRotations", map[string]any{"KeyId": id})
	requireError(t, status, out, "KMSInvalidStateException", replicaARN+" is pending import.")

	materialID := importFor(t, w, Caller{}, id, material, nil)["KeyMaterialId"].(string)
	require.Equal(t, "PendingImport", describe(t, w, euWest1, id)["KeyState"])
	require.Equal(t, "PENDING_IMPORT", mrkRotations(t, w, euWest1, id)[materialID]["ImportState"])
	require.Equal(t, materialID, mustImport(t, w, euWest1, id, material, nil)["KeyMaterialId"])
	require.Equal(t, "Enabled", describe(t, w, euWest1, id)["KeyState"])
	// A replica made now starts with the material's ID too.
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "ap-southeast-1"})
	require.Equal(t, materialID, describe(t, w, apSouth1, id)["CurrentKeyMaterialId"])
	require.Equal(t, "PendingImport", describe(t, w, apSouth1, id)["KeyState"])
}

// ImportKeyMaterial's documentation: new material for a multi-Region symmetric key is imported into
// the primary (NEW_KEY_MATERIAL), then into every replica (EXISTING_KEY_MATERIAL); only then does
// RotateKeyOnDemand of the primary make it current, in every key of the set.
func TestMultiRegionImportedMaterialRotation(t *testing.T) {
	w, clock := newImportWorld()
	var log bytes.Buffer // the state log (statelog.go) must see every key a call changes in other Regions
	require.NoError(t, w.WriteStateLog(&log))
	id := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true, "Origin": "EXTERNAL"})["KeyId"].(string)
	first := importRandom(32)
	firstID := importFor(t, w, Caller{}, id, first, nil)["KeyMaterialId"].(string)
	for _, r := range []Caller{euWest1, apSouth1} {
		mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": r.Region})
		mustImport(t, w, r, id, first, nil)
	}
	primaryARN := keyARN("us-east-1", DefaultAccount, id)

	second := importRandom(32)
	secondID := importFor(t, w, Caller{}, id, second, map[string]any{"ImportType": "NEW_KEY_MATERIAL"})["KeyMaterialId"].(string)
	require.Equal(t, "PENDING_MULTI_REGION_IMPORT_AND_ROTATION", mrkRotations(t, w, Caller{}, id)[secondID]["KeyMaterialState"])
	status, out := call(t, w, "RotateKeyOnDemand", map[string]any{"KeyId": id})
	requireError(t, status, out, "KMSInvalidStateException", "Key material (id: "+secondID+") of KMS key "+primaryARN+" cannot become current, because it is not imported into the replica keys in eu-west-1, ap-southeast-1.")

	// Into the replicas as existing material (named by its ID or not): PENDING_ROTATION there; the
	// primary's waits until the last replica has it.
	mustImport(t, w, euWest1, id, second, map[string]any{"ImportType": "EXISTING_KEY_MATERIAL", "KeyMaterialId": secondID})
	require.Equal(t, "PENDING_ROTATION", mrkRotations(t, w, euWest1, id)[secondID]["KeyMaterialState"])
	require.Equal(t, "PENDING_MULTI_REGION_IMPORT_AND_ROTATION", mrkRotations(t, w, Caller{}, id)[secondID]["KeyMaterialState"])
	status, out = callAs(t, w, euWest1, "RotateKeyOnDemand", map[string]any{"KeyId": id})
	requireError(t, status, out, "UnsupportedOperationException", keyARN("eu-west-1", DefaultAccount, id)+" is not a multi-region primary key.")
	mustImport(t, w, apSouth1, id, second, nil)
	require.Equal(t, "PENDING_ROTATION", mrkRotations(t, w, Caller{}, id)[secondID]["KeyMaterialState"])

	clock.now = clock.now.Add(time.Hour)
	mustCall(t, w, Caller{}, "RotateKeyOnDemand", map[string]any{"KeyId": id})
	for _, c := range []Caller{{}, euWest1, apSouth1} {
		got := mrkRotations(t, w, c, id)
		require.Equal(t, "CURRENT", got[secondID]["KeyMaterialState"], c.Region)
		require.Equal(t, "ON_DEMAND", got[secondID]["RotationType"], c.Region)
		require.Equal(t, float64(clock.now.Unix()), got[secondID]["RotationDate"], c.Region)
		require.Equal(t, "NON_CURRENT", got[firstID]["KeyMaterialState"], c.Region)
		require.Equal(t, secondID, describe(t, w, c, id)["CurrentKeyMaterialId"], c.Region)
	}
	blob := mustCall(t, w, apSouth1, "Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("rotated")})["CiphertextBlob"]
	opened := mustCall(t, w, euWest1, "Decrypt", map[string]any{"CiphertextBlob": blob})
	require.Equal(t, "rotated", string(b64(t, opened["Plaintext"])))
	require.Equal(t, secondID, opened["KeyMaterialId"])

	// Deleting the primary's material pending rotation deletes the replicas' too; a replica's own
	// deletion changes nothing elsewhere.
	third := importRandom(32)
	thirdID := importFor(t, w, Caller{}, id, third, map[string]any{"ImportType": "NEW_KEY_MATERIAL"})["KeyMaterialId"].(string)
	mustImport(t, w, euWest1, id, third, nil)
	mustImport(t, w, apSouth1, id, third, nil)
	mustCall(t, w, apSouth1, "DeleteImportedKeyMaterial", map[string]any{"KeyId": id, "KeyMaterialId": thirdID})
	require.NotContains(t, mrkRotations(t, w, apSouth1, id), thirdID)
	require.Equal(t, "PENDING_MULTI_REGION_IMPORT_AND_ROTATION", mrkRotations(t, w, Caller{}, id)[thirdID]["KeyMaterialState"])
	require.Contains(t, mrkRotations(t, w, euWest1, id), thirdID)
	mustCall(t, w, Caller{}, "DeleteImportedKeyMaterial", map[string]any{"KeyId": id, "KeyMaterialId": thirdID})
	for _, c := range []Caller{{}, euWest1} {
		require.NotContains(t, mrkRotations(t, w, c, id), thirdID, c.Region)
		require.Equal(t, "Enabled", describe(t, w, c, id)["KeyState"], c.Region)
	}
	// Different material may take its place.
	importFor(t, w, Caller{}, id, importRandom(32), map[string]any{"ImportType": "NEW_KEY_MATERIAL"})

	log.Write(w.TakeChanges(true).Record)
	replayed, _ := newImportWorld()
	_, err := replayed.ReadStateLog(&log)
	require.NoError(t, err)
	require.JSONEq(t, string(exportWorld(t, w)), string(exportWorld(t, replayed)))
}

// The primary changes only to a replica that has the material pending rotation, so that the replicas'
// pending material stays their primary's.
func TestMultiRegionImportedUpdatePrimaryRegion(t *testing.T) {
	w, _ := newImportWorld()
	id := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true, "Origin": "EXTERNAL"})["KeyId"].(string)
	first := importRandom(32)
	importFor(t, w, Caller{}, id, first, nil)
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1"})
	mustImport(t, w, euWest1, id, first, nil)
	second := importRandom(32)
	secondID := importFor(t, w, Caller{}, id, second, map[string]any{"ImportType": "NEW_KEY_MATERIAL"})["KeyMaterialId"].(string)
	status, out := call(t, w, "UpdatePrimaryRegion", map[string]any{"KeyId": id, "PrimaryRegion": "eu-west-1"})
	requireError(t, status, out, "KMSInvalidStateException", "Key material (id: "+secondID+") of KMS key "+keyARN("us-east-1", DefaultAccount, id)+" cannot become current, because it is not imported into the replica keys in eu-west-1.")
	mustImport(t, w, euWest1, id, second, nil)
	mustCall(t, w, Caller{}, "UpdatePrimaryRegion", map[string]any{"KeyId": id, "PrimaryRegion": "eu-west-1"})
	mustCall(t, w, euWest1, "RotateKeyOnDemand", map[string]any{"KeyId": id})
	require.Equal(t, secondID, describe(t, w, Caller{}, id)["CurrentKeyMaterialId"])
	// New material now enters through eu-west-1.
	status, out = importAs(t, w, Caller{}, id, importRandom(32), map[string]any{"ImportType": "NEW_KEY_MATERIAL"})
	require.Equal(t, "UnsupportedOperationException", out["__type"], "status %d", status)
}

// Asymmetric and HMAC multi-Region keys take imported material too (the model); a replica takes the
// one material its primary has, and signs what the primary's public key verifies.
func TestMultiRegionImportedAsymmetricAndHMACKeys(t *testing.T) {
	w, _ := newImportWorld()
	id := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true, "Origin": "EXTERNAL", "KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})["KeyId"].(string)
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1"})
	replicaARN, primaryARN := keyARN("eu-west-1", DefaultAccount, id), keyARN("us-east-1", DefaultAccount, id)
	ecc := func() []byte {
		priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		der, err := x509.MarshalPKCS8PrivateKey(priv)
		require.NoError(t, err)
		return der
	}
	material := ecc()
	status, out := importAs(t, w, euWest1, id, material, nil)
	requireError(t, status, out, "UnsupportedOperationException", replicaARN+" is a multi-Region replica key: import new key material into its primary key "+primaryARN+" first, then the same key material into each replica key.")
	mustImport(t, w, Caller{}, id, material, nil)
	status, out = callAs(t, w, euWest1, "GetPublicKey", map[string]any{"KeyId": id})
	requireError(t, status, out, "KMSInvalidStateException", replicaARN+" is pending import.")
	status, out = importAs(t, w, euWest1, id, ecc(), nil)
	requireError(t, status, out, "IncorrectKeyMaterialException", "The key material is not the key material of multi-Region key "+replicaARN+", which is the key material imported into its primary key "+primaryARN+".")
	mustImport(t, w, euWest1, id, material, nil)
	require.Equal(t, "Enabled", describe(t, w, euWest1, id)["KeyState"])
	require.Equal(t, mustCall(t, w, Caller{}, "GetPublicKey", map[string]any{"KeyId": id})["PublicKey"], mustCall(t, w, euWest1, "GetPublicKey", map[string]any{"KeyId": id})["PublicKey"])
	signed := mustCall(t, w, euWest1, "Sign", map[string]any{"KeyId": id, "Message": []byte("m"), "SigningAlgorithm": "ECDSA_SHA_256"})
	verified := mustCall(t, w, Caller{}, "Verify", map[string]any{"KeyId": id, "Message": []byte("m"), "SigningAlgorithm": "ECDSA_SHA_256", "Signature": signed["Signature"]})
	require.Equal(t, true, verified["SignatureValid"])

	hmacID := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true, "Origin": "EXTERNAL", "KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"})["KeyId"].(string)
	secret := importRandom(32)
	mustImport(t, w, Caller{}, hmacID, secret, nil)
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": hmacID, "ReplicaRegion": "eu-west-1"})
	status, out = importAs(t, w, euWest1, hmacID, importRandom(32), nil)
	require.Equal(t, "IncorrectKeyMaterialException", out["__type"], "status %d", status)
	mustImport(t, w, euWest1, hmacID, secret, nil)
	mac := mustCall(t, w, Caller{}, "GenerateMac", map[string]any{"KeyId": hmacID, "Message": []byte("m"), "MacAlgorithm": "HMAC_SHA_256"})["Mac"]
	require.Equal(t, true, mustCall(t, w, euWest1, "VerifyMac", map[string]any{"KeyId": hmacID, "Message": []byte("m"), "MacAlgorithm": "HMAC_SHA_256", "Mac": mac})["MacValid"])
}

// The state document carries each key of the set with its own material and imports; a restored
// world goes on as the first, and refuses sets whose keys disagree on their material.
func TestMultiRegionImportedState(t *testing.T) {
	w, _ := newImportWorld()
	id := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true, "Origin": "EXTERNAL"})["KeyId"].(string)
	first, second := importRandom(32), importRandom(32)
	importFor(t, w, Caller{}, id, first, nil)
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1"})
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "ap-southeast-1"})
	mustImport(t, w, euWest1, id, first, nil)
	secondID := importFor(t, w, Caller{}, id, second, map[string]any{"ImportType": "NEW_KEY_MATERIAL"})["KeyMaterialId"].(string)
	mustImport(t, w, euWest1, id, second, nil)
	ecc := newKey(t, w, Caller{}, map[string]any{"MultiRegion": true, "Origin": "EXTERNAL", "KeySpec": "HMAC_384", "KeyUsage": "GENERATE_VERIFY_MAC"})["KeyId"].(string)
	mustImport(t, w, Caller{}, ecc, importRandom(48), nil)
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": ecc, "ReplicaRegion": "eu-west-1"})
	blob := mustCall(t, w, euWest1, "Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("kept")})["CiphertextBlob"]
	state := exportWorld(t, w)

	restored, _ := newImportWorld()
	status, body := restored.Handle(Caller{}, "WasmKMS.ImportState", state)
	require.Equal(t, 200, status, string(body))
	require.JSONEq(t, string(state), string(exportWorld(t, restored)))
	for _, c := range []Caller{{}, euWest1, apSouth1} {
		require.Equal(t, describe(t, w, c, id), describe(t, restored, c, id), c.Region)
		require.Equal(t, mrkRotations(t, w, c, id), mrkRotations(t, restored, c, id), c.Region)
	}
	require.Equal(t, "kept", string(b64(t, mustCall(t, restored, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob})["Plaintext"])))
	require.Equal(t, "PENDING_MULTI_REGION_IMPORT_AND_ROTATION", mrkRotations(t, restored, Caller{}, id)[secondID]["KeyMaterialState"])
	mustImport(t, restored, apSouth1, id, first, nil)
	mustImport(t, restored, apSouth1, id, second, nil)
	mustCall(t, restored, Caller{}, "RotateKeyOnDemand", map[string]any{"KeyId": id})
	require.Equal(t, secondID, describe(t, restored, apSouth1, id)["CurrentKeyMaterialId"])

	// mutate edits a copy of the state: the key keyID in region.
	mutate := func(region, keyID string, fn func(k map[string]any)) []byte {
		var st map[string]any
		require.NoError(t, json.Unmarshal(state, &st))
		for _, r := range st["regions"].([]any) {
			if r.(map[string]any)["region"] != region {
				continue
			}
			for _, k := range r.(map[string]any)["keys"].([]any) {
				if k.(map[string]any)["keyId"] == keyID {
					fn(k.(map[string]any))
				}
			}
		}
		b, err := json.Marshal(st)
		require.NoError(t, err)
		return b
	}
	for name, bad := range map[string][]byte{
		"a replica without a version of its primary": mutate("ap-southeast-1", id, func(k map[string]any) {
			delete(k, "symmetricMaterial")
			delete(k, "imports")
		}),
		"a replica's pending material that is not its primary's": mutate("us-east-1", id, func(k map[string]any) {
			delete(k["imports"].(map[string]any), "pendingMaterial")
			delete(k["imports"].(map[string]any)["materials"].(map[string]any), secondID)
		}),
		"keys of one set with different HMAC material": mutate("eu-west-1", ecc, func(k map[string]any) {
			k["imports"].(map[string]any)["materialDigest"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
		}),
	} {
		fresh, _ := newImportWorld()
		status, body := fresh.Handle(Caller{}, "WasmKMS.ImportState", bad)
		require.Equal(t, 400, status, name)
		require.Contains(t, string(body), "Invalid state: multi-Region key ", name)
	}
}

// A fixture may be an imported multi-Region primary, with its material: replicas take the same.
func TestMultiRegionImportedFixture(t *testing.T) {
	w, _ := newImportWorld()
	material := importRandom(32)
	body, err := json.Marshal(map[string]any{"keys": []any{map[string]any{"keyId": "mrk-1234abcd12ab34cd56ef1234567890ab", "origin": "EXTERNAL", "material": material}}})
	require.NoError(t, err)
	status, resp := w.Handle(Caller{}, "WasmKMS.LoadFixtures", body)
	require.Equal(t, 200, status, string(resp))
	id := "mrk-1234abcd12ab34cd56ef1234567890ab"
	mustCall(t, w, Caller{}, "ReplicateKey", map[string]any{"KeyId": id, "ReplicaRegion": "eu-west-1"})
	mustImport(t, w, euWest1, id, material, nil)
	blob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("fixture")})["CiphertextBlob"]
	require.Equal(t, "fixture", string(b64(t, mustCall(t, w, euWest1, "Decrypt", map[string]any{"CiphertextBlob": blob})["Plaintext"])))
}
