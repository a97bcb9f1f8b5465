package kms

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// Imported key material (BYOK): GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial,
// the expiry of imported material (ValidTo), and on-demand rotation to imported material.
//
// A key created with Origin EXTERNAL starts PendingImport, without material. GetParametersForImport
// makes a wrapping key pair and an import token (valid 24 hours); ImportKeyMaterial opens the
// wrapped material with the private half, checks it against the key spec and installs it, and the
// key becomes Enabled. Asymmetric and HMAC keys accept one material for life (reimporting it is
// allowed, other material is IncorrectKeyMaterialException). Symmetric encryption keys accept new
// material too: the first import makes the current material, a later NEW_KEY_MATERIAL import waits
// (PENDING_ROTATION) until RotateKeyOnDemand makes it current. A symmetric material's ID is derived
// from the key ID and the material, as AWS documents, so a reimport is recognised and older blobs
// keep decrypting. Deleting material (or its expiry) makes the key PendingImport until every
// material it had is imported again. Multi-Region keys with imported material: multiregion_import.go.

const (
	originExternal = "EXTERNAL"

	expirationExpires       = "KEY_MATERIAL_EXPIRES"
	expirationDoesNotExpire = "KEY_MATERIAL_DOES_NOT_EXPIRE"

	importTypeNew      = "NEW_KEY_MATERIAL"
	importTypeExisting = "EXISTING_KEY_MATERIAL"

	wrapRSAESPKCS1V15    = "RSAES_PKCS1_V1_5"
	wrapRSAESOAEPSHA1    = "RSAES_OAEP_SHA_1"
	wrapRSAESOAEPSHA256  = "RSAES_OAEP_SHA_256"
	wrapRSAAESKeyWrapSH1 = "RSA_AES_KEY_WRAP_SHA_1"
	wrapRSAAESKeyWrapSH2 = "RSA_AES_KEY_WRAP_SHA_256"
	wrapSM2PKE           = "SM2PKE"

	// importParametersLifetime: a public key and import token set is valid for 24 hours (the model).
	importParametersLifetime = 24 * time.Hour
	// maxImportParameters is how many unexpired sets a key keeps; an older set is forgotten and its
	// token answers InvalidImportTokenException. Ours: AWS documents no limit.
	maxImportParameters = 10
	// maxValidTo: ValidTo is at most 365 days after the request (the model).
	maxValidTo = 365 * 24 * time.Hour
	// importTokenBytes is the size of our import tokens (opaque to clients; AWS's are larger).
	importTokenBytes = 64
)

// hmacImportSizes is the length in bytes that imported HMAC key material may have, per key spec: at
// least the digest size, at most the hash's block size. This is our reading of the KMS Developer
// Guide's requirements for imported key material; no recording of AWS checks it.
var hmacImportSizes = map[string][2]int{
	"HMAC_224": {28, 64}, "HMAC_256": {32, 64}, "HMAC_384": {48, 128}, "HMAC_512": {64, 128},
}

// keyImports is what an EXTERNAL key keeps about importing: the outstanding import parameters and,
// per imported material, how it was imported.
type keyImports struct {
	parameters []importParameters
	// materials: symmetric keys, by KeyMaterialId, for every material in key.materials and pending.
	materials map[string]*importInfo
	// pending is a symmetric key's NEW_KEY_MATERIAL waiting for RotateKeyOnDemand (PENDING_ROTATION).
	pending *keyMaterial
	// asymmetric and HMAC keys: the one material the key accepts (nil before the first import) and
	// how it was last imported. digest is SHA-256 of the public key's SPKI, or of the HMAC key.
	digest []byte
	info   *importInfo
}

// importParameters is one GetParametersForImport answer that ImportKeyMaterial may still use.
type importParameters struct {
	token     []byte
	wrapping  privateKey // *rsa.PrivateKey, or *kmscrypto.SM2PrivateKey for SM2PKE
	algorithm string     // WrappingAlgorithm
	spec      string     // WrappingKeySpec
	validTo   time.Time  // ParametersValidTo
}

