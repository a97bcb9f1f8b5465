package kms

import (
	"encoding/hex"
	"time"
)

// Custom key stores: CloudHSM key stores (AWS_CLOUDHSM) and external key stores (EXTERNAL_KEY_STORE),
// one account's in one Region, and the KMS keys in them.
//
// There is no CloudHSM cluster and no external key store proxy behind a store: every cluster ID names
// an active cluster whose trust anchor is the one given, every proxy answers, every external key
// exists. So a store connects at once: ConnectCustomKeyStore leaves it CONNECTED (AWS passes through
// CONNECTING for up to twenty minutes, and reports the outcome only in DescribeCustomKeyStores), and
// DisconnectCustomKeyStore leaves it DISCONNECTED; FAILED and DISCONNECTING never occur. A new store
// is DISCONNECTED until its first ConnectCustomKeyStore, as in AWS.
//
// A key in a store is a symmetric encryption key (the only kind AWS allows there) whose material
// wasmkms holds, as for an AWS_KMS key. The key state follows AWS's key state table
// (developerguide/key-state.html, its notes 11 to 13): while its store is disconnected an Enabled or
// Disabled key is Unavailable, and cryptographic operations answer "<key ARN> is unavailable."; EnableKey
// and DisableKey succeed but take effect when the store connects again, which restores the state; a key
// pending deletion stays PendingDeletion, and CancelKeyDeletion makes it Disabled, that is Unavailable
// while the store is disconnected. Keys in custom key stores do not rotate and take no imported
// material: those operations answer UnsupportedOperationException naming the key's origin.
//
// The secrets of a store (KeyStorePassword, the proxy's RawSecretAccessKey) are checked against the
// model and not kept: nothing here could use them, and nothing shows them. AWS's texts for the errors
// of custom key stores are not recorded anywhere we know of: every text here is ours (errors.go).

const (
	storeTypeCloudHSM = "AWS_CLOUDHSM"
	storeTypeExternal = "EXTERNAL_KEY_STORE"

	// The origins of keys in custom key stores: the same words as the store types.
	originCloudHSM         = storeTypeCloudHSM
	originExternalKeyStore = storeTypeExternal

	connectionConnected    = "CONNECTED"
	connectionDisconnected = "DISCONNECTED"

	xksPublicEndpoint      = "PUBLIC_ENDPOINT"
	xksVPCEndpointService  = "VPC_ENDPOINT_SERVICE"
	customKeyStoreIDPrefix = "cks-"

	// maxCustomKeyStores is AWS's quota of custom key stores per account and Region
	// (developerguide/resource-limits.html); the next CreateCustomKeyStore is LimitExceededException.
	maxCustomKeyStores = 10
)

// customKeyStore is one custom key store.
type customKeyStore struct {
	id, name, storeType string
	created             time.Time
	connection          string // connectionConnected or connectionDisconnected

	// AWS_CLOUDHSM stores.
	clusterID, trustAnchor string

	// EXTERNAL_KEY_STORE stores.
	xks xksProxy
}

// xksProxy is an external key store's proxy configuration (the API's XksProxyConfigurationType, with
// the owner of the VPC endpoint service); the secret access key is not kept.
type xksProxy struct {
	connectivity, uriEndpoint, uriPath, vpcServiceName, vpcServiceOwner, accessKeyID string
}

// storeMembership is a key's place in its custom key store.
type storeMembership struct {
	store    *customKeyStore
	xksKeyID string // EXTERNAL_KEY_STORE keys: the external key's ID in the external key manager
	// held is, while the key is Unavailable, the state it returns to when its store connects: Enabled
	// or Disabled.
	held string
}

// ---- Keys in custom key stores ----

// xksKeyConfiguration is the API's XksKeyConfigurationType.
type xksKeyConfiguration struct {
	Id string `json:"Id"`
}

