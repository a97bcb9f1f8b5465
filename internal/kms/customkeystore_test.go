package kms

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const (
	testClusterID   = "cluster-234567abcdefg"
	testTrustAnchor = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
	testPassword    = "kmsPswd-secret"
	testXksKeyID    = "ABCDEFGHIJKLMNOPQRST"
	testXksSecret   = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ" // 43 characters
	testVPCService  = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
)

func cloudHSMStoreRequest(name, cluster string) map[string]any {
	return map[string]any{"CustomKeyStoreName": name, "CloudHsmClusterId": cluster, "TrustAnchorCertificate": testTrustAnchor,
		"KeyStorePassword": testPassword}
}

func xksStoreRequest(name, endpoint string) map[string]any {
	return map[string]any{"CustomKeyStoreName": name, "CustomKeyStoreType": "EXTERNAL_KEY_STORE", "XksProxyUriEndpoint": endpoint,
		"XksProxyUriPath": "/kms/xks/v1", "XksProxyConnectivity": "PUBLIC_ENDPOINT",
		"XksProxyAuthenticationCredential": map[string]any{"AccessKeyId": testXksKeyID, "RawSecretAccessKey": testXksSecret}}
}

// newStore creates a custom key store and answers its ID.
func newStore(t *testing.T, w *World, c Caller, req map[string]any) string {
	t.Helper()
	return mustCall(t, w, c, "CreateCustomKeyStore", req)["CustomKeyStoreId"].(string)
}

func describeStore(t *testing.T, w *World, c Caller, id string) map[string]any {
	t.Helper()
	out := mustCall(t, w, c, "DescribeCustomKeyStores", map[string]any{"CustomKeyStoreId": id})
	stores := out["CustomKeyStores"].([]any)
	require.Len(t, stores, 1)
	return stores[0].(map[string]any)
}

func stateOfKey(t *testing.T, w *World, id string) string {
	t.Helper()
	return mustCall(t, w, Caller{}, "DescribeKey", map[string]any{"KeyId": id})["KeyMetadata"].(map[string]any)["KeyState"].(string)
}

