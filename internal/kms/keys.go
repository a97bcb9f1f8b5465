package kms

import (
	"crypto"
	"crypto/rsa"
	"encoding/hex"
	"time"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// Key states, as the API names them.
const (
	stateEnabled         = "Enabled"
	stateDisabled        = "Disabled"
	statePendingDeletion = "PendingDeletion"
	statePendingImport   = "PendingImport"
	stateUnavailable     = "Unavailable"
	stateCreating        = "Creating"
	stateUpdating        = "Updating"
)

// key is one KMS key with its material.
type key struct {
	id, account, region string
	arnText             string // arn()'s, once made
	spec, usage         string
	description         string
	origin              string
	state               string
	created             time.Time
	deletionDate        *time.Time
	policy              string
	policyCache         *policyDocument // policy parsed, valid while policyCacheOf == policy
	policyCacheOf       string
	lastAllowed         allowedRequest // policy.go
	specEntry           *keySpec       // keySpec()'s, valid while specEntryOf == spec
	specEntryOf         string
	tags                []tag
	grants              []*grant
	rotationDays        int        // automatic rotation period; 0 when rotation is off
	nextRotation        *time.Time // set while automatic rotation is on

	// Material: exactly one kind is set, per the spec's family (none while PendingImport).
	materials []keyMaterial // symmetric keys: every version; the last encrypts (material.go)
	private   privateKey    // asymmetric keys
	lastUse   keyUse        // the last successful cryptographic operation (GetKeyLastUsage)
	hmacKey   []byte
	hmacReady *kmscrypto.PreparedMAC // hmacKey made ready for MACs, kept across calls (mac.go)
	imports   *keyImports            // EXTERNAL keys: import parameters and imported material (import.go)

	// Multi-Region keys (multiregion.go): the set the key belongs to (nil for a single-Region key),
	// and the waiting period of a primary key pending replica deletion.
	mrk           *multiRegionSet
	pendingWindow int

	// awsManaged: an AWS managed key (managed.go), KeyManager AWS.
	awsManaged bool

	// inStore: the key's custom key store (customkeystore.go); nil for a key outside custom key stores.
	inStore *storeMembership
}

// privateKey is an asymmetric key's private half: *rsa.PrivateKey, *ecdsa.PrivateKey (NIST curves
// and secp256k1), *kmscrypto.SM2PrivateKey, ed25519.PrivateKey, *kmscrypto.MLDSAPrivateKey or
// *kmscrypto.MLKEMPrivateKey.
type privateKey interface{ Public() crypto.PublicKey }

// arn is the key's ARN, made on its first use and kept (a key's ID, account and Region never change):
// most calls answer it, and it was the largest of their strings.
func (k *key) arn() string {
	if k.arnText == "" {
		k.arnText = keyARN(k.region, k.account, k.id)
	}
	return k.arnText
}

// keySpec is the key's entry in keySpecs (its zero value for a spec the table lacks), found once per
// key and spec and kept: a lookup is a string hash, which in wasm has no AES instructions to use, and
// a symmetric Encrypt asked five times. Not inlined: its two dozen call sites stay a call each.
//
//go:noinline
func (k *key) keySpec() *keySpec {
	if k.specEntry == nil || k.specEntryOf != k.spec {
		entry := keySpecs[k.spec]
		k.specEntry, k.specEntryOf = &entry, k.spec
	}
	return k.specEntry
}

// customerMasterKeySpec is the deprecated CustomerMasterKeySpec: the key spec, where that member's
// enum has it (not for the specs that came after it was deprecated).
func (k *key) customerMasterKeySpec() string {
	if contains(enumCustomerMasterKeySpec, k.spec) {
		return k.spec
	}
	return ""
}

// keyMetadata is the API's KeyMetadata, member for member.
type keyMetadata struct {
	AWSAccountId            string     `json:"AWSAccountId"`
	KeyId                   string     `json:"KeyId"`
	Arn                     string     `json:"Arn"`
	CreationDate            epochTime  `json:"CreationDate"`
	Enabled                 bool       `json:"Enabled"`
	Description             string     `json:"Description"`
	KeyUsage                string     `json:"KeyUsage"`
	KeyState                string     `json:"KeyState"`
	DeletionDate            *epochTime `json:"DeletionDate,omitempty"`
	Origin                  string     `json:"Origin"`
	KeyManager              string     `json:"KeyManager"`
	CustomerMasterKeySpec   string     `json:"CustomerMasterKeySpec,omitempty"`
	KeySpec                 string     `json:"KeySpec"`
	EncryptionAlgorithms    []string   `json:"EncryptionAlgorithms,omitempty"`
	SigningAlgorithms       []string   `json:"SigningAlgorithms,omitempty"`
	MacAlgorithms           []string   `json:"MacAlgorithms,omitempty"`
	KeyAgreementAlgorithms  []string   `json:"KeyAgreementAlgorithms,omitempty"`
	EncapsulationAlgorithms []string   `json:"EncapsulationAlgorithms,omitempty"`
	CurrentKeyMaterialId    string     `json:"CurrentKeyMaterialId,omitempty"`
	MultiRegion             bool       `json:"MultiRegion"`
	ExpirationModel         string     `json:"ExpirationModel,omitempty"`
	ValidTo                 *epochTime `json:"ValidTo,omitempty"`

	// Multi-Region keys (multiregion.go).
	MultiRegionConfiguration    *multiRegionConfiguration `json:"MultiRegionConfiguration,omitempty"`
	PendingDeletionWindowInDays int                       `json:"PendingDeletionWindowInDays,omitempty"`

	// Keys in custom key stores (customkeystore.go).
	CustomKeyStoreId    string               `json:"CustomKeyStoreId,omitempty"`
	CloudHsmClusterId   string               `json:"CloudHsmClusterId,omitempty"`
	XksKeyConfiguration *xksKeyConfiguration `json:"XksKeyConfiguration,omitempty"`
}

func (k *key) metadata() keyMetadata {
	m := keyMetadata{
		AWSAccountId: k.account, KeyId: k.id, Arn: k.arn(), CreationDate: epochTime(k.created),
		Enabled: k.state == stateEnabled, Description: k.description, KeyUsage: k.usage, KeyState: k.state,
		Origin: k.origin, KeyManager: k.keyManager(), CustomerMasterKeySpec: k.customerMasterKeySpec(), KeySpec: k.spec,
		CurrentKeyMaterialId: k.currentMaterialID(),
	}
	if k.deletionDate != nil {
		d := epochTime(*k.deletionDate)
		m.DeletionDate = &d
	}
	k.addMultiRegion(&m)
	k.importMetadata(&m)
	k.storeMetadata(&m)
	algs := k.keySpec().algorithmsFor(k.usage)
	switch k.usage {
	case usageEncryptDecrypt:
		m.EncryptionAlgorithms = algs
	case usageSignVerify:
		m.SigningAlgorithms = algs
	case usageGenerateVerifyMAC:
		m.MacAlgorithms = algs
	case usageKeyAgreement:
		m.KeyAgreementAlgorithms = algs
	case usageEncapsulate:
		m.EncapsulationAlgorithms = algs
	}
	return m
}

// newKeyID answers a fresh random UUID (version 4), lower case as KMS prints them. Written in place
// and made a string once (one allocation, not the hex string and the five pieces joined).
func (w *World) newKeyID() (string, error) {
	var b [16]byte
	if _, err := w.rand.Read(b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var id [36]byte
	hex.Encode(id[0:8], b[0:4])
	hex.Encode(id[9:13], b[4:6])
	hex.Encode(id[14:18], b[6:8])
	hex.Encode(id[19:23], b[8:10])
	hex.Encode(id[24:36], b[10:16])
	id[8], id[13], id[18], id[23] = '-', '-', '-', '-'
	return string(id[:]), nil
}

// ---- CreateKey ----

func createKey(w *World, c caller, req *createKeyRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkTags(nil, req.Tags); err != nil {
		return nil, err
	}

	specName := "SYMMETRIC_DEFAULT"
	switch {
	case req.KeySpec != nil && req.CustomerMasterKeySpec != nil:
		return nil, errBothKeySpecs()
	case req.KeySpec != nil:
		specName = *req.KeySpec
	case req.CustomerMasterKeySpec != nil:
		specName = *req.CustomerMasterKeySpec
	}
	spec, known := keySpecs[specName]
	if !known {
		return nil, errSpecUnsupported("KeySpec", specName)
	}
	if req.KeyUsage == nil && spec.family != familySymmetric {
		return nil, errKeyUsageRequired()
	}
	if spec.chinaOnly && !isChinaRegion(c.region) {
		// Real KMS offers SM2 only in the China Regions; its exact refusal text elsewhere is not
		// documented, so this one is ours.
		return nil, errChinaOnly("KeySpec", specName, c.region)
	}
	usage := stringOr(req.KeyUsage, usageEncryptDecrypt)
	if !spec.allows(usage) {
		// Our text: real KMS's wording for an invalid KeySpec/KeyUsage pair is not documented.
		return nil, errUsageIncompatible(usage, specName)
	}
	origin := "AWS_KMS"
	if req.Origin != nil {
		origin = *req.Origin
	}
	store, storeErr := w.storeForNewKey(c, req, origin, specName) // custom key stores (customkeystore.go)
	if storeErr != nil {
		return nil, storeErr
	}
	multiRegion := isTrue(req.MultiRegion)
	policy, parsed := defaultPolicyOf(c.partition(), c.account)
	if req.Policy != nil {
		var err *apiError
		if parsed, err = parsePolicyToPut(*req.Policy); err != nil {
			return nil, err
		}
		if err := lockoutCheck(c, *req.Policy, parsed, req.BypassPolicyLockoutSafetyCheck); err != nil {
			return nil, err
		}
		policy = *req.Policy
	}

	newID := w.newKeyID
	if multiRegion {
		newID = w.newMultiRegionKeyID
	}
	id, err := newID()
	if err != nil {
		return nil, errInternal("generating a key ID: " + err.Error())
	}
	k := &key{
		id: id, account: c.account, region: c.region, spec: specName, usage: usage,
		origin: origin, state: stateEnabled, created: w.now().UTC(), policy: policy, tags: req.Tags,
		policyCache: parsed, policyCacheOf: policy,
	}
	if req.Description != nil {
		k.description = *req.Description
	}
	if multiRegion {
		k.mrk = &multiRegionSet{primary: c.region}
	}
	k.joinStore(store, req.XksKeyId)
	if origin == "EXTERNAL" {
		k.state = statePendingImport
	} else if err := w.generateMaterial(k, spec); err != nil {
		return nil, errInternal("generating key material: " + err.Error())
	}
	r := w.regionToChange(c.account, c.region)
	r.keys[id] = k
	r.keyOrder = append(r.keyOrder, id)
	w.keyCreated(k)
	m := k.metadata()
	return keyMetadataAnswer{&m}, nil
}

// generateMaterial makes the key's material for its spec.
func (w *World) generateMaterial(k *key, spec keySpec) error {
	var err error
	switch spec.family {
	case familySymmetric:
		var s kmscrypto.SymmetricKey
		s, err = newSymmetricKey(w.rand)
		k.materials = []keyMaterial{newKeyMaterial(s, time.Time{}, "")}
	case familyRSA:
		k.private, err = asSigner(w.rsaKeyFor(spec.bits))
	case familyECC:
		k.private, err = asSigner(generateECDSA(w.crypto(), w.rand, spec.curve)) // the public point from the host where it has one
	case familySM2:
		k.private, err = asSigner(kmscrypto.GenerateSM2(w.rand))
	case familyEd25519:
		k.private, err = asSigner(kmscrypto.GenerateEd25519(w.rand))
	case familyMLDSA:
		k.private, err = asSigner(kmscrypto.GenerateMLDSA(w.rand, spec.bits))
	case familyMLKEM:
		k.private, err = asSigner(kmscrypto.GenerateMLKEM(w.rand, spec.bits))
	case familyHMAC:
		k.hmacKey, err = kmscrypto.GenerateHMACKey(w.rand, spec.bits/8)
	}
	return err
}

// rsaKeyFor answers an RSA key of the size: a host-supplied key first, then a fresh one when the
// world asks for fresh keys, else one from the prime pool (test keys only, fast).
func (w *World) rsaKeyFor(bits int) (*rsa.PrivateKey, error) {
	if queue := w.suppliedRSA[bits]; len(queue) > 0 {
		w.suppliedRSA[bits] = queue[1:]
		w.suppliedChanged()
		return queue[0], nil
	}
	if w.opts.FreshRSAKeys {
		return kmscrypto.GenerateRSA(w.rand, bits)
	}
	if w.rsaPool == nil {
		w.rsaPool = kmscrypto.NewRSAPool(w.rand)
	}
	return w.rsaPool.Key(bits)
}

// ---- DescribeKey ----

func describeKey(w *World, c caller, req *describeKeyRequest) (any, *apiError) {
	k, err := w.operationKey(c, req, "DescribeKey", req.KeyId, req.GrantTokens, conditionRequest{})
	if err != nil {
		return nil, err
	}
	m := k.metadata()
	return keyMetadataAnswer{&m}, nil
}

// ---- ListKeys ----

func listKeys(w *World, c caller, req *listKeysRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	r := w.regionOf(c.account, c.region)
	page, next, err := paginate(len(r.keyOrder), req.Limit, req.Marker)
	if err != nil {
		return nil, err
	}
	prefix := keyARN(c.region, c.account, "")
	return listKeysResponse{keys: r.keyListPage(prefix, page.start, page.end), next: next,
		prefix: prefix, ids: r.keyOrder[page.start:page.end:page.end]}, nil
}
