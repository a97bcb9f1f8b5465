package kms

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// The snapshot format (SNAPSHOT.md): "format" names it, "version" is its version. Version 2 omits a
// key's policy when it is the default key policy, version 3 adds a seeded world's draw position;
// ImportState reads versions 1 (whose documents may lack "format": the endpoint's state files) to 3,
// and refuses any other.
const (
	stateFormat     = "wasmkms-world"
	stateVersion    = 3
	stateVersionMin = 1
)

// worldState is the whole world as JSON (WasmKMS.ExportState / WasmKMS.ImportState). Key material
// is included: asymmetric private keys as base64 PKCS#8, symmetric material and HMAC keys raw.
type worldState struct {
	Format      string              `json:"format"`
	Version     int                 `json:"version"`
	Regions     []regionState       `json:"regions"`
	RSAPoolUsed map[string][][2]int `json:"rsaPoolUsedPairs,omitempty"` // key bits -> prime index pairs
	SuppliedRSA map[string][][]byte `json:"suppliedRSAKeys,omitempty"`  // key bits -> PKCS#8 queue
	SeededDraws uint64              `json:"seededDraws,omitempty"`      // a seeded world's draw position (seed.go)
}

type regionState struct {
	Account string       `json:"account"`
	Region  string       `json:"region"`
	Keys    []keyState   `json:"keys"`
	Aliases []aliasState `json:"aliases"`
	// CustomKeyStores: the region's custom key stores (customkeystore_state.go).
	CustomKeyStores []customKeyStoreState `json:"customKeyStores,omitempty"`
}

type keyState struct {
	KeyID        string          `json:"keyId"`
	KeySpec      string          `json:"keySpec"`
	KeyUsage     string          `json:"keyUsage"`
	Description  string          `json:"description"`
	Origin       string          `json:"origin"`
	KeyState     string          `json:"keyState"`
	CreationDate epochTime       `json:"creationDate"`
	DeletionDate *epochTime      `json:"deletionDate,omitempty"`
	Policy       string          `json:"policy,omitempty"` // absent: the default key policy (version 2)
	Tags         []tag           `json:"tags,omitempty"`
	Symmetric    []symmetricPart `json:"symmetricMaterial,omitempty"`
	PrivateKey   []byte          `json:"privateKey,omitempty"` // PKCS#8
	HMACKey      []byte          `json:"hmacKey,omitempty"`
	Grants       []grantState    `json:"grants,omitempty"`
	RotationDays int             `json:"rotationPeriodInDays,omitempty"` // 0: automatic rotation off
	NextRotation *epochTime      `json:"nextRotationDate,omitempty"`
	LastUse      *lastUseState   `json:"lastUse,omitempty"` // GetKeyLastUsage
	Imports      *importsState   `json:"imports,omitempty"` // EXTERNAL keys (import_state.go)

	// Multi-Region keys (multiregion_state.go); pendingWindowInDays only while PendingReplicaDeletion.
	MultiRegion   *multiRegionState `json:"multiRegion,omitempty"`
	PendingWindow int               `json:"pendingWindowInDays,omitempty"`

	// KeyManager is "AWS" for an AWS managed key (managed.go), absent for a customer managed key.
	KeyManager string `json:"keyManager,omitempty"`

	// CustomKeyStore: the key's custom key store (customkeystore_state.go), absent for other keys.
	CustomKeyStore *storeMembershipState `json:"customKeyStore,omitempty"`
}

type lastUseState struct {
	Operation string    `json:"operation"`
	At        epochTime `json:"at"`
	EventID   string    `json:"eventId,omitempty"`
}

type grantState struct {
	GrantID           string    `json:"grantId"`
	GrantToken        string    `json:"grantToken"`
	Name              string    `json:"name,omitempty"`
	GranteePrincipal  string    `json:"granteePrincipal"`
	RetiringPrincipal string    `json:"retiringPrincipal,omitempty"`
	IssuingAccount    string    `json:"issuingAccount"`
	Operations        []string  `json:"operations"`
	CreationDate      epochTime `json:"creationDate"`
	// MoreGrantTokens are the tokens of the grant after GrantToken (a retried CreateGrant with a Name).
	MoreGrantTokens []string               `json:"moreGrantTokens,omitempty"`
	Constraints     *grantConstraintsState `json:"constraints,omitempty"`
}