// storeMetadata adds key k's custom key store members to its metadata. A key in a custom key store has
// no CurrentKeyMaterialId (the model: only keys of origin AWS_KMS and EXTERNAL have one).
func (k *key) storeMetadata(m *keyMetadata) {
	if k.inStore == nil {
		return
	}
	m.CustomKeyStoreId = k.inStore.store.id
	m.CurrentKeyMaterialId = ""
	switch k.inStore.store.storeType {
	case storeTypeCloudHSM:
		m.CloudHsmClusterId = k.inStore.store.clusterID
	case storeTypeExternal:
		m.XksKeyConfiguration = &xksKeyConfiguration{Id: k.inStore.xksKeyID}
	}
}

// storeForNewKey checks the custom key store members of a CreateKey request (CustomKeyStoreId, Origin,
// XksKeyId) and answers the connected store the key goes into, or nil for a key outside custom key
// stores. origin is the request's Origin or its default, specName its key spec.
func (w *World) storeForNewKey(c caller, req *createKeyRequest, origin, specName string) (*customKeyStore, *apiError) {
	inStore := origin == originCloudHSM || origin == originExternalKeyStore
	switch {
	case req.XksKeyId != nil && origin != originExternalKeyStore:
		return nil, errMemberNotValidWith("XksKeyId", "Origin "+origin)
	case req.CustomKeyStoreId != nil && !inStore:
		return nil, errMemberNotValidWith("CustomKeyStoreId", "Origin "+origin)
	case !inStore:
		return nil, nil
	case req.CustomKeyStoreId == nil:
		return nil, errMemberRequiredWith("CustomKeyStoreId", "Origin "+origin)
	case origin == originExternalKeyStore && req.XksKeyId == nil:
		return nil, errMemberRequiredWith("XksKeyId", "Origin "+origin)
	case specName != "SYMMETRIC_DEFAULT":
		return nil, errCustomKeyStoreKeySpec(specName)
	case isTrue(req.MultiRegion):
		return nil, errCustomKeyStoreMultiRegion()
	}
	s, err := w.customKeyStoreNamed(c, *req.CustomKeyStoreId)
	if err != nil {
		return nil, err
	}
	if s.storeType != origin {
		return nil, errOriginNotStoreType(origin, s.id, s.storeType)
	}
	if s.connection != connectionConnected {
		return nil, errCustomKeyStoreInvalidState(s.id, s.connection, "CreateKey")
	}
	if req.XksKeyId != nil {
		for _, k := range w.regionOf(c.account, c.region).keys {
			if k.inStore != nil && k.inStore.store == s && k.inStore.xksKeyID == *req.XksKeyId {
				return nil, errXksKeyInUse(*req.XksKeyId, s.id)
			}
		}
	}
	return s, nil
}

// joinStore puts the new key k into custom key store s (nil: none), with its external key's ID.
func (k *key) joinStore(s *customKeyStore, xksKeyID *string) {
	if s == nil {
		return
	}
	k.inStore = &storeMembership{store: s, xksKeyID: stringOr(xksKeyID, "")}
}

// holdState is EnableKey and DisableKey on an Unavailable key: it succeeds, and the key takes the wanted
// state when its store connects (the key state table's note 12). It reports whether it applied.
func (k *key) holdState(want string) bool {
	if k.state != stateUnavailable || k.inStore == nil {
		return false
	}
	k.inStore.held = want
	return true
}

// unavailableWhileDisconnected makes an Enabled or Disabled key whose store is disconnected
// Unavailable, holding its state until the store connects (CancelKeyDeletion's Disabled, for one).
func (k *key) unavailableWhileDisconnected() {
	if k.inStore == nil || k.inStore.store.connection == connectionConnected {
		return
	}
	if k.state == stateEnabled || k.state == stateDisabled {
		k.inStore.held, k.state = k.state, stateUnavailable
	}
}