// importInfo is how one material was last imported.
type importInfo struct {
	expires     bool      // ExpirationModel KEY_MATERIAL_EXPIRES
	validTo     time.Time // when expires: ValidTo
	description string    // KeyMaterialDescription (symmetric keys)
	deleted     bool      // deleted or expired since: ImportState PENDING_IMPORT
}

func (i *importInfo) expirationModel() string {
	if i.expires {
		return expirationExpires
	}
	return expirationDoesNotExpire
}

// importsOf answers key k's import records, making them on first use.
func (k *key) importsOf() *keyImports {
	if k.imports == nil {
		k.imports = &keyImports{materials: map[string]*importInfo{}}
	}
	return k.imports
}

// materialMissing reports whether key k lacks material it needs for cryptographic operations: an
// EXTERNAL key before its first import, or after material was deleted or expired.
func (k *key) materialMissing() bool {
	switch k.keySpec().family {
	case familySymmetric:
		if len(k.materials) == 0 {
			return true
		}
		for _, m := range k.materials {
			if m.Material == nil {
				return true
			}
		}
		return false
	case familyHMAC:
		return k.hmacKey == nil
	}
	return k.private == nil
}

// importedMaterialID is the KeyMaterialId (and the blob backing ID) of symmetric material imported
// into a key: derived from the key ID and the material, so the same material imported again has
// the same ID. The derivation is ours.
func importedMaterialID(keyID string, material []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte("wasmkms imported key material\x00"))
	h.Write([]byte(keyID))
	h.Write([]byte{0})
	h.Write(material)
	var id [32]byte
	copy(id[:], h.Sum(nil))
	return id
}

// ---- GetParametersForImport ----

func getParametersForImport(w *World, c caller, req *getParametersForImportRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, managementRef("kms:GetParametersForImport"))
	if err != nil {
		return nil, err
	}
	if k.origin != originExternal {
		return nil, errOriginInvalid(k.arn(), k.origin)
	}
	switch k.state {
	case statePendingDeletion, stateUnavailable, stateCreating:
		return nil, k.invalidState()
	}
	algorithm, spec := *req.WrappingAlgorithm, *req.WrappingKeySpec
	if err := checkWrapping(c, algorithm, spec); err != nil {
		return nil, err
	}
	wrapping, genErr := w.wrappingKey(spec)
	if genErr != nil {
		return nil, errInternal("generating a wrapping key: " + genErr.Error())
	}
	der, encErr := kmscrypto.MarshalSPKI(wrapping.Public())
	if encErr != nil {
		return nil, errInternal("encoding the wrapping key: " + encErr.Error())
	}
	token := make([]byte, importTokenBytes)
	if _, err := io.ReadFull(w.rand, token); err != nil {
		return nil, errInternal("generating an import token: " + err.Error())
	}
	now := w.now().UTC()
	validTo := now.Add(importParametersLifetime).Truncate(time.Millisecond)
	imports := k.importsOf()
	kept := imports.parameters[:0]
	for _, p := range imports.parameters {
		if now.Before(p.validTo) {
			kept = append(kept, p)
		}
	}
	if len(kept) >= maxImportParameters {
		kept = append(kept[:0], kept[len(kept)-maxImportParameters+1:]...)
	}
	imports.parameters = append(kept, importParameters{token: token, wrapping: wrapping, algorithm: algorithm, spec: spec, validTo: validTo})
	return map[string]any{"KeyId": k.arn(), "ImportToken": token, "PublicKey": der, "ParametersValidTo": epochTime(validTo)}, nil
}

