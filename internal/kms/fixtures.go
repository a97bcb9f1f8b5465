package kms

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
)

// WasmKMS.LoadFixtures: the body {"keys": [ ... ]} adds those keys to the world, all or nothing.
// Every member of a fixture key is optional but keyUsage (for any key spec but SYMMETRIC_DEFAULT);
// js/fixtures.schema.json is the format as a JSON Schema, and fixtures_test.go holds it to
// fixtureKey. A fixture key is checked as CreateKey, CreateAlias, TagResource and EnableKeyRotation
// check theirs (the same key spec and usage table, China-only SM2, the model's member constraints,
// the alias and tag rules, policy parsing), and a refusal is a ValidationException naming where:
// "fixtures: keys[2].material: not valid base64". Nothing is checked against a caller: a fixture
// policy is not held to the lockout safety check (it says who may use the key, the loader is not
// one of them). The keys are made after every key passed its checks, in the body's order (a seeded
// world draws its generated IDs and material the same way every time), with the world's clock as
// their creation date, and the answer lists them: {"keys": [{"keyId": "...", "arn": "..."}]}.

// fixtureDocument is the body of WasmKMS.LoadFixtures.
type fixtureDocument struct {
	Keys []fixtureKey `json:"keys"`
}

// fixtureKey is one key of the body; absent members are nil.
type fixtureKey struct {
	KeyID                *string           `json:"keyId"`                // a UUID, or "mrk-" and 32 hex digits (multi-Region primary); absent: generated
	Account              *string           `json:"account"`              // default DefaultAccount
	Region               *string           `json:"region"`               // an AWS Region; default DefaultRegion
	KeySpec              *string           `json:"keySpec"`              // default SYMMETRIC_DEFAULT
	KeyUsage             *string           `json:"keyUsage"`             // default ENCRYPT_DECRYPT for SYMMETRIC_DEFAULT, required otherwise
	Material             *string           `json:"material"`             // base64 key bytes (symmetric, HMAC) or a PEM PKCS#8 private key
	Description          *string           `json:"description"`          // default ""
	Enabled              *bool             `json:"enabled"`              // default true
	Aliases              []string          `json:"aliases"`              // "alias/..." names in the key's account and Region
	Tags                 map[string]string `json:"tags"`                 // tag key -> value; the key has them in the order of their keys
	Policy               *string           `json:"policy"`               // default the default key policy
	RotationPeriodInDays *int              `json:"rotationPeriodInDays"` // automatic rotation on, every so many days
	Origin               *string           `json:"origin"`               // AWS_KMS (default) or EXTERNAL
}

// fixtureKeyMembers are fixtureKey's member names, in its order: the order of the checks.
var fixtureKeyMembers = func() []string {
	t := reflect.TypeOf(fixtureKey{})
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = t.Field(i).Tag.Get("json")
	}
	return names
}()

// plannedKey is a fixture key that passed its checks: everything needed to make it.
type plannedKey struct {
	path            string // "keys[3]"
	id              string // "" until made, when the fixture had none
	account, region string
	specName        string
	spec            keySpec
	usage, origin   string
	description     string
	enabled         bool
	aliases         []string
	tags            []tag
	policy          string
	rotationDays    int
	// The given material, at most one: symmetric or HMAC key bytes, or a private key (and its DER).
	secret  []byte
	private privateKey
	der     []byte
}

type fixtureLoaded struct {
	KeyID string `json:"keyId"`
	Arn   string `json:"arn"`
}

