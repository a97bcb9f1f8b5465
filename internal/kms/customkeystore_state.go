package kms

import (
	"fmt"
	"strings"
	"time"
)

// Custom key stores in the state document (WasmKMS.ExportState / ImportState): each region lists its
// stores, each key in a store names it. ImportState checks every store against the model's
// constraints and the uniqueness rules CreateCustomKeyStore keeps, and every key against its store.

// customKeyStoreState is one custom key store. A store's secrets are not kept, so not exported.
type customKeyStoreState struct {
	ID              string    `json:"id"`
	Name            string    `json:"name"`
	Type            string    `json:"type"`
	ConnectionState string    `json:"connectionState"`
	CreationDate    epochTime `json:"creationDate"`

	CloudHsmClusterID      string `json:"cloudHsmClusterId,omitempty"`
	TrustAnchorCertificate string `json:"trustAnchorCertificate,omitempty"`

	XksProxy *xksProxyState `json:"xksProxy,omitempty"`
}

type xksProxyState struct {
	Connectivity            string `json:"connectivity"`
	UriEndpoint             string `json:"uriEndpoint"`
	UriPath                 string `json:"uriPath"`
	AccessKeyID             string `json:"accessKeyId"`
	VpcEndpointServiceName  string `json:"vpcEndpointServiceName,omitempty"`
	VpcEndpointServiceOwner string `json:"vpcEndpointServiceOwner,omitempty"`
}

// storeMembershipState is a key's place in its custom key store; heldState only while the key is
// Unavailable (the state it returns to when the store connects).
type storeMembershipState struct {
	ID        string `json:"id"`
	XksKeyID  string `json:"xksKeyId,omitempty"`
	HeldState string `json:"heldState,omitempty"`
}

// exportCustomKeyStores answers region r's stores, in creation order.
func exportCustomKeyStores(r *region) []customKeyStoreState {
	var out []customKeyStoreState
	for _, s := range r.stores {
		ss := customKeyStoreState{ID: s.id, Name: s.name, Type: s.storeType, ConnectionState: s.connection,
			CreationDate: epochTime(s.created), CloudHsmClusterID: s.clusterID, TrustAnchorCertificate: s.trustAnchor}
		if s.storeType == storeTypeExternal {
			p := s.xks
			ss.XksProxy = &xksProxyState{Connectivity: p.connectivity, UriEndpoint: p.uriEndpoint, UriPath: p.uriPath, AccessKeyID: p.accessKeyID,
				VpcEndpointServiceName: p.vpcServiceName, VpcEndpointServiceOwner: p.vpcServiceOwner}
		}
		out = append(out, ss)
	}
	return out
}

// exportStoreMembership adds key k's custom key store to its state.
func exportStoreMembership(k *key, ks *keyState) {
	if k.inStore == nil {
		return
	}
	ks.CustomKeyStore = &storeMembershipState{ID: k.inStore.store.id, XksKeyID: k.inStore.xksKeyID}
	if k.state == stateUnavailable { // a key scheduled for deletion while Unavailable holds nothing any more
		ks.CustomKeyStore.HeldState = k.inStore.held
	}
}

// importStoreMembership checks one key's custom key store members against its own (origin, key spec,
// state) and gives it a membership naming its store by ID; importCustomKeyStores then checks it against
// the store and links it.
func importStoreMembership(k *key, ks keyState) error {
	m := ks.CustomKeyStore
	inStore := ks.Origin == originCloudHSM || ks.Origin == originExternalKeyStore
	switch {
	case m == nil && !inStore:
		if ks.KeyState == stateUnavailable {
			return fmt.Errorf("only a key in a custom key store can be Unavailable")
		}
		return nil
	case m == nil || !inStore:
		return fmt.Errorf("a key is in a custom key store exactly when its origin is %s or %s", originCloudHSM, originExternalKeyStore)
	case ks.KeySpec != "SYMMETRIC_DEFAULT" || ks.MultiRegion != nil:
		return fmt.Errorf("a key in a custom key store is a single-Region SYMMETRIC_DEFAULT key")
	case (ks.Origin == originExternalKeyStore) != (m.XksKeyID != ""):
		return fmt.Errorf("a key has an xksKeyId exactly when its origin is %s", originExternalKeyStore)
	case m.XksKeyID != "" && (len(m.XksKeyID) > 128 || !matchXksKeyIdType(m.XksKeyID)):
		return fmt.Errorf("xksKeyId %q is not an external key ID", m.XksKeyID)
	case (ks.KeyState == stateUnavailable) != (m.HeldState != ""),
		m.HeldState != "" && m.HeldState != stateEnabled && m.HeldState != stateDisabled:
		return fmt.Errorf("an Unavailable key, and only one, holds the state Enabled or Disabled")
	}
	switch ks.KeyState {
	case stateEnabled, stateDisabled, statePendingDeletion, stateUnavailable:
	default:
		return fmt.Errorf("a key in a custom key store cannot be %s", ks.KeyState)
	}
	// The store is linked once the region's stores are read (importCustomKeyStores).
	k.inStore = &storeMembership{store: &customKeyStore{id: m.ID}, xksKeyID: m.XksKeyID, held: m.HeldState}
	return nil
}