func TestCloudHSMKeyStoreLifecycle(t *testing.T) {
	w := NewWorld(Options{Now: fixedClock()})
	id := newStore(t, w, Caller{}, cloudHSMStoreRequest("hsm", testClusterID))
	require.Regexp(t, `^cks-[0-9a-f]{17}$`, id)

	entry := describeStore(t, w, Caller{}, id)
	require.Equal(t, map[string]any{"CustomKeyStoreId": id, "CustomKeyStoreName": "hsm", "CustomKeyStoreType": "AWS_CLOUDHSM",
		"CloudHsmClusterId": testClusterID, "TrustAnchorCertificate": testTrustAnchor, "ConnectionState": "DISCONNECTED",
		"CreationDate": epochOf(fixedNow)}, entry)

	// A key needs a connected store.
	status, out := call(t, w, "CreateKey", map[string]any{"Origin": "AWS_CLOUDHSM", "CustomKeyStoreId": id})
	requireError(t, status, out, "CustomKeyStoreInvalidStateException",
		"The ConnectionState of custom key store "+id+" is DISCONNECTED, which is not valid for CreateKey.")
	status, out = call(t, w, "DisconnectCustomKeyStore", map[string]any{"CustomKeyStoreId": id})
	requireError(t, status, out, "CustomKeyStoreInvalidStateException",
		"The ConnectionState of custom key store "+id+" is DISCONNECTED, which is not valid for DisconnectCustomKeyStore.")

	mustCall(t, w, Caller{}, "ConnectCustomKeyStore", map[string]any{"CustomKeyStoreId": id})
	mustCall(t, w, Caller{}, "ConnectCustomKeyStore", map[string]any{"CustomKeyStoreId": id}) // connected already: succeeds
	require.Equal(t, "CONNECTED", describeStore(t, w, Caller{}, id)["ConnectionState"])

	md := newKey(t, w, Caller{}, map[string]any{"Origin": "AWS_CLOUDHSM", "CustomKeyStoreId": id})
	require.Equal(t, "AWS_CLOUDHSM", md["Origin"])
	require.Equal(t, id, md["CustomKeyStoreId"])
	require.Equal(t, testClusterID, md["CloudHsmClusterId"])
	require.Equal(t, "Enabled", md["KeyState"])
	require.NotContains(t, md, "CurrentKeyMaterialId")
	require.NotContains(t, md, "XksKeyConfiguration")
	keyID, arn := md["KeyId"].(string), md["Arn"].(string)
	blob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": keyID, "Plaintext": []byte("in the HSM")})["CiphertextBlob"]
	require.Equal(t, "in the HSM", string(b64(t, mustCall(t, w, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob})["Plaintext"])))

	// Disconnected: the key is Unavailable and cannot be used; EnableKey and DisableKey take effect at the
	// next connection (the key state table's notes 11 and 12).
	mustCall(t, w, Caller{}, "DisconnectCustomKeyStore", map[string]any{"CustomKeyStoreId": id})
	require.Equal(t, "Unavailable", stateOfKey(t, w, keyID))
	status, out = call(t, w, "Decrypt", map[string]any{"CiphertextBlob": blob})
	requireError(t, status, out, "KMSInvalidStateException", arn+" is unavailable.")
	status, out = call(t, w, "GenerateDataKey", map[string]any{"KeyId": keyID, "KeySpec": "AES_256"})
	requireError(t, status, out, "KMSInvalidStateException", arn+" is unavailable.")
	mustCall(t, w, Caller{}, "DisableKey", map[string]any{"KeyId": keyID})
	require.Equal(t, "Unavailable", stateOfKey(t, w, keyID))
	mustCall(t, w, Caller{}, "UpdateKeyDescription", map[string]any{"KeyId": keyID, "Description": "managed while unavailable"})
	mustCall(t, w, Caller{}, "ConnectCustomKeyStore", map[string]any{"CustomKeyStoreId": id})
	require.Equal(t, "Disabled", stateOfKey(t, w, keyID))
	status, out = call(t, w, "Encrypt", map[string]any{"KeyId": keyID, "Plaintext": []byte("x")})
	requireError(t, status, out, "DisabledException", arn+" is disabled.")
	mustCall(t, w, Caller{}, "EnableKey", map[string]any{"KeyId": keyID})

	// A store with keys, connected, cannot be deleted.
	status, out = call(t, w, "DeleteCustomKeyStore", map[string]any{"CustomKeyStoreId": id})
	requireError(t, status, out, "CustomKeyStoreInvalidStateException",
		"The ConnectionState of custom key store "+id+" is CONNECTED, which is not valid for DeleteCustomKeyStore.")
	mustCall(t, w, Caller{}, "DisconnectCustomKeyStore", map[string]any{"CustomKeyStoreId": id})
	status, out = call(t, w, "DeleteCustomKeyStore", map[string]any{"CustomKeyStoreId": id})
	requireError(t, status, out, "CustomKeyStoreHasCMKsException",
		"Custom key store "+id+" contains KMS keys: delete them (ScheduleKeyDeletion) before you delete the custom key store.")

	// Pending deletion stays so while the store is disconnected (note 13); cancelled, the key is Disabled,
	// so Unavailable until the store connects.
	mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": keyID, "PendingWindowInDays": 7})
	mustCall(t, w, Caller{}, "ConnectCustomKeyStore", map[string]any{"CustomKeyStoreId": id})
	mustCall(t, w, Caller{}, "DisconnectCustomKeyStore", map[string]any{"CustomKeyStoreId": id})
	require.Equal(t, "PendingDeletion", stateOfKey(t, w, keyID))
	mustCall(t, w, Caller{}, "CancelKeyDeletion", map[string]any{"KeyId": keyID})
	require.Equal(t, "Unavailable", stateOfKey(t, w, keyID))
	mustCall(t, w, Caller{}, "ConnectCustomKeyStore", map[string]any{"CustomKeyStoreId": id})
	require.Equal(t, "Disabled", stateOfKey(t, w, keyID))

	// Once its last key is deleted, the disconnected store can go.
	mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": keyID, "PendingWindowInDays": 7})
	mustCall(t, w, Caller{}, "DisconnectCustomKeyStore", map[string]any{"CustomKeyStoreId": id})
	w.now = func() time.Time { return fixedNow.Add(8 * 24 * time.Hour) }
	mustCall(t, w, Caller{}, "DeleteCustomKeyStore", map[string]any{"CustomKeyStoreId": id})
	status, out = call(t, w, "DescribeCustomKeyStores", map[string]any{"CustomKeyStoreId": id})
	requireError(t, status, out, "CustomKeyStoreNotFoundException", "Custom key store "+id+" does not exist in this account and Region.")
}