// checkNotInCustomKeyStore refuses key k, in a custom key store, for an operation that keys in custom
// key stores do not support (rotation, data key pairs): AWS's UnsupportedOperationException naming the
// origin (the key state table's notes 6 and 7 give its form).
func (k *key) checkNotInCustomKeyStore() *apiError {
	if k.inStore != nil {
		return errOriginInvalid(k.arn(), k.origin)
	}
	return nil
}

// ---- Looking stores up ----

// customKeyStoreNamed answers the caller's custom key store of the ID (stores are per account and
// Region; no operation takes another account's).
func (w *World) customKeyStoreNamed(c caller, id string) (*customKeyStore, *apiError) {
	for _, s := range w.regionOf(c.account, c.region).stores {
		if s.id == id {
			return s, nil
		}
	}
	return nil, errCustomKeyStoreNotFound(id)
}

// validStore validates a request that names one custom key store (its CustomKeyStoreId, which the
// model requires) and answers the caller's store of that ID.
func (w *World) validStore(c caller, req request, id *string) (*customKeyStore, *apiError) {
	var v violations
	req.validate(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	s, err := w.customKeyStoreNamed(c, *id)
	if err == nil { // only the operations that change a store name it so (statelog.go)
		w.storeChanged(c.account, c.region, s.id)
	}
	return s, err
}

// storeKeys answers the keys in custom key store s of region r, in creation order.
func (r *region) storeKeys(s *customKeyStore) []*key {
	var keys []*key
	for _, id := range r.keyOrder {
		if k := r.keys[id]; k.inStore != nil && k.inStore.store == s {
			keys = append(keys, k)
		}
	}
	return keys
}

// newCustomKeyStoreID answers a fresh ID: "cks-" and 17 lower-case hex digits, as AWS's IDs are
// (cks-1234567890abcdef0 in the model's examples), unique in the world.
func (w *World) newCustomKeyStoreID() (string, error) {
	for {
		var b [9]byte
		if _, err := w.rand.Read(b[:]); err != nil {
			return "", err
		}
		id := customKeyStoreIDPrefix + hex.EncodeToString(b[:])[:17]
		if !w.customKeyStoreIDTaken(id) {
			return id, nil
		}
	}
}

func (w *World) customKeyStoreIDTaken(id string) bool {
	for _, r := range w.regions {
		for _, s := range r.stores {
			if s.id == id {
				return true
			}
		}
	}
	return false
}

// ---- CreateCustomKeyStore ----

// storeMember is a request member and whether the request has it, for the checks of which members a
// store type takes.
type storeMember struct {
	name  string
	given bool
}

func createCustomKeyStore(w *World, c caller, req *createCustomKeyStoreRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	storeType := stringOr(req.CustomKeyStoreType, storeTypeCloudHSM)
	hsm := []storeMember{{"CloudHsmClusterId", req.CloudHsmClusterId != nil}, {"TrustAnchorCertificate", req.TrustAnchorCertificate != nil},
		{"KeyStorePassword", req.KeyStorePassword != nil}}
	xks := []storeMember{{"XksProxyUriEndpoint", req.XksProxyUriEndpoint != nil}, {"XksProxyUriPath", req.XksProxyUriPath != nil},
		{"XksProxyVpcEndpointServiceName", req.XksProxyVpcEndpointServiceName != nil},
		{"XksProxyVpcEndpointServiceOwner", req.XksProxyVpcEndpointServiceOwner != nil},
		{"XksProxyAuthenticationCredential", req.XksProxyAuthenticationCredential != nil}, {"XksProxyConnectivity", req.XksProxyConnectivity != nil}}
	s := &customKeyStore{name: *req.CustomKeyStoreName, storeType: storeType, connection: connectionDisconnected}
	condition := "CustomKeyStoreType " + storeType
	if storeType == storeTypeCloudHSM {
		if err := refuseMembers(xks, condition); err != nil {
			return nil, err
		}
		if err := requireMembers(hsm, nil, condition); err != nil {
			return nil, err
		}
		s.clusterID, s.trustAnchor = *req.CloudHsmClusterId, *req.TrustAnchorCertificate
	} else {
		if err := refuseMembers(hsm, condition); err != nil {
			return nil, err
		}
		optional := map[string]bool{"XksProxyVpcEndpointServiceName": true, "XksProxyVpcEndpointServiceOwner": true}
		if err := requireMembers(xks, optional, condition); err != nil {
			return nil, err
		}
		s.xks = xksProxy{connectivity: *req.XksProxyConnectivity, uriEndpoint: *req.XksProxyUriEndpoint, uriPath: *req.XksProxyUriPath,
			accessKeyID: *req.XksProxyAuthenticationCredential.AccessKeyId}
		if err := s.xks.setVPCService(c, req.XksProxyVpcEndpointServiceName, req.XksProxyVpcEndpointServiceOwner); err != nil {
			return nil, err
		}
	}
	r := w.regionOf(c.account, c.region)
	if err := w.checkStoreUnique(c, s, nil); err != nil {
		return nil, err
	}
	if len(r.stores) >= maxCustomKeyStores {
		return nil, errCustomKeyStoreLimit(maxCustomKeyStores)
	}
	id, err := w.newCustomKeyStoreID()
	if err != nil {
		return nil, errInternal("generating a custom key store ID: " + err.Error())
	}
	s.id, s.created = id, w.now().UTC()
	r = w.regionToChange(c.account, c.region)
	r.stores = append(r.stores, s)
	w.storeChanged(c.account, c.region, s.id)
	return map[string]any{"CustomKeyStoreId": s.id}, nil
}

// requireMembers answers the error of the first member, in the model's order, that is missing and not
// optional; condition says what requires it.
func requireMembers(members []storeMember, optional map[string]bool, condition string) *apiError {
	for _, m := range members {
		if !m.given && !optional[m.name] {
			return errMemberRequiredWith(m.name, condition)
		}
	}
	return nil
}

// refuseMembers answers the error of the first member, in the model's order, that is given.
func refuseMembers(members []storeMember, condition string) *apiError {
	for _, m := range members {
		if m.given {
			return errMemberNotValidWith(m.name, condition)
		}
	}
	return nil
}

// setVPCService sets the VPC endpoint service of proxy p from a request's members (nil: not given)
// once p's connectivity is set: VPC_ENDPOINT_SERVICE needs a service name, new or kept, whose owner is
// the one given, else the one kept, else the caller's account (the model); PUBLIC_ENDPOINT takes
// neither.
func (p *xksProxy) setVPCService(c caller, name, owner *string) *apiError {
	if p.connectivity == xksPublicEndpoint {
		condition := "XksProxyConnectivity " + xksPublicEndpoint
		switch {
		case name != nil:
			return errMemberNotValidWith("XksProxyVpcEndpointServiceName", condition)
		case owner != nil:
			return errMemberNotValidWith("XksProxyVpcEndpointServiceOwner", condition)
		}
		p.vpcServiceName, p.vpcServiceOwner = "", ""
		return nil
	}
	switch {
	case name != nil:
		p.vpcServiceName = *name
	case p.vpcServiceName == "":
		return errMemberRequiredWith("XksProxyVpcEndpointServiceName", "XksProxyConnectivity "+xksVPCEndpointService)
	}
	switch {
	case owner != nil:
		p.vpcServiceOwner = *owner
	case p.vpcServiceOwner == "":
		p.vpcServiceOwner = c.account
	}
	return nil
}

// checkStoreUnique answers the error of a store s (new, or self updated) whose name, CloudHSM cluster
// or external key store proxy another store already has: the name, the cluster, and the proxy's URI
// endpoint and path within the account and Region; the URI endpoint of a VPC_ENDPOINT_SERVICE store
// within the account and Region, and against the other connectivity within the Region; the VPC
// endpoint service within the Region (the model's documentation of CreateCustomKeyStore's members and
// of the exceptions). Each error names s's values, so the order in which stores are seen does not show.
func (w *World) checkStoreUnique(c caller, s, self *customKeyStore) *apiError {
	var others, regionWide []*customKeyStore // the other stores of the account and Region; of the Region
	sameAccount := map[*customKeyStore]bool{}
	for id, r := range w.regions {
		if id.region != c.region {
			continue
		}
		for _, o := range r.stores {
			if o == self {
				continue
			}
			regionWide = append(regionWide, o)
			if id.account == c.account {
				others = append(others, o)
				sameAccount[o] = true
			}
		}
	}
	for _, o := range others {
		if o.name == s.name {
			return errCustomKeyStoreNameInUse(s.name)
		}
	}
	if s.storeType == storeTypeCloudHSM {
		for _, o := range others {
			if o.storeType == storeTypeCloudHSM && o.clusterID == s.clusterID {
				if self != nil {
					// A cluster of another store of the account shares no backup history with this
					// store's: AWS refuses to associate clusters that do with two stores.
					return errCloudHsmClusterNotRelated(s.clusterID)
				}
				return errCloudHsmClusterInUse(s.clusterID)
			}
		}
		return nil
	}
	p := s.xks
	for _, o := range others {
		if o.storeType == storeTypeExternal && o.xks.uriEndpoint == p.uriEndpoint && o.xks.uriPath == p.uriPath {
			return errXksProxyUriInUse(p.uriEndpoint + p.uriPath)
		}
	}
	for _, o := range regionWide {
		if o.storeType != storeTypeExternal || o.xks.uriEndpoint != p.uriEndpoint {
			continue
		}
		vpc := p.connectivity == xksVPCEndpointService || o.xks.connectivity == xksVPCEndpointService
		if vpc && (o.xks.connectivity != p.connectivity || sameAccount[o]) {
			return errXksProxyUriEndpointInUse(p.uriEndpoint)
		}
	}
	if p.connectivity == xksVPCEndpointService {
		for _, o := range regionWide {
			if o.storeType == storeTypeExternal && o.xks.vpcServiceName == p.vpcServiceName {
				return errXksVpcEndpointServiceInUse(p.vpcServiceName)
			}
		}
	}
	return nil
}

// ---- ConnectCustomKeyStore and DisconnectCustomKeyStore ----

func connectCustomKeyStore(w *World, c caller, req *connectCustomKeyStoreRequest) (any, *apiError) {
	s, err := w.validStore(c, req, req.CustomKeyStoreId)
	if err != nil {
		return nil, err
	}
	// Connecting a CONNECTED store succeeds (the model: only DISCONNECTING and FAILED refuse, and
	// neither occurs here).
	s.connection = connectionConnected
	for _, k := range w.regionOf(c.account, c.region).storeKeys(s) {
		w.keyChanged(k)
		if k.state == stateUnavailable {
			k.state, k.inStore.held = k.inStore.held, ""
		}
	}
	return struct{}{}, nil
}

func disconnectCustomKeyStore(w *World, c caller, req *disconnectCustomKeyStoreRequest) (any, *apiError) {
	s, err := w.validStore(c, req, req.CustomKeyStoreId)
	if err != nil {
		return nil, err
	}
	if s.connection == connectionDisconnected {
		return nil, errCustomKeyStoreInvalidState(s.id, s.connection, "DisconnectCustomKeyStore")
	}
	s.connection = connectionDisconnected
	for _, k := range w.regionOf(c.account, c.region).storeKeys(s) {
		w.keyChanged(k)
		k.unavailableWhileDisconnected()
	}
	return struct{}{}, nil
}

// ---- DescribeCustomKeyStores ----

// customKeyStoreEntry is the API's CustomKeyStoresListEntry, member for member.
type customKeyStoreEntry struct {
	CustomKeyStoreId       string                 `json:"CustomKeyStoreId"`
	CustomKeyStoreName     string                 `json:"CustomKeyStoreName"`
	CloudHsmClusterId      string                 `json:"CloudHsmClusterId,omitempty"`
	TrustAnchorCertificate string                 `json:"TrustAnchorCertificate,omitempty"`
	ConnectionState        string                 `json:"ConnectionState"`
	CreationDate           epochTime              `json:"CreationDate"`
	CustomKeyStoreType     string                 `json:"CustomKeyStoreType"`
	XksProxyConfiguration  *xksProxyConfiguration `json:"XksProxyConfiguration,omitempty"`
}

// xksProxyConfiguration is the API's XksProxyConfigurationType: the secret access key is not in it.
type xksProxyConfiguration struct {
	Connectivity            string `json:"Connectivity"`
	AccessKeyId             string `json:"AccessKeyId"`
	UriEndpoint             string `json:"UriEndpoint"`
	UriPath                 string `json:"UriPath"`
	VpcEndpointServiceName  string `json:"VpcEndpointServiceName,omitempty"`
	VpcEndpointServiceOwner string `json:"VpcEndpointServiceOwner,omitempty"`
}

func (s *customKeyStore) entry() customKeyStoreEntry {
	e := customKeyStoreEntry{CustomKeyStoreId: s.id, CustomKeyStoreName: s.name, ConnectionState: s.connection,
		CreationDate: epochTime(s.created), CustomKeyStoreType: s.storeType}
	if s.storeType == storeTypeCloudHSM {
		e.CloudHsmClusterId, e.TrustAnchorCertificate = s.clusterID, s.trustAnchor
		return e
	}
	p := s.xks
	e.XksProxyConfiguration = &xksProxyConfiguration{Connectivity: p.connectivity, AccessKeyId: p.accessKeyID, UriEndpoint: p.uriEndpoint,
		UriPath: p.uriPath, VpcEndpointServiceName: p.vpcServiceName, VpcEndpointServiceOwner: p.vpcServiceOwner}
	return e
}

func describeCustomKeyStores(w *World, c caller, req *describeCustomKeyStoresRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	if req.CustomKeyStoreId != nil && req.CustomKeyStoreName != nil {
		return nil, errCustomKeyStoreIDAndName()
	}
	stores := w.regionOf(c.account, c.region).stores
	switch {
	case req.CustomKeyStoreId != nil:
		s, err := w.customKeyStoreNamed(c, *req.CustomKeyStoreId)
		if err != nil {
			return nil, err
		}
		stores = []*customKeyStore{s}
	case req.CustomKeyStoreName != nil:
		var named []*customKeyStore
		for _, s := range stores {
			if s.name == *req.CustomKeyStoreName {
				named = append(named, s)
			}
		}
		if len(named) == 0 {
			return nil, errCustomKeyStoreNameNotFound(*req.CustomKeyStoreName)
		}
		stores = named
	}
	page, next, err := paginate(len(stores), req.Limit, req.Marker)
	if err != nil {
		return nil, err
	}
	entries := make([]customKeyStoreEntry, 0, page.end-page.start)
	for _, s := range stores[page.start:page.end] {
		entries = append(entries, s.entry())
	}
	return pageAnswer("CustomKeyStores", entries, next), nil
}

// ---- UpdateCustomKeyStore ----

func updateCustomKeyStore(w *World, c caller, req *updateCustomKeyStoreRequest) (any, *apiError) {
	s, err := w.validStore(c, req, req.CustomKeyStoreId)
	if err != nil {
		return nil, err
	}
	hsm := []storeMember{{"KeyStorePassword", req.KeyStorePassword != nil}, {"CloudHsmClusterId", req.CloudHsmClusterId != nil}}
	xks := []storeMember{{"XksProxyUriEndpoint", req.XksProxyUriEndpoint != nil}, {"XksProxyUriPath", req.XksProxyUriPath != nil},
		{"XksProxyVpcEndpointServiceName", req.XksProxyVpcEndpointServiceName != nil},
		{"XksProxyVpcEndpointServiceOwner", req.XksProxyVpcEndpointServiceOwner != nil},
		{"XksProxyAuthenticationCredential", req.XksProxyAuthenticationCredential != nil}, {"XksProxyConnectivity", req.XksProxyConnectivity != nil}}
	// The members a connected store may change (the model's documentation of UpdateCustomKeyStore).
	whileConnected := map[string]bool{"XksProxyUriPath": true, "XksProxyAuthenticationCredential": true}
	mine, others := hsm, xks
	if s.storeType == storeTypeExternal {
		mine, others = xks, hsm
	}
	if err := refuseMembers(others, "CustomKeyStoreType "+s.storeType); err != nil {
		return nil, err
	}
	if s.connection != connectionDisconnected {
		for _, m := range mine {
			if m.given && !whileConnected[m.name] {
				return nil, errCustomKeyStoreUpdateConnected(s.id, m.name)
			}
		}
	}
	updated := *s
	if req.NewCustomKeyStoreName != nil {
		updated.name = *req.NewCustomKeyStoreName
	}
	if req.CloudHsmClusterId != nil {
		updated.clusterID = *req.CloudHsmClusterId
	}
	if s.storeType == storeTypeExternal {
		p := &updated.xks
		if req.XksProxyConnectivity != nil && *req.XksProxyConnectivity != p.connectivity {
			// A change of connectivity changes the endpoint too (the model's documentation of
			// XksProxyConnectivity).
			if req.XksProxyUriEndpoint == nil {
				return nil, errMemberRequiredWith("XksProxyUriEndpoint", "a change of XksProxyConnectivity")
			}
			p.connectivity = *req.XksProxyConnectivity
		}
		if req.XksProxyUriEndpoint != nil {
			p.uriEndpoint = *req.XksProxyUriEndpoint
		}
		if req.XksProxyUriPath != nil {
			p.uriPath = *req.XksProxyUriPath
		}
		if req.XksProxyAuthenticationCredential != nil {
			p.accessKeyID = *req.XksProxyAuthenticationCredential.AccessKeyId
		}
		if err := p.setVPCService(c, req.XksProxyVpcEndpointServiceName, req.XksProxyVpcEndpointServiceOwner); err != nil {
			return nil, err
		}
	}
	if err := w.checkStoreUnique(c, &updated, s); err != nil {
		return nil, err
	}
	*s = updated
	return struct{}{}, nil
}

// ---- DeleteCustomKeyStore ----

func deleteCustomKeyStore(w *World, c caller, req *deleteCustomKeyStoreRequest) (any, *apiError) {
	s, err := w.validStore(c, req, req.CustomKeyStoreId)
	if err != nil {
		return nil, err
	}
	if s.connection != connectionDisconnected {
		return nil, errCustomKeyStoreInvalidState(s.id, s.connection, "DeleteCustomKeyStore")
	}
	r := w.regionOf(c.account, c.region)
	if len(r.storeKeys(s)) > 0 {
		return nil, errCustomKeyStoreHasKeys(s.id)
	}
	kept := r.stores[:0]
	for _, o := range r.stores {
		if o != s {
			kept = append(kept, o)
		}
	}
	r.stores = kept
	return struct{}{}, nil
}

// ---- GenerateRandom in a CloudHSM key store ----

// checkRandomSource answers the error of GenerateRandom's CustomKeyStoreId (nil: KMS's own randomness):
// the store must be a connected CloudHSM key store (the model's documentation of GenerateRandom: an
// external key store is UnsupportedOperationException). The bytes come from the world's randomness
// either way.
func (w *World) checkRandomSource(c caller, storeID *string) *apiError {
	if storeID == nil {
		return nil
	}
	s, err := w.customKeyStoreNamed(c, *storeID)
	if err != nil {
		return err
	}
	if s.storeType == storeTypeExternal {
		return errRandomFromExternalKeyStore(s.id)
	}
	if s.connection != connectionConnected {
		return errCustomKeyStoreInvalidState(s.id, s.connection, "GenerateRandom")
	}
	return nil
}