// importCustomKeyStores checks region r's stores (r holds its imported keys already), gives them to
// r, and links r's keys to their stores.
func importCustomKeyStores(r *region, states []customKeyStoreState) error {
	byID := map[string]*customKeyStore{}
	for _, ss := range states {
		s, err := importCustomKeyStore(ss)
		if err != nil {
			return fmt.Errorf("custom key store %s: %v", ss.ID, err)
		}
		if byID[s.id] != nil {
			return fmt.Errorf("custom key store ID %s appears twice", s.id)
		}
		byID[s.id] = s
		for _, o := range r.stores {
			if err := storesClash(s, o); err != nil {
				return fmt.Errorf("custom key stores %s and %s: %v", o.id, s.id, err)
			}
		}
		r.stores = append(r.stores, s)
	}
	if len(r.stores) > maxCustomKeyStores {
		return fmt.Errorf("more than %d custom key stores in one account and Region", maxCustomKeyStores)
	}
	xksKeys := map[string]bool{}
	for _, id := range r.keyOrder {
		k := r.keys[id]
		if k.inStore == nil {
			continue
		}
		s := byID[k.inStore.store.id]
		switch {
		case s == nil:
			return fmt.Errorf("key %s is in custom key store %s, which is not in its region", k.id, k.inStore.store.id)
		case s.storeType != k.origin:
			return fmt.Errorf("key %s of origin %s is in custom key store %s of type %s", k.id, k.origin, s.id, s.storeType)
		case (k.state == stateUnavailable) != (s.connection == connectionDisconnected && k.state != statePendingDeletion):
			return fmt.Errorf("key %s: a key is Unavailable exactly when its store is disconnected and the key is not PendingDeletion", k.id)
		case k.inStore.xksKeyID != "" && xksKeys[s.id+" "+k.inStore.xksKeyID]:
			return fmt.Errorf("external key %s is associated with two keys of custom key store %s", k.inStore.xksKeyID, s.id)
		}
		xksKeys[s.id+" "+k.inStore.xksKeyID] = true
		k.inStore.store = s
	}
	return nil
}

// importCustomKeyStore checks one store against the model's constraints on its members.
func importCustomKeyStore(ss customKeyStoreState) (*customKeyStore, error) {
	id, hex := strings.CutPrefix(ss.ID, customKeyStoreIDPrefix)
	switch {
	case !hex || len(id) != 17 || !isHexDigits(id) || strings.ToLower(id) != id:
		return nil, fmt.Errorf("the ID is not cks- and 17 lower-case hex digits")
	case ss.Name == "" || len([]rune(ss.Name)) > 256:
		return nil, fmt.Errorf("the name must have 1 to 256 characters")
	case ss.ConnectionState != connectionConnected && ss.ConnectionState != connectionDisconnected:
		return nil, fmt.Errorf("connectionState must be %s or %s", connectionConnected, connectionDisconnected)
	}
	s := &customKeyStore{id: ss.ID, name: ss.Name, storeType: ss.Type, connection: ss.ConnectionState, created: time.Time(ss.CreationDate)}
	switch ss.Type {
	case storeTypeCloudHSM:
		n := len(ss.CloudHsmClusterID)
		switch {
		case n < 19 || n > 24 || !matchCloudHsmClusterIdType(ss.CloudHsmClusterID):
			return nil, fmt.Errorf("cloudHsmClusterId %q is not a CloudHSM cluster ID", ss.CloudHsmClusterID)
		case ss.TrustAnchorCertificate == "" || len([]rune(ss.TrustAnchorCertificate)) > 5000:
			return nil, fmt.Errorf("the trust anchor certificate must have 1 to 5000 characters")
		case ss.XksProxy != nil:
			return nil, fmt.Errorf("a CloudHSM key store has no xksProxy")
		}
		s.clusterID, s.trustAnchor = ss.CloudHsmClusterID, ss.TrustAnchorCertificate
	case storeTypeExternal:
		if ss.CloudHsmClusterID != "" || ss.TrustAnchorCertificate != "" || ss.XksProxy == nil {
			return nil, fmt.Errorf("an external key store has an xksProxy, and no CloudHSM cluster nor trust anchor")
		}
		p, err := importXksProxy(*ss.XksProxy)
		if err != nil {
			return nil, err
		}
		s.xks = p
	default:
		return nil, fmt.Errorf("type %q is not %s or %s", ss.Type, storeTypeCloudHSM, storeTypeExternal)
	}
	return s, nil
}