// grantConstraintsState is a grant's constraints: exactly one member, which may be an empty map.
type grantConstraintsState struct {
	EncryptionContextEquals *map[string]string `json:"encryptionContextEquals,omitempty"`
	EncryptionContextSubset *map[string]string `json:"encryptionContextSubset,omitempty"`
}

type symmetricPart struct {
	BackingID    []byte     `json:"backingId"`
	Material     []byte     `json:"material"`
	RotationDate *epochTime `json:"rotationDate,omitempty"` // absent for the key's first material
	RotationType string     `json:"rotationType,omitempty"`
}

type aliasState struct {
	AliasName       string    `json:"aliasName"`
	TargetKeyID     string    `json:"targetKeyId"`
	CreationDate    epochTime `json:"creationDate"`
	LastUpdatedDate epochTime `json:"lastUpdatedDate"`
}

func exportState(w *World, _ caller, _ []byte) (any, *apiError) {
	st := worldState{Format: stateFormat, Version: stateVersion}
	ids := make([]regionID, 0, len(w.regions))
	for id := range w.regions {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool {
		return ids[a].account < ids[b].account || ids[a].account == ids[b].account && ids[a].region < ids[b].region
	})
	for _, id := range ids {
		r := w.regions[id]
		if len(r.keys) == 0 && len(r.aliases) == 0 && len(r.stores) == 0 {
			continue
		}
		rs := regionState{Account: id.account, Region: id.region, Keys: make([]keyState, 0, len(r.keyOrder)), Aliases: []aliasState{}}
		defaultKeyPolicy := defaultPolicy(partitionOf(id.region), id.account)
		for _, keyID := range r.keyOrder {
			ks, err := exportKey(r.keys[keyID])
			if err != nil {
				return nil, errInternal("exporting key " + keyID + ": " + err.Error())
			}
			if ks.Policy == defaultKeyPolicy {
				ks.Policy = ""
			}
			rs.Keys = append(rs.Keys, ks)
		}
		names := make([]string, 0, len(r.aliases))
		for name := range r.aliases {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			a := r.aliases[name]
			rs.Aliases = append(rs.Aliases, aliasState{AliasName: name, TargetKeyID: a.targetKeyID,
				CreationDate: epochTime(a.created), LastUpdatedDate: epochTime(a.updated)})
		}
		rs.CustomKeyStores = exportCustomKeyStores(r)
		st.Regions = append(st.Regions, rs)
	}
	if w.rsaPool != nil {
		st.RSAPoolUsed = map[string][][2]int{}
		for bits, pairs := range w.rsaPool.UsedPairs() {
			st.RSAPoolUsed[strconv.Itoa(bits)] = pairs
		}
	}
	if seeded, ok := w.rand.(*seededReader); ok {
		st.SeededDraws = seeded.drawn
	}
	if len(w.suppliedRSA) > 0 {
		st.SuppliedRSA = map[string][][]byte{}
		for bits, queue := range w.suppliedRSA {
			for _, priv := range queue {
				der, err := kmscrypto.MarshalPKCS8(priv)
				if err != nil {
					return nil, errInternal("exporting a supplied RSA key: " + err.Error())
				}
				st.SuppliedRSA[strconv.Itoa(bits)] = append(st.SuppliedRSA[strconv.Itoa(bits)], der)
			}
		}
	}
	if st.Regions == nil {
		st.Regions = []regionState{}
	}
	return st, nil
}

func exportKey(k *key) (keyState, error) {
	var ks keyState
	err := exportKeyInto(k, &ks)
	return ks, err
}