// checkWrapping refuses a wrapping algorithm and wrapping key spec that do not go together: the
// RSA algorithms take RSA wrapping keys, SM2PKE an SM2 one (China Regions only), and
// RSAES_PKCS1_V1_5 is retired (the model: KMS has not supported it since October 10, 2023).
func checkWrapping(c caller, algorithm, spec string) *apiError {
	if algorithm == wrapRSAESPKCS1V15 {
		return errWrappingAlgorithmRetired(algorithm)
	}
	if (algorithm == wrapSM2PKE) != (spec == "SM2") {
		return errWrappingMismatch(algorithm, spec)
	}
	if spec == "SM2" && !isChinaRegion(c.region) {
		return errChinaOnly("WrappingKeySpec", spec, c.region)
	}
	return nil
}

// wrappingKey makes the key pair of one GetParametersForImport answer. RSA wrapping keys come the
// way every RSA key of the world does (a supplied key, a fresh one, or the prime pool).
func (w *World) wrappingKey(spec string) (privateKey, error) {
	switch spec {
	case "RSA_2048":
		return asSigner(w.rsaKeyFor(2048))
	case "RSA_3072":
		return asSigner(w.rsaKeyFor(3072))
	case "RSA_4096":
		return asSigner(w.rsaKeyFor(4096))
	case "SM2":
		return asSigner(kmscrypto.GenerateSM2(w.rand))
	}
	return nil, fmt.Errorf("unknown wrapping key spec %s", spec)
}

// unwrap opens encrypted key material with the parameters' private key and algorithm, on the
// world's engine. Every failure is kmscrypto.ErrInvalidCiphertext.
func (p *importParameters) unwrap(engine *kmscrypto.Engine, encrypted []byte) ([]byte, error) {
	if priv, ok := p.wrapping.(*kmscrypto.SM2PrivateKey); ok {
		return kmscrypto.SM2Decrypt(priv, encrypted)
	}
	priv, ok := p.wrapping.(*rsa.PrivateKey)
	if !ok {
		return nil, kmscrypto.ErrInvalidCiphertext
	}
	switch p.algorithm {
	case wrapRSAESOAEPSHA1:
		return engine.RSADecryptOAEP(priv, kmscrypto.OAEPSHA1, encrypted)
	case wrapRSAESOAEPSHA256:
		return engine.RSADecryptOAEP(priv, kmscrypto.OAEPSHA256, encrypted)
	case wrapRSAAESKeyWrapSH1:
		return engine.RSAAESUnwrap(priv, kmscrypto.OAEPSHA1, encrypted)
	case wrapRSAAESKeyWrapSH2:
		return engine.RSAAESUnwrap(priv, kmscrypto.OAEPSHA256, encrypted)
	}
	return nil, kmscrypto.ErrInvalidCiphertext
}

// ---- ImportKeyMaterial ----

func importKeyMaterial(w *World, c caller, req *importKeyMaterialRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, managementRef("kms:ImportKeyMaterial"))
	if err != nil {
		return nil, err
	}
	if k.origin != originExternal {
		return nil, errOriginInvalid(k.arn(), k.origin)
	}
	// The model: the key state must be PendingImport or Enabled.
	if k.state != statePendingImport && k.state != stateEnabled {
		return nil, k.invalidState()
	}
	info, err := w.importExpiration(req)
	if err != nil {
		return nil, err
	}
	symmetric := k.keySpec().family == familySymmetric
	if !symmetric {
		switch {
		case req.ImportType != nil:
			return nil, errImportOptionSymmetricOnly("ImportType")
		case req.KeyMaterialDescription != nil:
			return nil, errImportOptionSymmetricOnly("KeyMaterialDescription")
		case req.KeyMaterialId != nil:
			return nil, errImportOptionSymmetricOnly("KeyMaterialId")
		}
	}
	if req.KeyMaterialId != nil && stringOr(req.ImportType, "") == importTypeNew {
		return nil, errKeyMaterialIdWithNewImport()
	}
	if err := checkReplicaTakesMaterial(k, req); err != nil {
		return nil, err
	}
	params := k.importParametersFor(req.ImportToken)
	if params == nil {
		return nil, errInvalidImportToken()
	}
	if !w.now().Before(params.validTo) {
		return nil, errExpiredImportToken()
	}
	material, unwrapErr := params.unwrap(w.crypto(), req.EncryptedKeyMaterial)
	if unwrapErr != nil {
		return nil, errInvalidCiphertext()
	}
	if symmetric {
		info.description = stringOr(req.KeyMaterialDescription, "")
		id, err := w.importSymmetric(k, material, req, info)
		if err != nil {
			return nil, err
		}
		w.afterImport(k)
		w.syncImportedReplicas(k) // a multi-Region primary's first material (multiregion_import.go)
		return map[string]any{"KeyId": k.arn(), "KeyMaterialId": id}, nil
	}
	if err := importAsymmetricOrHMAC(k, material, info); err != nil {
		return nil, err
	}
	w.afterImport(k)
	w.syncImportedReplicas(k)
	return map[string]any{"KeyId": k.arn()}, nil
}