// importXksProxy checks a proxy configuration as CreateCustomKeyStore's validation and rules do.
func importXksProxy(ps xksProxyState) (xksProxy, error) {
	p := xksProxy{connectivity: ps.Connectivity, uriEndpoint: ps.UriEndpoint, uriPath: ps.UriPath, accessKeyID: ps.AccessKeyID,
		vpcServiceName: ps.VpcEndpointServiceName, vpcServiceOwner: ps.VpcEndpointServiceOwner}
	var v violations
	(&createCustomKeyStoreRequest{XksProxyUriEndpoint: &p.uriEndpoint, XksProxyUriPath: &p.uriPath, XksProxyConnectivity: &p.connectivity,
		XksProxyAuthenticationCredential: &xksProxyAuthenticationCredentialType{AccessKeyId: &p.accessKeyID,
			RawSecretAccessKey: new(strings.Repeat("A", 43))}, // not kept: any valid secret
		XksProxyVpcEndpointServiceName: stringOrNil(p.vpcServiceName), XksProxyVpcEndpointServiceOwner: stringOrNil(p.vpcServiceOwner),
		CustomKeyStoreName: new("name")}).validate(&v)
	if err := v.err(); err != nil {
		return p, fmt.Errorf("xksProxy: %s", err.message)
	}
	if (p.connectivity == xksVPCEndpointService) != (p.vpcServiceName != "" && p.vpcServiceOwner != "") ||
		p.connectivity == xksPublicEndpoint && p.vpcServiceOwner != "" {
		return p, fmt.Errorf("xksProxy: a VPC endpoint service and its owner go with %s and only with it", xksVPCEndpointService)
	}
	return p, nil
}

// stringOrNil answers a pointer to s, or nil for "".
func stringOrNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// storesClash answers why two stores of one account and Region cannot both exist, or nil: the rules of
// checkStoreUnique within the account and Region.
func storesClash(a, b *customKeyStore) error {
	switch {
	case a.name == b.name:
		return fmt.Errorf("both are named %s", a.name)
	case a.storeType != b.storeType:
		return nil
	case a.storeType == storeTypeCloudHSM && a.clusterID == b.clusterID:
		return fmt.Errorf("both use CloudHSM cluster %s", a.clusterID)
	case a.storeType == storeTypeCloudHSM:
		return nil
	case a.xks.uriEndpoint == b.xks.uriEndpoint && (a.xks.uriPath == b.xks.uriPath ||
		a.xks.connectivity == xksVPCEndpointService || b.xks.connectivity == xksVPCEndpointService):
		return fmt.Errorf("both use the proxy URI endpoint %s", a.xks.uriEndpoint)
	case a.xks.connectivity == xksVPCEndpointService && a.xks.vpcServiceName == b.xks.vpcServiceName:
		return fmt.Errorf("both use the VPC endpoint service %s", a.xks.vpcServiceName)
	}
	return nil
}

// checkCustomKeyStoreIDs checks that no two stores of an imported state share an ID.
func checkCustomKeyStoreIDs(regions map[regionID]*region) error {
	seen := map[string]bool{}
	for _, r := range regions {
		for _, s := range r.stores {
			if seen[s.id] {
				return fmt.Errorf("custom key store ID %s appears twice", s.id)
			}
			seen[s.id] = true
		}
	}
	return nil
}