func TestExternalKeyStoreKeys(t *testing.T) {
	w := NewWorld(Options{})
	id := newStore(t, w, Caller{}, xksStoreRequest("xks", "https://proxy.example.com"))
	entry := describeStore(t, w, Caller{}, id)
	require.Equal(t, map[string]any{"Connectivity": "PUBLIC_ENDPOINT", "AccessKeyId": testXksKeyID,
		"UriEndpoint": "https://proxy.example.com", "UriPath": "/kms/xks/v1"}, entry["XksProxyConfiguration"])
	require.NotContains(t, entry, "CloudHsmClusterId")
	mustCall(t, w, Caller{}, "ConnectCustomKeyStore", map[string]any{"CustomKeyStoreId": id})

	status, out := call(t, w, "CreateKey", map[string]any{"Origin": "EXTERNAL_KEY_STORE", "CustomKeyStoreId": id})
	requireError(t, status, out, "ValidationException", "XksKeyId is required with Origin EXTERNAL_KEY_STORE.")
	md := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL_KEY_STORE", "CustomKeyStoreId": id, "XksKeyId": "ext-key-1"})
	require.Equal(t, map[string]any{"Id": "ext-key-1"}, md["XksKeyConfiguration"])
	require.Equal(t, id, md["CustomKeyStoreId"])
	require.NotContains(t, md, "CloudHsmClusterId")
	status, out = call(t, w, "CreateKey", map[string]any{"Origin": "EXTERNAL_KEY_STORE", "CustomKeyStoreId": id, "XksKeyId": "ext-key-1"})
	requireError(t, status, out, "XksKeyAlreadyInUseException", "The external key ext-key-1 is already associated with a KMS key in custom key store "+id+".")

	status, out = call(t, w, "CreateKey", map[string]any{"Origin": "AWS_CLOUDHSM", "CustomKeyStoreId": id})
	requireError(t, status, out, "ValidationException", "Origin AWS_CLOUDHSM is not valid for custom key store "+id+", whose type is EXTERNAL_KEY_STORE.")
	status, out = call(t, w, "CreateKey", map[string]any{"CustomKeyStoreId": id})
	requireError(t, status, out, "ValidationException", "CustomKeyStoreId is not valid with Origin AWS_KMS.")
	status, out = call(t, w, "CreateKey", map[string]any{"XksKeyId": "k"})
	requireError(t, status, out, "ValidationException", "XksKeyId is not valid with Origin AWS_KMS.")
	status, out = call(t, w, "CreateKey", map[string]any{"Origin": "AWS_CLOUDHSM"})
	requireError(t, status, out, "ValidationException", "CustomKeyStoreId is required with Origin AWS_CLOUDHSM.")
	status, out = call(t, w, "CreateKey", map[string]any{"Origin": "EXTERNAL_KEY_STORE", "CustomKeyStoreId": id, "XksKeyId": "k2",
		"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"})
	requireError(t, status, out, "UnsupportedOperationException", "KeySpec HMAC_256 is not supported in a custom key store: only SYMMETRIC_DEFAULT keys are.")
	status, out = call(t, w, "CreateKey", map[string]any{"Origin": "EXTERNAL_KEY_STORE", "CustomKeyStoreId": "cks-00000000000000000", "XksKeyId": "k2"})
	requireError(t, status, out, "CustomKeyStoreNotFoundException", "Custom key store cks-00000000000000000 does not exist in this account and Region.")
	// Another account does not see the store.
	status, out = callAs(t, w, Caller{Account: "444455556666"}, "CreateKey", map[string]any{"Origin": "EXTERNAL_KEY_STORE", "CustomKeyStoreId": id, "XksKeyId": "k2"})
	requireError(t, status, out, "CustomKeyStoreNotFoundException", "Custom key store "+id+" does not exist in this account and Region.")

	// No rotation, no imports, no data key pairs for keys in custom key stores.
	arn := md["Arn"].(string)
	for _, op := range []string{"EnableKeyRotation", "DisableKeyRotation", "GetKeyRotationStatus", "RotateKeyOnDemand", "ListKeyRotations"} {
		status, out = call(t, w, op, map[string]any{"KeyId": md["KeyId"]})
		requireError(t, status, out, "UnsupportedOperationException", arn+" origin is EXTERNAL_KEY_STORE which is not valid for this operation.")
	}
	status, out = call(t, w, "GetParametersForImport", map[string]any{"KeyId": md["KeyId"], "WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_2048"})
	requireError(t, status, out, "UnsupportedOperationException", arn+" origin is EXTERNAL_KEY_STORE which is not valid for this operation.")
	status, out = call(t, w, "GenerateDataKeyPair", map[string]any{"KeyId": md["KeyId"], "KeyPairSpec": "ECC_NIST_P256"})
	requireError(t, status, out, "UnsupportedOperationException", arn+" origin is EXTERNAL_KEY_STORE which is not valid for this operation.")
	// Even Unavailable: rotation is refused for what the key is, before its state.
	mustCall(t, w, Caller{}, "DisconnectCustomKeyStore", map[string]any{"CustomKeyStoreId": id})
	status, out = call(t, w, "EnableKeyRotation", map[string]any{"KeyId": md["KeyId"]})
	requireError(t, status, out, "UnsupportedOperationException", arn+" origin is EXTERNAL_KEY_STORE which is not valid for this operation.")
	mustCall(t, w, Caller{}, "EnableKey", map[string]any{"KeyId": md["KeyId"]})
	require.Equal(t, "Unavailable", stateOfKey(t, w, md["KeyId"].(string)))
	mustCall(t, w, Caller{}, "ConnectCustomKeyStore", map[string]any{"CustomKeyStoreId": id})
	require.Equal(t, "Enabled", stateOfKey(t, w, md["KeyId"].(string)))

	// GenerateRandom takes a connected CloudHSM key store, not an external one.
	status, out = call(t, w, "GenerateRandom", map[string]any{"NumberOfBytes": 8, "CustomKeyStoreId": id})
	requireError(t, status, out, "UnsupportedOperationException", "GenerateRandom does not support external key stores: "+id+" is an EXTERNAL_KEY_STORE custom key store.")
	hsm := newStore(t, w, Caller{}, cloudHSMStoreRequest("hsm", testClusterID))
	status, out = call(t, w, "GenerateRandom", map[string]any{"NumberOfBytes": 8, "CustomKeyStoreId": hsm})
	requireError(t, status, out, "CustomKeyStoreInvalidStateException", "The ConnectionState of custom key store "+hsm+" is DISCONNECTED, which is not valid for GenerateRandom.")
	mustCall(t, w, Caller{}, "ConnectCustomKeyStore", map[string]any{"CustomKeyStoreId": hsm})
	require.Len(t, b64(t, mustCall(t, w, Caller{}, "GenerateRandom", map[string]any{"NumberOfBytes": 8, "CustomKeyStoreId": hsm})["Plaintext"]), 8)
}