// importExpiration answers the import record that ExpirationModel and ValidTo ask for. The model:
// ExpirationModel defaults to KEY_MATERIAL_EXPIRES, which needs ValidTo (AWS's text, LocalStack's
// recording test_import_key_symmetric); KEY_MATERIAL_DOES_NOT_EXPIRE forbids it; ValidTo is in the
// future and at most 365 days away.
func (w *World) importExpiration(req *importKeyMaterialRequest) (*importInfo, *apiError) {
	if stringOr(req.ExpirationModel, expirationExpires) == expirationDoesNotExpire {
		if req.ValidTo != nil {
			return nil, errValidToNotAllowed()
		}
		return &importInfo{}, nil
	}
	if req.ValidTo == nil {
		return nil, errValidToRequired()
	}
	validTo := time.Time(epochTimeOf(*req.ValidTo))
	now := w.now()
	if !validTo.After(now) || validTo.After(now.Add(maxValidTo)) {
		return nil, errValidToOutOfRange()
	}
	return &importInfo{expires: true, validTo: validTo}, nil
}

// epochTimeOf converts a request's timestamp (epoch seconds) as the state file does: milliseconds.
func epochTimeOf(seconds float64) epochTime {
	return epochTime(time.UnixMilli(int64(seconds*1000 + 0.5)).UTC())
}

// importParametersFor finds the import parameters an import token belongs to, nil when the token is
// not one of this key's.
func (k *key) importParametersFor(token []byte) *importParameters {
	if k.imports == nil {
		return nil
	}
	for i := range k.imports.parameters {
		if bytes.Equal(k.imports.parameters[i].token, token) {
			return &k.imports.parameters[i]
		}
	}
	return nil
}

// importSymmetric installs imported symmetric material and answers its KeyMaterialId.
func (w *World) importSymmetric(k *key, material []byte, req *importKeyMaterialRequest, info *importInfo) (string, *apiError) {
	if len(material) != 32 {
		return "", errSymmetricMaterialSize(len(material))
	}
	backingID := importedMaterialID(k.id, material)
	id := hex.EncodeToString(backingID[:])
	if req.KeyMaterialId != nil && *req.KeyMaterialId != id {
		return "", errKeyMaterialIdMismatch(*req.KeyMaterialId)
	}
	imports := k.importsOf()
	existing := k.materialByBackingID(backingID)
	if existing == nil && imports.pending != nil && imports.pending.id == id {
		existing = imports.pending
	}
	// ImportType defaults to NEW_KEY_MATERIAL until material was first imported (the model).
	importType := importTypeExisting
	if len(k.materials) == 0 {
		importType = importTypeNew
	}
	importType = stringOr(req.ImportType, importType)
	if importType == importTypeExisting {
		if existing == nil {
			// A replica takes its primary's material pending rotation (multiregion_import.go).
			if p := w.primaryPending(k); p != nil && p.id == id {
				m := newKeyMaterial(kmscrypto.SymmetricKey{BackingID: backingID, Material: material}, time.Time{}, "")
				imports.pending, imports.materials[id] = &m, info
				return id, nil
			}
			return "", k.materialNotAssociated()
		}
		existing.SymmetricKey = kmscrypto.SymmetricKey{BackingID: backingID, Material: material}
		if req.KeyMaterialDescription == nil {
			if old := imports.materials[id]; old != nil {
				info.description = old.description
			}
		}
		imports.materials[id] = info
		return id, nil
	}
	if existing != nil {
		return "", errKeyMaterialAlreadyAssociated(id, k.arn())
	}
	m := newKeyMaterial(kmscrypto.SymmetricKey{BackingID: backingID, Material: material}, time.Time{}, "")
	switch {
	case len(k.materials) == 0:
		k.materials = []keyMaterial{m}
	case imports.pending != nil:
		return "", errMaterialPendingRotation(id, k.arn(), imports.pending.id)
	default:
		imports.pending = &m
	}
	imports.materials[id] = info
	return id, nil
}

