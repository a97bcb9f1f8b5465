package kms

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	kmscrypto "github.com/wasmkms/wasmkms/internal/crypto"
	"github.com/wasmkms/wasmkms/internal/kmsabi"
)

// The default caller, Caller and Options are kmsabi's (the hosts share them without the core).
const (
	DefaultAccount = kmsabi.DefaultAccount
	DefaultRegion  = kmsabi.DefaultRegion
)

// Caller is who sends a request (kmsabi.Caller).
type Caller = kmsabi.Caller

// Options configures a world (kmsabi.Options), with the host's primitives as a *kmscrypto.Engine.
type Options = kmsabi.Options[*kmscrypto.Engine]

// World holds every account and region's keys and aliases. It is safe for concurrent use: one
// mutex serialises requests, which keeps every operation atomic (a test double has no need for
// more parallelism than that).
type World struct {
	mu      sync.Mutex
	opts    Options
	now     func() time.Time
	clock   *manualClock // the manual clock, nil while the clock is real time
	rand    io.Reader
	regions map[regionID]*region
	// rsaPool makes test RSA keys from pre-computed primes; nil until the first pool key.
	rsaPool *kmscrypto.RSAPool
	// suppliedRSA holds host-generated RSA keys (WasmKMS.SupplyRSAKey) per modulus size in bits,
	// used before the pool or fresh generation.
	suppliedRSA map[int][]*rsa.PrivateKey
	// grantTokens maps each grant token this world issued to its grant ID.
	grantTokens map[string]string
	// nextDeletion is the earliest deletion date of a key pending deletion (zero: none).
	nextDeletion time.Time
	// nextRotation is the earliest automatic rotation date of any key (zero: none).
	nextRotation time.Time
	faults       faultSet // faults.go
	journal      journal  // journal.go
	// callAt is the instant of the KMS call under way (its journal entry's), zero between calls.
	callAt time.Time
	// acceptedCaller is the last caller checkCaller accepted (callers.go).
	acceptedCaller atomic.Pointer[acceptedCaller]

	// nextImportExpiry is the earliest ValidTo of imported key material (zero: none; import.go).
	nextImportExpiry time.Time

	// The world's state log (statelog.go): its changes since the last take, an export or a load
	// under way.
	changes   stateChanges
	exporting *stateExport
	loading   *StateLogLoader
}

// regionID names one account's view of one region.
type regionID struct{ account, region string }

// region is what one account holds in one region.
type region struct {
	keys map[string]*key // by key ID
	// keyOrder: the key IDs in creation order, for ListKeys. Only ever appended to, or replaced by a new
	// slice: its array is never written below its length, so that ListKeys' page cache (keylist.go)
	// can tell it is still right from the array and the length (and the last ID it wrote).
	keyOrder []string
	keyList  keyListCache // ListKeys' entries, written once per key (keylist.go)
	aliases  map[string]*alias
	stores   []*customKeyStore // custom key stores in creation order (customkeystore.go)
}

// NewWorld returns an empty world. Options a host gives as text (Seed, Clock) are checked by
// CheckOptions first; NewWorld ignores a Clock that does not parse.
func NewWorld(opts Options) *World {
	w := &World{opts: opts, now: opts.Now, rand: opts.Rand}
	if w.now == nil {
		w.now = time.Now
	}
	if start, err := parseClockStart(opts.Clock); opts.Clock != "" && err == nil {
		w.clock = &manualClock{t: start}
		w.now = w.clock.now
	}
	if w.rand == nil && opts.Seed != "" {
		w.rand = newSeededReader(opts.Seed)
	}
	if w.rand == nil {
		w.rand = rand.Reader
	}
	w.faults.rand = newFaultRand(opts.Seed)
	w.reset()
	return w
}

// CheckOptions says what is wrong with options a host read from text, or nil.
func CheckOptions(opts Options) error {
	if opts.Clock != "" {
		if _, err := parseClockStart(opts.Clock); err != nil {
			return fmt.Errorf("clock %q is not an RFC 3339 time", opts.Clock)
		}
	}
	return nil
}

func (w *World) reset() {
	w.regions = map[regionID]*region{}
	w.rsaPool = nil
	w.suppliedRSA = map[int][]*rsa.PrivateKey{}
	w.grantTokens = map[string]string{}
	w.nextDeletion = time.Time{}
	w.nextRotation = time.Time{}
	w.nextImportExpiry = time.Time{}
}

// regionOf answers what an account holds in a region, to read: a region that holds nothing yet is
// noRegion, never stored, so that a request that changes nothing (a read, a refusal) leaves the world
// as it was, whatever account and Region it names. A change goes through regionToChange.
func (w *World) regionOf(account, regionName string) *region {
	if r := w.regions[regionID{account, regionName}]; r != nil {
		return r
	}
	return &noRegion
}

// noRegion is every region that holds nothing: its maps are nil, so a write to it panics (answered
// as KMSInternalException) instead of being kept where every empty region would see it.
var noRegion region

// regionToChange answers an account's region to change, creating it on first use; callers call it
// only once the change is sure to be made.
func (w *World) regionToChange(account, regionName string) *region {
	id := regionID{account, regionName}
	r := w.regions[id]
	if r == nil {
		r = &region{keys: map[string]*key{}, aliases: map[string]*alias{}}
		w.regions[id] = r
	}
	return r
}

// caller is a Caller with the defaults filled in.
type caller struct {
	account, region, principal string
}

func (c caller) partition() string { return partitionOf(c.region) }

func resolveCaller(c Caller) caller {
	out := caller{account: c.Account, region: c.Region, principal: c.Principal}
	if out.account == "" {
		out.account = DefaultAccount
	}
	if out.region == "" {
		out.region = DefaultRegion
	}
	if out.principal == "" {
		out.principal = lastRootPrincipal(out.region, out.account)
	}
	return out
}

// lastRoot is the account root principal resolveCaller made last, with the Region and account it was
// made for: a caller without a principal nearly always comes again from the same account and Region,
// and making it (the Region's partition, a concatenation) was some 2% of a direct Decrypt.
var lastRoot atomic.Pointer[resolvedRoot]

type resolvedRoot struct{ region, account, principal string }

func lastRootPrincipal(regionName, account string) string {
	if r := lastRoot.Load(); r != nil && r.region == regionName && r.account == account {
		return r.principal
	}
	principal := rootPrincipal(partitionOf(regionName), account)
	lastRoot.Store(&resolvedRoot{regionName, account, principal})
	return principal
}

func rootPrincipal(partition, account string) string {
	return "arn:" + partition + ":iam::" + account + ":root"
}

func keyARN(regionName, account, keyID string) string {
	return "arn:" + partitionOf(regionName) + ":kms:" + regionName + ":" + account + ":key/" + keyID
}

func aliasARN(regionName, account, aliasName string) string {
	return "arn:" + partitionOf(regionName) + ":kms:" + regionName + ":" + account + ":" + aliasName
}

// epochTime is a timestamp on the wire: epoch seconds as a number, with millisecond precision
// like real AWS answers (1700000000.123).
type epochTime time.Time

func (t epochTime) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return []byte(strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)), nil
}

func (t *epochTime) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	*t = epochTime(time.UnixMilli(int64(f*1000 + 0.5)).UTC())
	return nil
}