func TestCreateCustomKeyStoreRefusals(t *testing.T) {
	w := NewWorld(Options{})
	vpc := xksStoreRequest("vpc", "https://private.example.com")
	vpc["XksProxyConnectivity"] = "VPC_ENDPOINT_SERVICE"
	vpc["XksProxyVpcEndpointServiceName"] = testVPCService
	vpcID := newStore(t, w, Caller{}, vpc)
	require.Equal(t, map[string]any{"Connectivity": "VPC_ENDPOINT_SERVICE", "AccessKeyId": testXksKeyID, "UriEndpoint": "https://private.example.com",
		"UriPath": "/kms/xks/v1", "VpcEndpointServiceName": testVPCService, "VpcEndpointServiceOwner": DefaultAccount},
		describeStore(t, w, Caller{}, vpcID)["XksProxyConfiguration"])
	newStore(t, w, Caller{}, cloudHSMStoreRequest("hsm", testClusterID))
	newStore(t, w, Caller{}, xksStoreRequest("public", "https://public.example.com"))

	with := func(req map[string]any, changes map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range req {
			out[k] = v
		}
		for k, v := range changes {
			if v == nil {
				delete(out, k)
			} else {
				out[k] = v
			}
		}
		return out
	}
	refused := []struct {
		req           map[string]any
		name, message string
	}{
		{cloudHSMStoreRequest("hsm", "cluster-765432abcdefg"), "CustomKeyStoreNameInUseException",
			"A custom key store named hsm already exists in this account and Region."},
		{cloudHSMStoreRequest("hsm2", testClusterID), "CloudHsmClusterInUseException",
			"CloudHSM cluster " + testClusterID + " is already associated with a custom key store in this account and Region."},
		{with(cloudHSMStoreRequest("hsm2", testClusterID), map[string]any{"KeyStorePassword": nil}), "ValidationException",
			"KeyStorePassword is required with CustomKeyStoreType AWS_CLOUDHSM."},
		{with(cloudHSMStoreRequest("hsm2", testClusterID), map[string]any{"XksProxyUriPath": "/kms/xks/v1"}), "ValidationException",
			"XksProxyUriPath is not valid with CustomKeyStoreType AWS_CLOUDHSM."},
		{with(xksStoreRequest("x", "https://other.example.com"), map[string]any{"CloudHsmClusterId": testClusterID}), "ValidationException",
			"CloudHsmClusterId is not valid with CustomKeyStoreType EXTERNAL_KEY_STORE."},
		{with(xksStoreRequest("x", "https://other.example.com"), map[string]any{"XksProxyConnectivity": nil}), "ValidationException",
			"XksProxyConnectivity is required with CustomKeyStoreType EXTERNAL_KEY_STORE."},
		{with(xksStoreRequest("x", "https://other.example.com"), map[string]any{"XksProxyVpcEndpointServiceName": testVPCService}), "ValidationException",
			"XksProxyVpcEndpointServiceName is not valid with XksProxyConnectivity PUBLIC_ENDPOINT."},
		{with(vpc, map[string]any{"CustomKeyStoreName": "x", "XksProxyUriEndpoint": "https://other.example.com", "XksProxyVpcEndpointServiceName": nil}),
			"ValidationException", "XksProxyVpcEndpointServiceName is required with XksProxyConnectivity VPC_ENDPOINT_SERVICE."},
		{xksStoreRequest("x", "https://public.example.com"), "XksProxyUriInUseException",
			"The external key store proxy URI https://public.example.com/kms/xks/v1 is already associated with another external key store in this account and Region."},
		{with(xksStoreRequest("x", "https://private.example.com"), map[string]any{"XksProxyUriPath": "/other/kms/xks/v1"}), "XksProxyUriEndpointInUseException",
			"The XksProxyUriEndpoint https://private.example.com is already associated with another external key store in this Region."},
		{with(vpc, map[string]any{"CustomKeyStoreName": "x", "XksProxyUriEndpoint": "https://other.example.com"}), "XksProxyVpcEndpointServiceInUseException",
			"The VPC endpoint service " + testVPCService + " is already associated with another external key store in this Region."},
	}
	for _, r := range refused {
		status, out := call(t, w, "CreateCustomKeyStore", r.req)
		requireError(t, status, out, r.name, r.message)
	}

	// The same endpoint with another path is fine for public endpoints; another account may reuse names
	// and clusters, not a VPC endpoint service of the Region.
	newStore(t, w, Caller{}, with(xksStoreRequest("public2", "https://public.example.com"), map[string]any{"XksProxyUriPath": "/two/kms/xks/v1"}))
	other := Caller{Account: "444455556666"}
	newStore(t, w, other, cloudHSMStoreRequest("hsm", testClusterID))
	status, out := callAs(t, w, other, "CreateCustomKeyStore", with(vpc, map[string]any{"XksProxyUriEndpoint": "https://mine.example.com"}))
	requireError(t, status, out, "XksProxyVpcEndpointServiceInUseException", "The VPC endpoint service "+testVPCService+" is already associated with another external key store in this Region.")

	// Secrets are validated without being shown.
	status, out = call(t, w, "CreateCustomKeyStore", with(cloudHSMStoreRequest("short", "cluster-765432abcdefg"), map[string]any{"KeyStorePassword": "abc"}))
	requireError(t, status, out, "ValidationException", "1 validation error detected: Value at 'keyStorePassword' failed to satisfy constraint: Member must have length greater than or equal to 7")

	// Ten stores per account and Region.
	for i := len(w.regionOf(DefaultAccount, DefaultRegion).stores); i < maxCustomKeyStores; i++ {
		newStore(t, w, Caller{}, cloudHSMStoreRequest(fmt.Sprintf("more-%d", i), fmt.Sprintf("cluster-abcdefghijk%c", 'a'+i)))
	}
	status, out = call(t, w, "CreateCustomKeyStore", cloudHSMStoreRequest("eleventh", "cluster-zzzzzzzzzzzz"))
	requireError(t, status, out, "LimitExceededException", "This account and Region already have 10 custom key stores, the most AWS allows.")
}

