package kms

import (
	"bytes"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// The state file's record of an EXTERNAL key's imports (WasmKMS.ExportState/ImportState): the
// outstanding import parameters with their wrapping private keys, and how each material was
// imported. Deleted symmetric material keeps its place in symmetricMaterial without key bytes.

type importsState struct {
	Parameters []importParametersState `json:"parameters,omitempty"`
	// Materials: symmetric keys, by KeyMaterialId, one for each symmetricMaterial part and pendingMaterial.
	Materials map[string]importInfoState `json:"materials,omitempty"`
	Pending   *symmetricPart             `json:"pendingMaterial,omitempty"`
	// Asymmetric and HMAC keys: SHA-256 of the public key's SPKI (of the HMAC key), and the import.
	Digest []byte           `json:"materialDigest,omitempty"`
	Info   *importInfoState `json:"material,omitempty"`
}

type importInfoState struct {
	ExpirationModel string     `json:"expirationModel,omitempty"` // absent once deleted
	ValidTo         *epochTime `json:"validTo,omitempty"`
	Description     string     `json:"description,omitempty"`
	Deleted         bool       `json:"deleted,omitempty"`
}

type importParametersState struct {
	ImportToken       []byte    `json:"importToken"`
	WrappingKey       []byte    `json:"wrappingKey"` // PKCS#8
	WrappingAlgorithm string    `json:"wrappingAlgorithm"`
	WrappingKeySpec   string    `json:"wrappingKeySpec"`
	ValidTo           epochTime `json:"parametersValidTo"`
}

func exportImportInfo(i *importInfo) *importInfoState {
	if i == nil {
		return nil
	}
	s := &importInfoState{Description: i.description, Deleted: i.deleted}
	if !i.deleted {
		s.ExpirationModel = i.expirationModel()
	}
	if i.expires {
		v := epochTime(i.validTo)
		s.ValidTo = &v
	}
	return s
}

// exportImports is key k's importsState, nil for keys that never imported anything.
func exportImports(k *key) (*importsState, error) {
	if k.imports == nil {
		return nil, nil
	}
	s := &importsState{Digest: k.imports.digest, Info: exportImportInfo(k.imports.info)}
	for _, p := range k.imports.parameters {
		der, err := kmscrypto.MarshalPKCS8(p.wrapping)
		if err != nil {
			return nil, err
		}
		s.Parameters = append(s.Parameters, importParametersState{ImportToken: p.token, WrappingKey: der,
			WrappingAlgorithm: p.algorithm, WrappingKeySpec: p.spec, ValidTo: epochTime(p.validTo)})
	}
	if len(k.imports.materials) > 0 {
		s.Materials = map[string]importInfoState{}
		for id, i := range k.imports.materials {
			s.Materials[id] = *exportImportInfo(i)
		}
	}
	if p := k.imports.pending; p != nil {
		s.Pending = &symmetricPart{BackingID: p.BackingID[:], Material: p.Material}
	}
	return s, nil
}

// importExternalKey rebuilds an EXTERNAL key's material and imports from a state, checking that
// they agree with each other and with the key state: a key lacks material exactly when it is
// PendingImport (or pending deletion, either way).
func importExternalKey(k *key, spec keySpec, ks keyState) error {
	s := ks.Imports
	if s == nil {
		s = &importsState{}
	}
	imports := &keyImports{materials: map[string]*importInfo{}}
	for _, p := range s.Parameters {
		params, err := importParametersOf(p)
		if err != nil {
			return err
		}
		imports.parameters = append(imports.parameters, params)
	}
	if spec.family == familySymmetric {
		if ks.PrivateKey != nil || ks.HMACKey != nil || s.Digest != nil || s.Info != nil {
			return fmt.Errorf("a symmetric key has symmetric material only")
		}
		for _, part := range ks.Symmetric {
			m, err := importedPart(k.id, part, s.Materials, imports)
			if err != nil {
				return err
			}
			k.materials = append(k.materials, m)
		}
		if s.Pending != nil {
			if len(k.materials) == 0 || s.Pending.RotationDate != nil || s.Pending.RotationType != "" {
				return fmt.Errorf("material pending rotation needs a current material and has no rotation")
			}
			m, err := importedPart(k.id, *s.Pending, s.Materials, imports)
			if err != nil {
				return err
			}
			if m.Material == nil || k.materialByBackingID(m.BackingID) != nil {
				return fmt.Errorf("material pending rotation must be imported and new")
			}
			imports.pending = &m
		}
		if len(imports.materials) != len(s.Materials) {
			return fmt.Errorf("import records for material the key does not have")
		}
	} else {
		if len(ks.Symmetric) > 0 || s.Materials != nil || s.Pending != nil {
			return fmt.Errorf("only symmetric keys have symmetric material")
		}
		if err := importedAsymmetricOrHMAC(k, spec, ks, s, imports); err != nil {
			return err
		}
	}
	if ks.Imports != nil {
		k.imports = imports
	}
	missing := k.materialMissing()
	if k.state != statePendingDeletion && missing != (k.state == statePendingImport) {
		return fmt.Errorf("a key lacks material exactly when it is PendingImport (or pending deletion)")
	}
	return nil
}

// importedPart rebuilds one imported symmetric material: its ID is derived from the key ID and the
// material (none when deleted), and it has an import record.
func importedPart(keyID string, part symmetricPart, records map[string]importInfoState, imports *keyImports) (keyMaterial, error) {
	if len(part.BackingID) != 32 {
		return keyMaterial{}, fmt.Errorf("symmetric material needs a 32-byte backing ID")
	}
	id := hex.EncodeToString(part.BackingID)
	record, ok := records[id]
	if !ok || imports.materials[id] != nil {
		return keyMaterial{}, fmt.Errorf("material %s needs one import record", id)
	}
	info, err := importInfoOf(record)
	if err != nil {
		return keyMaterial{}, err
	}
	if (part.RotationDate == nil) != (part.RotationType == "") || part.RotationType != "" && part.RotationType != rotationAutomatic && part.RotationType != rotationOnDemand {
		return keyMaterial{}, fmt.Errorf("a rotation needs both a rotationDate and a rotationType of %s or %s", rotationAutomatic, rotationOnDemand)
	}
	var s kmscrypto.SymmetricKey
	copy(s.BackingID[:], part.BackingID)
	switch {
	case info.deleted && len(part.Material) != 0:
		return keyMaterial{}, fmt.Errorf("deleted material %s has no key bytes", id)
	case !info.deleted && (len(part.Material) != 32 || importedMaterialID(keyID, part.Material) != s.BackingID):
		return keyMaterial{}, fmt.Errorf("material %s must be 32 bytes whose KeyMaterialId it is", id)
	case !info.deleted:
		s.Material = append([]byte(nil), part.Material...)
	}
	var rotated time.Time
	if part.RotationDate != nil {
		rotated = time.Time(*part.RotationDate)
	}
	imports.materials[id] = info
	return newKeyMaterial(s, rotated, part.RotationType), nil
}

// importedAsymmetricOrHMAC rebuilds the material of an asymmetric or HMAC EXTERNAL key: present
// when its import record says it is imported, and the material its digest names.
func importedAsymmetricOrHMAC(k *key, spec keySpec, ks keyState, s *importsState, imports *keyImports) error {
	hasMaterial := ks.PrivateKey != nil || ks.HMACKey != nil
	if s.Info == nil {
		if hasMaterial || s.Digest != nil {
			return fmt.Errorf("material or a digest without an import record")
		}
		return nil
	}
	info, err := importInfoOf(*s.Info)
	if err != nil {
		return err
	}
	if len(s.Digest) != sha256.Size {
		return fmt.Errorf("imported material needs its 32-byte digest")
	}
	imports.digest, imports.info = append([]byte(nil), s.Digest...), info
	if info.deleted {
		if hasMaterial {
			return fmt.Errorf("deleted material is absent")
		}
		return nil
	}
	var digest [sha256.Size]byte
	if spec.family == familyHMAC {
		sizes := hmacImportSizes[ks.KeySpec]
		if ks.PrivateKey != nil || len(ks.HMACKey) < sizes[0] || len(ks.HMACKey) > sizes[1] {
			return fmt.Errorf("an imported %s key needs an HMAC key of %d to %d bytes and nothing else", ks.KeySpec, sizes[0], sizes[1])
		}
		k.hmacKey = append([]byte(nil), ks.HMACKey...)
		digest = sha256.Sum256(k.hmacKey)
	} else {
		if ks.PrivateKey == nil || ks.HMACKey != nil {
			return fmt.Errorf("an imported asymmetric key needs a private key and nothing else")
		}
		parsed, err := kmscrypto.ParsePKCS8(ks.PrivateKey)
		if err != nil {
			return fmt.Errorf("private key: %v", err)
		}
		if k.private, err = privateKeyOfSpec(parsed, spec); err != nil {
			return err
		}
		spki, err := kmscrypto.MarshalSPKI(k.private.Public())
		if err != nil {
			return err
		}
		digest = sha256.Sum256(spki)
	}
	if !bytes.Equal(digest[:], s.Digest) {
		return fmt.Errorf("the material is not the one its digest names")
	}
	return nil
}

func importInfoOf(s importInfoState) (*importInfo, error) {
	i := &importInfo{description: s.Description, deleted: s.Deleted}
	switch {
	case s.Deleted && (s.ExpirationModel != "" || s.ValidTo != nil):
		return nil, fmt.Errorf("deleted material has no expiration")
	case s.Deleted:
	case s.ExpirationModel == expirationDoesNotExpire && s.ValidTo == nil:
	case s.ExpirationModel == expirationExpires && s.ValidTo != nil:
		i.expires, i.validTo = true, time.Time(*s.ValidTo)
	default:
		return nil, fmt.Errorf("expirationModel %q goes with a validTo for %s only", s.ExpirationModel, expirationExpires)
	}
	if len(s.Description) > 256 || s.Description != "" && !matchKeyMaterialDescriptionType(s.Description) {
		return nil, fmt.Errorf("key material description %q is not valid", s.Description)
	}
	return i, nil
}

func importParametersOf(p importParametersState) (importParameters, error) {
	if len(p.ImportToken) == 0 || len(p.ImportToken) > 6144 {
		return importParameters{}, fmt.Errorf("import parameters need an import token")
	}
	priv, err := kmscrypto.ParsePKCS8(p.WrappingKey)
	if err != nil {
		return importParameters{}, fmt.Errorf("wrapping key: %v", err)
	}
	ok := false
	switch key := priv.(type) {
	case *rsa.PrivateKey:
		ok = p.WrappingKeySpec == fmt.Sprintf("RSA_%d", key.N.BitLen()) && key.Validate() == nil
		if ok {
			key.Precompute()
		}
		ok = ok && contains([]string{wrapRSAESOAEPSHA1, wrapRSAESOAEPSHA256, wrapRSAAESKeyWrapSH1, wrapRSAAESKeyWrapSH2}, p.WrappingAlgorithm)
	case *kmscrypto.SM2PrivateKey:
		ok = p.WrappingKeySpec == "SM2" && p.WrappingAlgorithm == wrapSM2PKE
	}
	if !ok {
		return importParameters{}, fmt.Errorf("wrapping key, algorithm %q and spec %q do not go together", p.WrappingAlgorithm, p.WrappingKeySpec)
	}
	return importParameters{token: append([]byte(nil), p.ImportToken...), wrapping: priv.(privateKey), algorithm: p.WrappingAlgorithm,
		spec: p.WrappingKeySpec, validTo: time.Time(p.ValidTo)}, nil
}