// importAsymmetricOrHMAC installs the imported material of an asymmetric or HMAC key: a DER PKCS#8
// private key of the key spec, or HMAC key bytes of an allowed length; the same material as before
// when the key had material once.
func importAsymmetricOrHMAC(k *key, material []byte, info *importInfo) *apiError {
	spec := k.keySpec()
	var digest [sha256.Size]byte
	var private privateKey
	if spec.family == familyHMAC {
		sizes := hmacImportSizes[k.spec]
		if len(material) < sizes[0] || len(material) > sizes[1] {
			return errHMACMaterialSize(k.spec, sizes[0], sizes[1])
		}
		digest = sha256.Sum256(material)
	} else {
		parsed, err := kmscrypto.ParsePKCS8(material)
		if err != nil {
			return errPrivateKeyMaterial(k.spec)
		}
		if private, err = privateKeyOfSpec(parsed, *spec); err != nil {
			return errPrivateKeyMaterial(k.spec)
		}
		spki, err := kmscrypto.MarshalSPKI(private.Public())
		if err != nil {
			return errPrivateKeyMaterial(k.spec)
		}
		digest = sha256.Sum256(spki)
	}
	imports := k.importsOf()
	if imports.digest != nil && !bytes.Equal(imports.digest, digest[:]) {
		return k.materialDiffers()
	}
	imports.digest, imports.info = digest[:], info
	if spec.family == familyHMAC {
		k.hmacKey = append([]byte(nil), material...)
	} else {
		k.private = private
	}
	return nil
}

// privateKeyOfSpec checks that a parsed PKCS#8 private key is a key of the spec (family, RSA size,
// curve, parameter set) and answers it as key material.
func privateKeyOfSpec(priv any, spec keySpec) (privateKey, error) {
	ok := false
	switch p := priv.(type) {
	case *rsa.PrivateKey:
		ok = spec.family == familyRSA && p.N.BitLen() == spec.bits && p.Validate() == nil
		if ok {
			p.Precompute()
		}
	case *kmscrypto.SM2PrivateKey:
		ok = spec.family == familySM2
	case *ecdsa.PrivateKey:
		ok = spec.family == familyECC && isCurve(p.Curve, spec.curve)
	case ed25519.PrivateKey:
		ok = spec.family == familyEd25519
	case *kmscrypto.MLDSAPrivateKey:
		ok = spec.family == familyMLDSA && p.ParamSet() == spec.bits
	case *kmscrypto.MLKEMPrivateKey:
		ok = spec.family == familyMLKEM && p.ParamSet() == spec.bits
	default:
		return nil, fmt.Errorf("unsupported private key type %T", priv)
	}
	if !ok {
		return nil, fmt.Errorf("the private key is not of the key spec")
	}
	return priv.(privateKey), nil
}

// afterImport: a PendingImport key that has all its material again is Enabled (the model: "the
// state of the KMS key changes to Enabled"), and expiring material is noted for the clock.
func (w *World) afterImport(k *key) {
	if k.state == statePendingImport && !k.materialMissing() {
		k.state = stateEnabled
	}
	w.noteImportExpiries(k)
}

// ---- DeleteImportedKeyMaterial ----