// exportKeyInto is exportKey into *ks, which holds nothing but, maybe, the Symmetric slice of a key
// exported into it before: its array takes the materials when it is large enough (a take of one key
// uses the same keyState again, and saves an allocation).
func exportKeyInto(k *key, ks *keyState) error {
	parts := ks.Symmetric[:0]
	*ks = keyState{
		KeyID: k.id, KeySpec: k.spec, KeyUsage: k.usage, Description: k.description, Origin: k.origin,
		KeyState: k.state, CreationDate: epochTime(k.created), Policy: k.policy, Tags: k.tags, HMACKey: k.hmacKey,
	}
	if k.deletionDate != nil {
		d := epochTime(*k.deletionDate)
		ks.DeletionDate = &d
	}
	exportMultiRegion(k, ks)
	exportKeyManager(k, ks)
	exportStoreMembership(k, ks)
	if u := k.lastUse; u.operation != "" {
		ks.LastUse = &lastUseState{Operation: u.operation, At: epochTime(u.at), EventID: u.eventID}
	}
	if k.nextRotation != nil {
		n := epochTime(*k.nextRotation)
		ks.RotationDays, ks.NextRotation = k.rotationDays, &n
	}
	for _, g := range k.grants {
		ks.Grants = append(ks.Grants, exportGrant(g))
	}
	if len(k.materials) > 0 {
		if cap(parts) < len(k.materials) {
			parts = make([]symmetricPart, 0, len(k.materials))
		}
		ks.Symmetric = parts
	}
	for i := range k.materials {
		m := &k.materials[i] // not a copy: slicing a copy's BackingID would move the whole copy to the heap
		part := symmetricPart{BackingID: m.BackingID[:], Material: m.Material, RotationType: m.rotationType}
		if !m.rotated.IsZero() {
			d := epochTime(m.rotated)
			part.RotationDate = &d
		}
		ks.Symmetric = append(ks.Symmetric, part)
	}
	if k.private != nil {
		der, err := kmscrypto.MarshalPKCS8(k.private)
		if err != nil {
			return err
		}
		ks.PrivateKey = der
		rememberPrivateKey(sha256.Sum256(der), k.private) // a restore in this process parses nothing
	}
	imports, err := exportImports(k)
	if err != nil {
		return err
	}
	ks.Imports = imports
	return nil
}

func exportGrant(g *grant) grantState {
	return grantState{GrantID: g.id, GrantToken: g.tokens[0], Name: g.name, GranteePrincipal: g.grantee,
		RetiringPrincipal: g.retiring, IssuingAccount: g.issuingAccount, Operations: g.operations, CreationDate: epochTime(g.created),
		MoreGrantTokens: g.tokens[1:], Constraints: exportConstraints(g.constraints)}
}

// importState replaces the world with a state ExportState gave. Everything is checked and built
// aside first (statelog_build.go): a bad state answers ValidationException and changes nothing.
func importState(w *World, _ caller, body []byte) (any, *apiError) {
	var st worldState
	if !decodeStateJSON(body, &st) { // state_json.go; encoding/json has the last word
		st = worldState{}
		if err := json.Unmarshal(body, &st); err != nil {
			return nil, errBadState("not a state document: " + err.Error())
		}
	}
	if st.Format != stateFormat && (st.Format != "" || st.Version != 1) {
		return nil, errBadState(fmt.Sprintf("format %q is not %q", st.Format, stateFormat))
	}
	if st.Version < stateVersionMin || st.Version > stateVersion {
		return nil, errBadState(fmt.Sprintf("version %d is not %d to %d", st.Version, stateVersionMin, stateVersion))
	}
	b := newStateBuilder(st.Version)
	if err := b.addDocument(&st); err != nil {
		return nil, errBadState(err.Error())
	}
	if err := b.install(w); err != nil {
		return nil, err
	}
	w.stateReplaced()
	return struct{}{}, nil
}