func TestDescribeCustomKeyStoresFiltersAndPages(t *testing.T) {
	w := NewWorld(Options{})
	var ids []string
	for i := range 3 {
		ids = append(ids, newStore(t, w, Caller{}, cloudHSMStoreRequest(fmt.Sprintf("store-%d", i), fmt.Sprintf("cluster-abcdefghijk%c", 'a'+i))))
	}
	out := mustCall(t, w, Caller{}, "DescribeCustomKeyStores", map[string]any{})
	require.Len(t, out["CustomKeyStores"], 3)
	require.Equal(t, false, out["Truncated"])

	out = mustCall(t, w, Caller{}, "DescribeCustomKeyStores", map[string]any{"Limit": 2})
	require.Equal(t, true, out["Truncated"])
	first := out["CustomKeyStores"].([]any)
	out = mustCall(t, w, Caller{}, "DescribeCustomKeyStores", map[string]any{"Limit": 2, "Marker": out["NextMarker"]})
	require.Equal(t, false, out["Truncated"])
	require.NotContains(t, out, "NextMarker")
	all := append(first, out["CustomKeyStores"].([]any)...)
	for i, e := range all {
		require.Equal(t, ids[i], e.(map[string]any)["CustomKeyStoreId"])
	}

	out = mustCall(t, w, Caller{}, "DescribeCustomKeyStores", map[string]any{"CustomKeyStoreName": "store-1"})
	require.Equal(t, ids[1], out["CustomKeyStores"].([]any)[0].(map[string]any)["CustomKeyStoreId"])
	status, resp := call(t, w, "DescribeCustomKeyStores", map[string]any{"CustomKeyStoreName": "nope"})
	requireError(t, status, resp, "CustomKeyStoreNotFoundException", "No custom key store in this account and Region has the name nope.")
	status, resp = call(t, w, "DescribeCustomKeyStores", map[string]any{"CustomKeyStoreName": "store-1", "CustomKeyStoreId": ids[1]})
	requireError(t, status, resp, "ValidationException", "Specify CustomKeyStoreId or CustomKeyStoreName, not both.")
	status, resp = call(t, w, "DescribeCustomKeyStores", map[string]any{"Marker": "bogus"})
	requireError(t, status, resp, "InvalidMarkerException", "Invalid marker.")

	// Another account and another Region see none of them.
	out = mustCall(t, w, Caller{Region: "eu-west-1"}, "DescribeCustomKeyStores", map[string]any{})
	require.Equal(t, []any{}, out["CustomKeyStores"])
}