func deleteImportedKeyMaterial(w *World, c caller, req *deleteImportedKeyMaterialRequest) (any, *apiError) {
	var v violations
	req.validate(&v)
	k, err := w.keyForOperation(c, &v, req.KeyId, nil, managementRef("kms:DeleteImportedKeyMaterial"))
	if err != nil {
		return nil, err
	}
	if k.origin != originExternal {
		return nil, errOriginInvalid(k.arn(), k.origin)
	}
	switch k.state {
	case stateUnavailable, stateCreating:
		return nil, k.invalidState()
	}
	out := map[string]any{"KeyId": k.arn()}
	if k.keySpec().family != familySymmetric {
		if req.KeyMaterialId != nil {
			return nil, errImportOptionSymmetricOnly("KeyMaterialId")
		}
		k.deleteAsymmetricOrHMACMaterial()
	} else {
		id := k.currentMaterialID()
		if req.KeyMaterialId != nil {
			id = *req.KeyMaterialId
			if !k.hasMaterialID(id) {
				return nil, errKeyMaterialNotFound(id, k.arn())
			}
		}
		if id != "" {
			w.deletePendingInReplicas(k, id)
			k.deleteSymmetricMaterial(id)
			out["KeyMaterialId"] = id
		}
	}
	k.afterMaterialDeleted()
	return out, nil
}

// hasMaterialID reports whether a symmetric key has (or awaits) the material of that ID.
func (k *key) hasMaterialID(id string) bool {
	if k.imports != nil && k.imports.pending != nil && k.imports.pending.id == id {
		return true
	}
	for _, m := range k.materials {
		if m.id == id {
			return true
		}
	}
	return false
}

// deleteSymmetricMaterial deletes one material of a symmetric key. Material pending rotation is not
// permanently associated with the key (the model): it goes altogether. Other material keeps its
// place and ID, without its key bytes, until it is imported again.
func (k *key) deleteSymmetricMaterial(id string) {
	imports := k.importsOf()
	if imports.pending != nil && imports.pending.id == id {
		imports.pending = nil
		delete(imports.materials, id)
		return
	}
	for i := range k.materials {
		if m := &k.materials[i]; m.id == id {
			m.SymmetricKey = kmscrypto.SymmetricKey{BackingID: m.BackingID}
		}
	}
	info := imports.materials[id]
	if info == nil {
		info = &importInfo{}
		imports.materials[id] = info
	}
	*info = importInfo{description: info.description, deleted: true}
}

func (k *key) deleteAsymmetricOrHMACMaterial() {
	k.private, k.hmacKey = nil, nil
	if k.imports != nil && k.imports.info != nil {
		k.imports.info = &importInfo{deleted: true}
	}
}

// afterMaterialDeleted: a key without all its material is PendingImport, except that a key pending
// deletion stays so (the model).
func (k *key) afterMaterialDeleted() {
	if k.state != statePendingDeletion && k.materialMissing() {
		k.state = statePendingImport
	}
}

// ---- Expiry ----

// noteImportExpiries remembers key k's earliest material expiry so that calls look for expired
// material only when some may be due.
func (w *World) noteImportExpiries(k *key) {
	if k.imports == nil {
		return
	}
	note := func(i *importInfo) {
		if i != nil && i.expires && !i.deleted && (w.nextImportExpiry.IsZero() || i.validTo.Before(w.nextImportExpiry)) {
			w.nextImportExpiry = i.validTo
		}
	}
	note(k.imports.info)
	for _, i := range k.imports.materials {
		note(i)
	}
}