// restoredRSAPool is the prime pool of a world whose state is being replaced: a world never draws a
// pair twice, so its draws only grow. They are the snapshot's (rsaPoolUsedPairs), the pairs of the
// pool keys it holds (so that a document without its draws, a version-1 file or one written by hand,
// never has a key it holds drawn again), and the draws this world made before (so that the keys and
// data key pairs it handed out since the snapshot was taken are not handed out again after a
// restore).
func (w *World) restoredRSAPool(used map[string][][2]int, keys []*key) (*kmscrypto.RSAPool, *apiError) {
	pool := kmscrypto.NewRSAPool(w.rand)
	for bitsText, pairs := range used {
		bits, err := strconv.Atoi(bitsText)
		if err != nil {
			return nil, errBadState("RSA pool size " + strconv.Quote(bitsText) + " is not a number")
		}
		for _, p := range pairs {
			pool.MarkUsed(bits, p[0], p[1])
		}
	}
	for _, k := range keys {
		if priv, ok := k.private.(*rsa.PrivateKey); ok {
			pool.MarkKey(priv)
		}
		if k.imports != nil {
			for _, p := range k.imports.parameters {
				if priv, ok := p.wrapping.(*rsa.PrivateKey); ok {
					pool.MarkKey(priv)
				}
			}
		}
	}
	if w.rsaPool != nil {
		for bits, pairs := range w.rsaPool.UsedPairs() {
			for _, p := range pairs {
				pool.MarkUsed(bits, p[0], p[1])
			}
		}
	}
	return pool, nil
}

// statePolicies parses each distinct policy text of a state once, and the keys share the parsed
// document: 10,000 keys with the default policy cost one parse, not 10,000 (it was most of an
// import's time). The text of the key before is tried first: keys in a row mostly share theirs (the
// default policy, the same string), which then costs no hashing of the text.
type statePolicies struct {
	docs     map[string]*policyDocument
	lastText string
	lastDoc  *policyDocument
}

func (p *statePolicies) parse(text string) (*policyDocument, *apiError) {
	if p.lastDoc != nil && text == p.lastText {
		return p.lastDoc, nil
	}
	doc, ok := p.docs[text]
	if !ok {
		var err *apiError
		if doc, err = parsePolicy(text); err != nil {
			return nil, err
		}
		if p.docs == nil {
			p.docs = map[string]*policyDocument{}
		}
		p.docs[text] = doc
	}
	p.lastText, p.lastDoc = text, doc
	return doc, nil
}