func TestUpdateCustomKeyStore(t *testing.T) {
	w := NewWorld(Options{})
	hsm := newStore(t, w, Caller{}, cloudHSMStoreRequest("hsm", testClusterID))
	other := newStore(t, w, Caller{}, cloudHSMStoreRequest("other", "cluster-765432abcdefg"))
	xks := newStore(t, w, Caller{}, xksStoreRequest("xks", "https://proxy.example.com"))
	for _, id := range []string{hsm, xks} {
		mustCall(t, w, Caller{}, "ConnectCustomKeyStore", map[string]any{"CustomKeyStoreId": id})
	}

	// Connected: the name, and for an external key store its path and credential, may change.
	mustCall(t, w, Caller{}, "UpdateCustomKeyStore", map[string]any{"CustomKeyStoreId": hsm, "NewCustomKeyStoreName": "renamed"})
	require.Equal(t, "renamed", describeStore(t, w, Caller{}, hsm)["CustomKeyStoreName"])
	status, out := call(t, w, "UpdateCustomKeyStore", map[string]any{"CustomKeyStoreId": hsm, "KeyStorePassword": "new password"})
	requireError(t, status, out, "CustomKeyStoreInvalidStateException", "Custom key store "+hsm+" is CONNECTED: disconnect it to change KeyStorePassword.")
	mustCall(t, w, Caller{}, "UpdateCustomKeyStore", map[string]any{"CustomKeyStoreId": xks, "XksProxyUriPath": "/v/kms/xks/v2",
		"XksProxyAuthenticationCredential": map[string]any{"AccessKeyId": "ZYXWVUTSRQPONMLKJIHG", "RawSecretAccessKey": testXksSecret}})
	cfg := describeStore(t, w, Caller{}, xks)["XksProxyConfiguration"].(map[string]any)
	require.Equal(t, "/v/kms/xks/v2", cfg["UriPath"])
	require.Equal(t, "ZYXWVUTSRQPONMLKJIHG", cfg["AccessKeyId"])
	status, out = call(t, w, "UpdateCustomKeyStore", map[string]any{"CustomKeyStoreId": xks, "XksProxyUriEndpoint": "https://new.example.com"})
	requireError(t, status, out, "CustomKeyStoreInvalidStateException", "Custom key store "+xks+" is CONNECTED: disconnect it to change XksProxyUriEndpoint.")

	// Members of the other type, names in use, clusters of other stores.
	status, out = call(t, w, "UpdateCustomKeyStore", map[string]any{"CustomKeyStoreId": hsm, "XksProxyUriPath": "/kms/xks/v1"})
	requireError(t, status, out, "ValidationException", "XksProxyUriPath is not valid with CustomKeyStoreType AWS_CLOUDHSM.")
	status, out = call(t, w, "UpdateCustomKeyStore", map[string]any{"CustomKeyStoreId": xks, "CloudHsmClusterId": testClusterID})
	requireError(t, status, out, "ValidationException", "CloudHsmClusterId is not valid with CustomKeyStoreType EXTERNAL_KEY_STORE.")
	status, out = call(t, w, "UpdateCustomKeyStore", map[string]any{"CustomKeyStoreId": xks, "NewCustomKeyStoreName": "other"})
	requireError(t, status, out, "CustomKeyStoreNameInUseException", "A custom key store named other already exists in this account and Region.")
	mustCall(t, w, Caller{}, "DisconnectCustomKeyStore", map[string]any{"CustomKeyStoreId": hsm})
	status, out = call(t, w, "UpdateCustomKeyStore", map[string]any{"CustomKeyStoreId": hsm, "CloudHsmClusterId": "cluster-765432abcdefg"})
	requireError(t, status, out, "CloudHsmClusterNotRelatedException", "CloudHSM cluster cluster-765432abcdefg is associated with another custom key store, so it shares no backup history with this custom key store's cluster.")
	mustCall(t, w, Caller{}, "UpdateCustomKeyStore", map[string]any{"CustomKeyStoreId": hsm, "CloudHsmClusterId": "cluster-222222abcdefg", "KeyStorePassword": "new password"})
	require.Equal(t, "cluster-222222abcdefg", describeStore(t, w, Caller{}, hsm)["CloudHsmClusterId"])
	require.Equal(t, "other", describeStore(t, w, Caller{}, other)["CustomKeyStoreName"])

	// Connectivity: to a VPC endpoint service needs a new endpoint and a service; back to public drops it.
	mustCall(t, w, Caller{}, "DisconnectCustomKeyStore", map[string]any{"CustomKeyStoreId": xks})
	status, out = call(t, w, "UpdateCustomKeyStore", map[string]any{"CustomKeyStoreId": xks, "XksProxyConnectivity": "VPC_ENDPOINT_SERVICE"})
	requireError(t, status, out, "ValidationException", "XksProxyUriEndpoint is required with a change of XksProxyConnectivity.")
	status, out = call(t, w, "UpdateCustomKeyStore", map[string]any{"CustomKeyStoreId": xks, "XksProxyConnectivity": "VPC_ENDPOINT_SERVICE",
		"XksProxyUriEndpoint": "https://private.example.com"})
	requireError(t, status, out, "ValidationException", "XksProxyVpcEndpointServiceName is required with XksProxyConnectivity VPC_ENDPOINT_SERVICE.")
	mustCall(t, w, Caller{}, "UpdateCustomKeyStore", map[string]any{"CustomKeyStoreId": xks, "XksProxyConnectivity": "VPC_ENDPOINT_SERVICE",
		"XksProxyUriEndpoint": "https://private.example.com", "XksProxyVpcEndpointServiceName": testVPCService, "XksProxyVpcEndpointServiceOwner": "444455556666"})
	cfg = describeStore(t, w, Caller{}, xks)["XksProxyConfiguration"].(map[string]any)
	require.Equal(t, testVPCService, cfg["VpcEndpointServiceName"])
	require.Equal(t, "444455556666", cfg["VpcEndpointServiceOwner"])
	mustCall(t, w, Caller{}, "UpdateCustomKeyStore", map[string]any{"CustomKeyStoreId": xks, "XksProxyConnectivity": "PUBLIC_ENDPOINT",
		"XksProxyUriEndpoint": "https://proxy.example.com"})
	cfg = describeStore(t, w, Caller{}, xks)["XksProxyConfiguration"].(map[string]any)
	require.NotContains(t, cfg, "VpcEndpointServiceName")
	require.NotContains(t, cfg, "VpcEndpointServiceOwner")
	require.Equal(t, "PUBLIC_ENDPOINT", cfg["Connectivity"])
}