// expireImportedMaterial deletes the imported material whose ValidTo the world's clock has passed,
// as KMS does: the key becomes PendingImport until the material is imported again.
func (w *World) expireImportedMaterial() {
	if w.nextImportExpiry.IsZero() || w.now().Before(w.nextImportExpiry) {
		return
	}
	now := w.now()
	w.nextImportExpiry = time.Time{}
	for _, r := range w.regions {
		for _, k := range r.keys {
			if k.imports == nil {
				continue
			}
			expired := func(i *importInfo) bool { return i != nil && i.expires && !i.deleted && !now.Before(i.validTo) }
			deleted := false
			if expired(k.imports.info) {
				k.deleteAsymmetricOrHMACMaterial()
				deleted = true
			}
			for id, i := range k.imports.materials {
				if expired(i) {
					k.deleteSymmetricMaterial(id)
					deleted = true
				}
			}
			if deleted {
				k.afterMaterialDeleted()
				w.keyChanged(k)
			}
			w.noteImportExpiries(k)
		}
	}
}

// ---- DescribeKey ----

// importMetadata adds ExpirationModel and ValidTo to an EXTERNAL key's metadata: present while the
// key has imported material (LocalStack's recordings of AWS: absent before the first import and
// after the material is deleted). ValidTo is the earliest expiry of the key's material.
func (k *key) importMetadata(m *keyMetadata) {
	if k.imports == nil {
		return
	}
	var infos []*importInfo
	if k.imports.info != nil {
		infos = append(infos, k.imports.info)
	}
	for _, mat := range k.materials {
		if i := k.imports.materials[mat.id]; i != nil {
			infos = append(infos, i)
		}
	}
	for _, i := range infos {
		if i.deleted {
			continue
		}
		if m.ExpirationModel == "" {
			m.ExpirationModel = expirationDoesNotExpire
		}
		if i.expires && (m.ValidTo == nil || i.validTo.Before(time.Time(*m.ValidTo))) {
			validTo := epochTime(i.validTo)
			m.ExpirationModel, m.ValidTo = expirationExpires, &validTo
		}
	}
}

// ---- RotateKeyOnDemand ----

// rotateToImported makes a symmetric EXTERNAL key's pending material current (RotateKeyOnDemand):
// AWS refuses when no material is pending (LocalStack's recording,
// test_rotate_key_on_demand_raises_for_no_pending_key_material).
func (w *World) rotateToImported(k *key) *apiError {
	if err := k.checkUsable(); err != nil {
		return err
	}
	if k.isReplica() {
		return errNotMultiRegionPrimary(k.arn()) // a multi-Region key rotates through its primary
	}
	if k.imports == nil || k.imports.pending == nil {
		return errNoMaterialPendingRotation(k.arn())
	}
	if err := w.checkPendingInReplicas(k); err != nil {
		return err
	}
	if k.onDemandRotations() >= maxOnDemandRotations {
		return errOnDemandRotationLimit(k.arn())
	}
	m := *k.imports.pending
	m.rotated, m.rotationType = w.now().UTC(), rotationOnDemand
	k.materials = append(k.materials, m)
	k.imports.pending = nil
	w.syncImportedReplicas(k)
	return nil
}

// ---- ListKeyRotations ----

// addImportState adds an imported material's ImportState, KeyMaterialDescription, ExpirationModel
// and ValidTo to its ListKeyRotations entry (the model: for symmetric EXTERNAL keys only).
func (k *key) addImportState(e *rotationListEntry) {
	if k.imports == nil {
		return
	}
	i := k.imports.materials[e.KeyMaterialId]
	if i == nil {
		return
	}
	e.KeyMaterialDescription = i.description
	if i.deleted {
		e.ImportState = "PENDING_IMPORT"
		return
	}
	e.ImportState, e.ExpirationModel = "IMPORTED", i.expirationModel()
	if i.expires {
		validTo := epochTime(i.validTo)
		e.ValidTo = &validTo
	}
}

// appendPendingRotation lists the material pending rotation last, as ALL_KEY_MATERIAL asks (without
// RotationDate and RotationType, the model says).
func (w *World) appendPendingRotation(k *key, entries []rotationListEntry) []rotationListEntry {
	if k.imports == nil || k.imports.pending == nil {
		return entries
	}
	e := rotationListEntry{KeyId: k.arn(), KeyMaterialId: k.imports.pending.id, KeyMaterialState: w.pendingMaterialState(k)}
	k.addImportState(&e)
	return append(entries, e)
}