// importKey checks one key of a state against the key spec table and rebuilds it, in the arena's
// memory.
func importKey(account, regionName string, ks *keyState, policies *statePolicies, arena *loadArena) (*key, error) {
	if !isKeyID(ks.KeyID) {
		return nil, fmt.Errorf("not a key ID")
	}
	spec, ok := keySpecs[ks.KeySpec]
	if !ok {
		return nil, fmt.Errorf("unknown key spec %q", ks.KeySpec)
	}
	if !spec.allows(ks.KeyUsage) {
		return nil, fmt.Errorf("key usage %q is not valid for key spec %s", ks.KeyUsage, ks.KeySpec)
	}
	switch ks.KeyState {
	case stateEnabled, stateDisabled, statePendingDeletion, statePendingImport, stateUnavailable, stateCreating, stateUpdating,
		statePendingReplicaDeletion:
	default:
		return nil, fmt.Errorf("unknown key state %q", ks.KeyState)
	}
	if (ks.KeyState == statePendingDeletion) != (ks.DeletionDate != nil) {
		return nil, fmt.Errorf("a deletion date goes with the state PendingDeletion and only with it")
	}
	if ks.Origin != "AWS_KMS" && ks.Origin != "EXTERNAL" && ks.CustomKeyStore == nil {
		return nil, fmt.Errorf("origin %q is not supported", ks.Origin)
	}
	doc, policyErr := policies.parse(ks.Policy)
	if policyErr != nil {
		return nil, fmt.Errorf("policy: %s", policyErr.message)
	}
	k := arena.key()
	*k = key{
		id: ks.KeyID, account: account, region: regionName, spec: ks.KeySpec, usage: ks.KeyUsage,
		description: ks.Description, origin: ks.Origin, state: ks.KeyState, created: time.Time(ks.CreationDate),
		policy: ks.Policy, tags: ks.Tags, policyCache: doc, policyCacheOf: ks.Policy,
	}
	if ks.DeletionDate != nil {
		d := time.Time(*ks.DeletionDate)
		k.deletionDate = &d
	}
	if err := importMultiRegion(k, *ks); err != nil {
		return nil, err
	}
	if err := importKeyManager(k, *ks); err != nil {
		return nil, err
	}
	if err := importStoreMembership(k, *ks); err != nil {
		return nil, err
	}
	if (ks.RotationDays != 0) != (ks.NextRotation != nil) || ks.RotationDays != 0 && (ks.RotationDays < 90 || ks.RotationDays > 2560) {
		return nil, fmt.Errorf("rotation period and next rotation date go together, the period in 90..2560")
	}
	if u := ks.LastUse; u != nil {
		if u.Operation == "" {
			return nil, fmt.Errorf("key %s: lastUse without an operation", ks.KeyID)
		}
		k.lastUse = keyUse{operation: u.Operation, at: time.Time(u.At), eventID: u.EventID}
	}
	if ks.NextRotation != nil {
		n := time.Time(*ks.NextRotation)
		k.rotationDays, k.nextRotation = ks.RotationDays, &n
	}
	for _, gs := range ks.Grants {
		g, err := importGrant(k, gs)
		if err != nil {
			return nil, err
		}
		k.grants = append(k.grants, g)
	}
	if ks.Origin == originExternal {
		if err := importExternalKey(k, spec, *ks); err != nil {
			return nil, err
		}
		return k, nil
	}
	if ks.Imports != nil {
		return nil, fmt.Errorf("only EXTERNAL keys have imports")
	}
	hasMaterial := len(ks.Symmetric) > 0 || ks.PrivateKey != nil || ks.HMACKey != nil
	if ks.KeyState == statePendingImport {
		if hasMaterial {
			return nil, fmt.Errorf("a PendingImport key has no material")
		}
		return k, nil
	}
	if err := importMaterial(k, spec, ks, arena); err != nil {
		return nil, err
	}
	return k, nil
}

// importGrant checks and rebuilds one grant of key k.
func importGrant(k *key, gs grantState) (*grant, error) {
	for _, op := range gs.Operations {
		if !contains(enumGrantOperation, op) {
			return nil, fmt.Errorf("grant %s has an unknown operation %q", gs.GrantID, op)
		}
	}
	constraints, err := importConstraints(gs.Constraints, gs.Operations, k.keySpec())
	if err != nil {
		return nil, fmt.Errorf("grant %s: %v", gs.GrantID, err)
	}
	return &grant{id: gs.GrantID, tokens: append([]string{gs.GrantToken}, gs.MoreGrantTokens...), name: gs.Name,
		keyID: k.id, grantee: gs.GranteePrincipal, retiring: gs.RetiringPrincipal, issuingAccount: gs.IssuingAccount,
		operations: gs.Operations, constraints: constraints, created: time.Time(gs.CreationDate)}, nil
}