// loadFixtures is WasmKMS.LoadFixtures.
func loadFixtures(w *World, _ caller, body []byte) (any, *apiError) {
	tree, ok := parseJSONTree(body)
	doc, isObject := tree.(map[string]any)
	if !ok || !isObject {
		return nil, errBadFixture("", `the body is not a JSON object {"keys": [...]}`)
	}
	for _, name := range sortedKeys(doc) {
		if name != "keys" {
			return nil, errBadFixture(name, `not a member of the body, whose only member is "keys"`)
		}
	}
	list, isList := doc["keys"].([]any)
	if !isList {
		return nil, errBadFixture("keys", "must be an array of keys")
	}
	batch := fixtureBatch{w: w, ids: map[string]string{}, aliases: map[regionID]map[string]string{}}
	planned := make([]*plannedKey, 0, len(list))
	for i, item := range list {
		p, err := batch.plan("keys["+itoa(i)+"]", item)
		if err != nil {
			return nil, err
		}
		planned = append(planned, p)
	}
	keys := make([]*key, len(planned))
	for i, p := range planned {
		k, err := batch.make(p)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	out := make([]fixtureLoaded, len(keys))
	now := w.now().UTC()
	for i, k := range keys {
		r := w.regionToChange(k.account, k.region)
		r.keys[k.id] = k
		r.keyOrder = append(r.keyOrder, k.id)
		w.keyCreated(k)
		for _, name := range planned[i].aliases {
			r.aliases[name] = &alias{name: name, targetKeyID: k.id, created: now, updated: now}
			w.aliasChanged(k.account, k.region, name)
		}
		if k.nextRotation != nil {
			w.noteRotation(*k.nextRotation)
		}
		w.noteImportExpiries(k)
		out[i] = fixtureLoaded{KeyID: k.id, Arn: k.arn()}
	}
	return map[string]any{"keys": out}, nil
}

// fixtureBatch is one body's keys while they are checked and made: the key IDs and alias names
// they take, which neither the world nor an earlier key of the body may have.
type fixtureBatch struct {
	w       *World
	ids     map[string]string              // key ID -> the path of the key that takes it
	aliases map[regionID]map[string]string // alias name -> the path that takes it
}

// plan checks one fixture key.
func (b *fixtureBatch) plan(path string, item any) (*plannedKey, *apiError) {
	fk, err := decodeFixtureKey(path, item)
	if err != nil {
		return nil, err
	}
	p := &plannedKey{path: path, account: stringOr(fk.Account, DefaultAccount), region: stringOr(fk.Region, DefaultRegion),
		specName: stringOr(fk.KeySpec, "SYMMETRIC_DEFAULT"), origin: stringOr(fk.Origin, "AWS_KMS"),
		description: stringOr(fk.Description, ""), enabled: fk.Enabled == nil || *fk.Enabled, aliases: fk.Aliases}
	at := func(member string) string { return path + "." + member }

	if fk.KeyID != nil {
		id := *fk.KeyID
		switch {
		case !isKeyID(id):
			return nil, errBadFixture(at("keyId"), strconv.Quote(id)+" is not a key ID: a UUID, or mrk- and 32 hex digits for a multi-Region key")
		case strings.ToLower(id) != id:
			return nil, errBadFixture(at("keyId"), "the key ID "+id+" has upper-case letters; AWS writes key IDs in lower case")
		case b.idTaken(id):
			return nil, errBadFixture(at("keyId"), "the key ID "+id+" is already in use")
		}
		p.id = id
		b.ids[id] = path
	}
	if fk.Account != nil && !matchAccountIdType(p.account) {
		return nil, errBadFixture(at("account"), strconv.Quote(p.account)+" is not an AWS account ID: 12 digits")
	}
	if why := b.w.regionRefused(p.region); why != "" { // as a caller's Region (callers.go)
		return nil, errBadFixture(at("region"), strconv.Quote(p.region)+" "+why)
	}
	switch {
	case p.origin == "AWS_KMS" || p.origin == originExternal:
	case contains(enumOriginType, p.origin):
		return nil, errBadFixture(at("origin"), p.origin+" is not supported in fixtures: AWS_KMS or EXTERNAL")
	default:
		return nil, errBadFixture(at("origin"), strconv.Quote(p.origin)+" is not an origin: AWS_KMS or EXTERNAL")
	}
	spec, known := keySpecs[p.specName]
	if !known {
		return nil, errBadFixture(at("keySpec"), p.specName+" is not a key spec")
	}
	if spec.chinaOnly && !isChinaRegion(p.region) {
		return nil, errBadFixture(at("keySpec"), errChinaOnly("KeySpec", p.specName, p.region).message)
	}
	p.spec = spec
	switch {
	case fk.KeyUsage == nil && spec.family != familySymmetric:
		return nil, errBadFixture(at("keyUsage"), "required for key spec "+p.specName+": "+errKeyUsageRequired().message)
	case fk.KeyUsage == nil:
		p.usage = usageEncryptDecrypt
	case !contains(enumKeyUsageType, *fk.KeyUsage):
		return nil, errBadFixture(at("keyUsage"), *fk.KeyUsage+" is not a key usage")
	case !spec.allows(*fk.KeyUsage):
		return nil, errBadFixture(at("keyUsage"), errUsageIncompatible(*fk.KeyUsage, p.specName).message)
	default:
		p.usage = *fk.KeyUsage
	}
	if fk.Material != nil {
		if why := p.readMaterial(*fk.Material); why != "" {
			return nil, errBadFixture(at("material"), why)
		}
	}

	// The members CreateKey's model constrains: description, policy, tags.
	for _, name := range sortedKeys(fk.Tags) {
		p.tags = append(p.tags, tag{TagKey: stringPtr(name), TagValue: stringPtr(fk.Tags[name])})
	}
	var v violations
	(&createKeyRequest{Description: fk.Description, Policy: fk.Policy, Tags: p.tags}).validate(&v)
	if len(v.list) > 0 {
		member, constraint := violationParts(v.list[0])
		if rest, isTag := strings.CutPrefix(member, "tags."); isTag {
			n, _ := strconv.Atoi(rest[:strings.IndexByte(rest, '.')])
			t := p.tags[n-1]
			return nil, errBadFixture(at("tags")+"["+strconv.Quote(*t.TagKey)+"]", "the tag's "+rest[strings.LastIndexByte(rest, '.')+1:]+": "+constraint)
		}
		return nil, errBadFixture(at(member), constraint)
	}
	if !p.enabled && p.origin == originExternal && fk.Material == nil {
		return nil, errBadFixture(at("enabled"), "an EXTERNAL key without material is PendingImport, not Disabled")
	}
	if err := b.checkAliases(p, at("aliases")); err != nil {
		return nil, err
	}
	if err := checkTags(nil, p.tags); err != nil {
		return nil, errBadFixture(at("tags"), err.message)
	}
	p.policy = defaultPolicy(partitionOf(p.region), p.account)
	if fk.Policy != nil {
		if _, err := parsePolicyToPut(*fk.Policy); err != nil {
			return nil, errBadFixture(at("policy"), err.message)
		}
		p.policy = *fk.Policy
	}
	if fk.RotationPeriodInDays != nil {
		var v violations
		(&enableKeyRotationRequest{KeyId: stringPtr(path), RotationPeriodInDays: fk.RotationPeriodInDays}).validate(&v)
		switch {
		case len(v.list) > 0:
			_, constraint := violationParts(v.list[0])
			return nil, errBadFixture(at("rotationPeriodInDays"), constraint)
		case spec.family != familySymmetric:
			return nil, errBadFixture(at("rotationPeriodInDays"), "only symmetric encryption keys rotate automatically, not "+p.specName)
		case p.origin != "AWS_KMS":
			return nil, errBadFixture(at("rotationPeriodInDays"), "keys with imported material (origin EXTERNAL) do not rotate automatically")
		}
		p.rotationDays = *fk.RotationPeriodInDays
	}
	return p, nil
}

// idTaken reports whether a key ID is taken, in the world (in any account and Region: key IDs are
// unique) or by an earlier key of the body.
func (b *fixtureBatch) idTaken(id string) bool {
	if b.ids[id] != "" {
		return true
	}
	for _, r := range b.w.regions {
		if r.keys[id] != nil {
			return true
		}
	}
	return false
}

// checkAliases holds a key's alias names to CreateAlias's rules.
func (b *fixtureBatch) checkAliases(p *plannedKey, at string) *apiError {
	rid := regionID{p.account, p.region}
	taken := b.aliases[rid]
	if taken == nil {
		taken = map[string]string{}
		b.aliases[rid] = taken
	}
	for i, name := range p.aliases {
		path := at + "[" + itoa(i) + "]"
		var v violations
		(&createAliasRequest{AliasName: &p.aliases[i], TargetKeyId: stringPtr(p.path)}).validate(&v)
		if len(v.list) > 0 {
			_, constraint := violationParts(v.list[0])
			return errBadFixture(path, constraint)
		}
		if err := checkAliasNameRules(name); err != nil {
			if err.message == "" {
				return errBadFixture(path, name+": alias names that begin with alias/aws/ are reserved for AWS managed keys")
			}
			return errBadFixture(path, err.message)
		}
		if r := b.w.regions[rid]; r != nil && r.aliases[name] != nil || taken[name] != "" {
			return errBadFixture(path, errAliasExists(aliasARN(p.region, p.account, name)).message)
		}
		taken[name] = path
	}
	return nil
}

// readMaterial checks a fixture's material against its key spec and keeps it; it answers why not.
func (p *plannedKey) readMaterial(text string) string {
	switch p.spec.family {
	case familySymmetric, familyHMAC:
		b, err := base64.StdEncoding.DecodeString(text)
		if err != nil {
			return "not valid base64"
		}
		switch {
		case p.spec.family == familySymmetric && len(b) != 32:
			return errSymmetricMaterialSize(len(b)).message
		case p.spec.family == familyHMAC && p.origin == originExternal:
			if sizes := hmacImportSizes[p.specName]; len(b) < sizes[0] || len(b) > sizes[1] {
				return errHMACMaterialSize(p.specName, sizes[0], sizes[1]).message
			}
		case p.spec.family == familyHMAC && len(b) != p.spec.bits/8:
			return fmt.Sprintf("an %s key is %d bytes, not %d (an imported one, origin EXTERNAL, may be longer)", p.specName, p.spec.bits/8, len(b))
		}
		p.secret = b
		return ""
	}
	block, rest := pem.Decode([]byte(text))
	switch {
	case block == nil:
		return `not a PEM "PRIVATE KEY" block (key spec ` + p.specName + ` takes a PKCS #8 private key in PEM)`
	case block.Type != "PRIVATE KEY":
		return `a PEM "` + block.Type + `" block, not a "PRIVATE KEY" block (PKCS #8)`
	case len(block.Headers) > 0:
		return "a PEM block with headers (an encrypted key?): give the private key in clear"
	case strings.TrimSpace(string(rest)) != "":
		return "more than one PEM block, or text after it"
	}
	parsed, err := parsePrivateKey(block.Bytes)
	if err != nil {
		return "not a PKCS #8 private key that wasmkms reads: " + err.Error()
	}
	if what := describePrivateKey(parsed); what != "" && !privateKeyFits(parsed, p.spec) {
		return what + " is not " + p.specName
	}
	private, err := privateKeyOfSpec(parsed, p.spec)
	if err != nil {
		return "the private key is not a valid " + p.specName + " key"
	}
	p.private, p.der = private, block.Bytes
	return ""
}

// privateKeyFits reports whether a parsed private key has the key spec's family, size and curve.
func privateKeyFits(priv any, spec keySpec) bool {
	switch k := priv.(type) {
	case *rsa.PrivateKey:
		return spec.family == familyRSA && k.N.BitLen() == spec.bits
	case *kmscrypto.SM2PrivateKey:
		return spec.family == familySM2
	case *ecdsa.PrivateKey:
		return spec.family == familyECC && isCurve(k.Curve, spec.curve)
	case ed25519.PrivateKey:
		return spec.family == familyEd25519
	case *kmscrypto.MLDSAPrivateKey:
		return spec.family == familyMLDSA && k.ParamSet() == spec.bits
	case *kmscrypto.MLKEMPrivateKey:
		return spec.family == familyMLKEM && k.ParamSet() == spec.bits
	}
	return false
}

// describePrivateKey names a parsed private key in a message: "a 2048-bit RSA key".
func describePrivateKey(priv any) string {
	switch k := priv.(type) {
	case *rsa.PrivateKey:
		return fmt.Sprintf("a %d-bit RSA key", k.N.BitLen())
	case *kmscrypto.SM2PrivateKey:
		return "an SM2 key"
	case *ecdsa.PrivateKey:
		return "an ECC key on " + k.Curve.Params().Name
	case ed25519.PrivateKey:
		return "an Ed25519 key"
	case *kmscrypto.MLDSAPrivateKey:
		return fmt.Sprintf("an ML-DSA-%d key", k.ParamSet())
	case *kmscrypto.MLKEMPrivateKey:
		return fmt.Sprintf("an ML-KEM-%d key", k.ParamSet())
	}
	return ""
}

// make makes a checked key: its ID and material are drawn here when the fixture had none.
func (b *fixtureBatch) make(p *plannedKey) (*key, *apiError) {
	w := b.w
	id := p.id
	for id == "" {
		generated, err := w.newKeyID()
		if err != nil {
			return nil, errInternal("generating a key ID: " + err.Error())
		}
		if !b.idTaken(generated) {
			id = generated
			b.ids[id] = p.path
		}
	}
	now := w.now().UTC()
	k := &key{id: id, account: p.account, region: p.region, spec: p.specName, usage: p.usage, description: p.description,
		origin: p.origin, state: stateEnabled, created: now, policy: p.policy, tags: p.tags}
	if strings.HasPrefix(id, "mrk-") {
		k.mrk = &multiRegionSet{primary: p.region}
	}
	var err error
	switch {
	case p.origin == originExternal && p.secret == nil && p.private == nil:
		k.state = statePendingImport
	case p.origin == originExternal && p.spec.family == familySymmetric:
		_, apiErr := w.importSymmetric(k, p.secret, &importKeyMaterialRequest{}, &importInfo{})
		if apiErr != nil {
			return nil, apiErr
		}
	case p.origin == originExternal:
		material := p.secret
		if material == nil {
			material = p.der
		}
		if apiErr := importAsymmetricOrHMAC(k, material, &importInfo{}); apiErr != nil {
			return nil, apiErr
		}
	case p.spec.family == familySymmetric && p.secret != nil:
		// The material's ID is derived from the key ID and the material, as an imported one's is, so
		// that the same fixture in another world opens the same blobs.
		s := kmscrypto.SymmetricKey{BackingID: importedMaterialID(id, p.secret), Material: p.secret}
		k.materials = []keyMaterial{newKeyMaterial(s, time.Time{}, "")}
	case p.secret != nil:
		k.hmacKey = p.secret
	case p.private != nil:
		k.private = p.private
	default:
		err = w.generateMaterial(k, p.spec)
	}
	if err != nil {
		return nil, errInternal("generating key material: " + err.Error())
	}
	if !p.enabled {
		k.state = stateDisabled
	}
	if p.rotationDays != 0 {
		next := now.Add(time.Duration(p.rotationDays) * 24 * time.Hour)
		k.rotationDays, k.nextRotation = p.rotationDays, &next
	}
	return k, nil
}

// decodeFixtureKey reads one fixture key from its JSON tree, checking each member's JSON type.
func decodeFixtureKey(path string, item any) (*fixtureKey, *apiError) {
	obj, ok := item.(map[string]any)
	if !ok {
		return nil, errBadFixture(path, "must be an object, a key")
	}
	var fk fixtureKey
	v := reflect.ValueOf(&fk).Elem()
	for _, name := range sortedKeys(obj) {
		if !contains(fixtureKeyMembers, name) {
			return nil, errBadFixture(path+"."+name, "not a member of a fixture key ("+strings.Join(fixtureKeyMembers, ", ")+")")
		}
	}
	for i, name := range fixtureKeyMembers {
		value, present := obj[name]
		if !present {
			continue
		}
		if why := assignFixtureMember(v.Field(i), value); why != "" {
			return nil, errBadFixture(path+"."+name, why)
		}
	}
	return &fk, nil
}

// assignFixtureMember stores a JSON value into a fixtureKey field, or answers what the field takes.
func assignFixtureMember(f reflect.Value, value any) string {
	switch f.Interface().(type) {
	case *string:
		s, ok := value.(string)
		if !ok {
			return "must be a string"
		}
		f.Set(reflect.ValueOf(&s))
	case *bool:
		b, ok := value.(bool)
		if !ok {
			return "must be true or false"
		}
		f.Set(reflect.ValueOf(&b))
	case *int:
		n, ok := value.(json.Number)
		i, err := n.Int64()
		if !ok || err != nil || int64(int(i)) != i {
			return "must be an integer"
		}
		days := int(i)
		f.Set(reflect.ValueOf(&days))
	case []string:
		list, ok := value.([]any)
		if !ok {
			return "must be an array of strings"
		}
		out := make([]string, len(list))
		for i, item := range list {
			if out[i], ok = item.(string); !ok {
				return "must be an array of strings"
			}
		}
		f.Set(reflect.ValueOf(out))
	case map[string]string:
		obj, ok := value.(map[string]any)
		if !ok {
			return "must be an object of strings (tag key to tag value)"
		}
		out := make(map[string]string, len(obj))
		for k, item := range obj {
			if out[k], ok = item.(string); !ok {
				return "must be an object of strings (tag key to tag value)"
			}
		}
		f.Set(reflect.ValueOf(out))
	}
	return ""
}

// violationParts splits one of violations' messages ("Value 'x' at 'tags.1.member.tagKey' failed
// to satisfy constraint: Member must ...") into the member's path and the constraint.
func violationParts(msg string) (path, constraint string) {
	const failed = "' failed to satisfy constraint: "
	i := strings.LastIndex(msg, failed)
	j := strings.LastIndex(msg[:max(i, 0)], " at '")
	if i < 0 || j < 0 {
		return "", msg
	}
	return msg[j+len(" at '") : i], msg[i+len(failed):]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func stringPtr(s string) *string { return &s }