func TestCustomKeyStoresSurviveTheStateFile(t *testing.T) {
	w := NewWorld(Options{Now: fixedClock()})
	hsm := newStore(t, w, Caller{}, cloudHSMStoreRequest("hsm", testClusterID))
	xks := newStore(t, w, Caller{}, xksStoreRequest("xks", "https://proxy.example.com"))
	newStore(t, w, Caller{Region: "eu-west-1"}, cloudHSMStoreRequest("empty", testClusterID))
	for _, id := range []string{hsm, xks} {
		mustCall(t, w, Caller{}, "ConnectCustomKeyStore", map[string]any{"CustomKeyStoreId": id})
	}
	hsmKey := newKey(t, w, Caller{}, map[string]any{"Origin": "AWS_CLOUDHSM", "CustomKeyStoreId": hsm})
	xksKey := newKey(t, w, Caller{}, map[string]any{"Origin": "EXTERNAL_KEY_STORE", "CustomKeyStoreId": xks, "XksKeyId": "ext-1"})
	blob := mustCall(t, w, Caller{}, "Encrypt", map[string]any{"KeyId": xksKey["KeyId"], "Plaintext": []byte("kept")})["CiphertextBlob"]
	mustCall(t, w, Caller{}, "DisableKey", map[string]any{"KeyId": hsmKey["KeyId"]})
	doomed := newKey(t, w, Caller{}, map[string]any{"Origin": "AWS_CLOUDHSM", "CustomKeyStoreId": hsm})
	mustCall(t, w, Caller{}, "DisconnectCustomKeyStore", map[string]any{"CustomKeyStoreId": hsm})
	mustCall(t, w, Caller{}, "ScheduleKeyDeletion", map[string]any{"KeyId": doomed["KeyId"]}) // from Unavailable
	state := exportWorld(t, w)
	require.NotContains(t, string(state), testPassword)
	require.NotContains(t, string(state), testXksSecret)

	restored := NewWorld(Options{})
	status, body := restored.Handle(Caller{}, "WasmKMS.ImportState", state)
	require.Equal(t, 200, status, string(body))
	require.JSONEq(t, string(state), string(exportWorld(t, restored)))
	require.Equal(t, "kept", string(b64(t, mustCall(t, restored, Caller{}, "Decrypt", map[string]any{"CiphertextBlob": blob})["Plaintext"])))
	require.Equal(t, "Unavailable", stateOfKey(t, restored, hsmKey["KeyId"].(string)))
	require.Equal(t, "PendingDeletion", stateOfKey(t, restored, doomed["KeyId"].(string)))
	mustCall(t, restored, Caller{}, "ConnectCustomKeyStore", map[string]any{"CustomKeyStoreId": hsm})
	require.Equal(t, "Disabled", stateOfKey(t, restored, hsmKey["KeyId"].(string)))
	require.Equal(t, "PendingDeletion", stateOfKey(t, restored, doomed["KeyId"].(string)))
	status, out := call(t, restored, "CreateKey", map[string]any{"Origin": "EXTERNAL_KEY_STORE", "CustomKeyStoreId": xks, "XksKeyId": "ext-1"})
	requireError(t, status, out, "XksKeyAlreadyInUseException", "The external key ext-1 is already associated with a KMS key in custom key store "+xks+".")

	// Broken states are refused whole.
	region := func(st map[string]any) map[string]any {
		for _, r := range st["regions"].([]any) {
			if r.(map[string]any)["region"] == DefaultRegion {
				return r.(map[string]any)
			}
		}
		return nil
	}
	store := func(st map[string]any, i int) map[string]any {
		return region(st)["customKeyStores"].([]any)[i].(map[string]any)
	}
	keyIn := func(st map[string]any, id any) map[string]any {
		for _, k := range region(st)["keys"].([]any) {
			if k.(map[string]any)["keyId"] == id {
				return k.(map[string]any)
			}
		}
		return nil
	}
	bad := map[string]func(st map[string]any){
		"bad store ID":      func(st map[string]any) { store(st, 0)["id"] = "cks-XYZ" },
		"bad cluster":       func(st map[string]any) { store(st, 0)["cloudHsmClusterId"] = "cluster-1" },
		"bad connection":    func(st map[string]any) { store(st, 0)["connectionState"] = "FAILED" },
		"bad type":          func(st map[string]any) { store(st, 0)["type"] = "OTHER" },
		"xks without proxy": func(st map[string]any) { delete(store(st, 1), "xksProxy") },
		"bad proxy path":    func(st map[string]any) { store(st, 1)["xksProxy"].(map[string]any)["uriPath"] = "/nope" },
		"same name":         func(st map[string]any) { store(st, 1)["name"] = "hsm" },
		"key of a missing store": func(st map[string]any) {
			keyIn(st, xksKey["KeyId"])["customKeyStore"].(map[string]any)["id"] = "cks-00000000000000000"
		},
		"origin of another type": func(st map[string]any) { keyIn(st, xksKey["KeyId"])["origin"] = "AWS_CLOUDHSM" },
		"store key without store": func(st map[string]any) {
			delete(keyIn(st, xksKey["KeyId"]), "customKeyStore")
		},
		"enabled in a disconnected store": func(st map[string]any) {
			k := keyIn(st, hsmKey["KeyId"])
			k["keyState"] = "Enabled"
			delete(k["customKeyStore"].(map[string]any), "heldState")
		},
		"unavailable in a connected store": func(st map[string]any) {
			k := keyIn(st, xksKey["KeyId"])
			k["keyState"] = "Unavailable"
			k["customKeyStore"].(map[string]any)["heldState"] = "Enabled"
		},
		"store key of another spec": func(st map[string]any) { keyIn(st, xksKey["KeyId"])["keySpec"] = "RSA_2048" },
	}
	for name, f := range bad {
		var st map[string]any
		require.NoError(t, json.Unmarshal(state, &st))
		f(st)
		b, _ := json.Marshal(st)
		status, body := NewWorld(Options{}).Handle(Caller{}, "WasmKMS.ImportState", b)
		require.Equal(t, 400, status, name)
		require.Contains(t, string(body), "Invalid state", name)
	}
}

func TestCustomKeyStoreSecretsAreNeverShown(t *testing.T) {
	w := NewWorld(Options{})
	newStore(t, w, Caller{}, cloudHSMStoreRequest("hsm", testClusterID))
	newStore(t, w, Caller{}, xksStoreRequest("xks", "https://proxy.example.com"))
	_, body := w.Handle(Caller{}, "TrentService.DescribeCustomKeyStores", []byte(`{}`))
	require.NotContains(t, string(body), testPassword)
	require.NotContains(t, string(body), testXksSecret)
	require.False(t, strings.Contains(string(body), "RawSecretAccessKey"))

	bad := xksStoreRequest("xks2", "https://other.example.com")
	bad["XksProxyAuthenticationCredential"] = map[string]any{"AccessKeyId": "lower-case-id-is-bad", "RawSecretAccessKey": "short!"}
	status, out := call(t, w, "CreateCustomKeyStore", bad)
	require.Equal(t, 400, status)
	require.NotContains(t, out["message"], "short!")
	require.NotContains(t, out["message"], "lower-case-id-is-bad")
}