func importMaterial(k *key, spec keySpec, ks *keyState, arena *loadArena) error {
	switch spec.family {
	case familySymmetric:
		if len(ks.Symmetric) == 0 || ks.PrivateKey != nil || ks.HMACKey != nil {
			return fmt.Errorf("a symmetric key needs symmetric material and nothing else")
		}
		k.materials = arena.keyMaterials(len(ks.Symmetric))
		for _, part := range ks.Symmetric {
			if len(part.BackingID) != 32 || len(part.Material) != 32 {
				return fmt.Errorf("symmetric material must be a 32-byte backing ID and 32 bytes of key")
			}
			if (part.RotationDate == nil) != (part.RotationType == "") || part.RotationType != "" && part.RotationType != rotationAutomatic && part.RotationType != rotationOnDemand {
				return fmt.Errorf("a rotation needs both a rotationDate and a rotationType of %s or %s", rotationAutomatic, rotationOnDemand)
			}
			var s kmscrypto.SymmetricKey
			copy(s.BackingID[:], part.BackingID)
			s.Material = part.Material // the decoded state's own slice (the arena's, for a log): nothing else holds it
			var rotated time.Time
			if part.RotationDate != nil {
				rotated = time.Time(*part.RotationDate)
			}
			k.materials = append(k.materials, arena.keyMaterial(s, rotated, part.RotationType))
		}
		return nil
	case familyHMAC:
		if len(ks.HMACKey) != spec.bits/8 || ks.PrivateKey != nil || len(ks.Symmetric) > 0 {
			return fmt.Errorf("an %s key needs a %d-byte HMAC key and nothing else", ks.KeySpec, spec.bits/8)
		}
		k.hmacKey = append([]byte(nil), ks.HMACKey...)
		return nil
	}
	if ks.PrivateKey == nil || ks.HMACKey != nil || len(ks.Symmetric) > 0 {
		return fmt.Errorf("an asymmetric key needs a private key and nothing else")
	}
	priv, err := parsePrivateKey(ks.PrivateKey)
	if err != nil {
		return fmt.Errorf("private key: %v", err)
	}
	switch p := priv.(type) {
	case *rsa.PrivateKey:
		if spec.family != familyRSA || p.N.BitLen() != spec.bits {
			return fmt.Errorf("the private key is not %s", ks.KeySpec)
		}
		k.private = p
	case *kmscrypto.SM2PrivateKey:
		if spec.family != familySM2 {
			return fmt.Errorf("the private key is not %s", ks.KeySpec)
		}
		k.private = p
	case *ecdsa.PrivateKey:
		if spec.family != familyECC || !isCurve(p.Curve, spec.curve) {
			return fmt.Errorf("the private key is not %s", ks.KeySpec)
		}
		k.private = p
	case ed25519.PrivateKey:
		if spec.family != familyEd25519 {
			return fmt.Errorf("the private key is not %s", ks.KeySpec)
		}
		k.private = p
	case *kmscrypto.MLDSAPrivateKey:
		if spec.family != familyMLDSA || p.ParamSet() != spec.bits {
			return fmt.Errorf("the private key is not %s", ks.KeySpec)
		}
		k.private = p
	case *kmscrypto.MLKEMPrivateKey:
		if spec.family != familyMLKEM || p.ParamSet() != spec.bits {
			return fmt.Errorf("the private key is not %s", ks.KeySpec)
		}
		k.private = p
	default:
		return fmt.Errorf("unsupported private key type %T", priv)
	}
	return nil
}

// ---- WasmKMS.SupplyRSAKey ----

type supplyRSAKeyRequest struct {
	PrivateKey []byte `json:"PrivateKey"`
}

// supplyRSAKey queues a host-generated RSA key; the next CreateKey of its size takes it.
func supplyRSAKey(w *World, _ caller, req *supplyRSAKeyRequest) (any, *apiError) {
	var v violations
	v.blob("privateKey", req.PrivateKey, true, 1, 1<<16)
	if err := v.err(); err != nil {
		return nil, err
	}
	priv, err := parseSuppliedRSA(req.PrivateKey)
	if err != nil {
		return nil, errBadSuppliedKey(err.Error())
	}
	bits := priv.N.BitLen()
	w.suppliedRSA[bits] = append(w.suppliedRSA[bits], priv)
	w.suppliedChanged()
	return struct{}{}, nil
}

// parseSuppliedRSA accepts PKCS#8 RSA keys of 2048, 3072 or 4096 bits that pass Validate.
func parseSuppliedRSA(der []byte) (*rsa.PrivateKey, error) {
	priv, err := kmscrypto.ParsePKCS8(der)
	if err != nil {
		return nil, fmt.Errorf("is not a DER PKCS#8 private key")
	}
	r, ok := priv.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("is not an RSA key")
	}
	switch r.N.BitLen() {
	case 2048, 3072, 4096:
	default:
		return nil, fmt.Errorf("is a %d-bit RSA key; KMS RSA keys have 2048, 3072 or 4096 bits", r.N.BitLen())
	}
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("is not a valid RSA key")
	}
	r.Precompute()
	return r, nil
}
