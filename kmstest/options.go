package kmstest

import (
	"encoding/json"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/wasmkms/wasmkms/testharness"
)

// Option configures New or Server.
type Option func(*config)

// config is what the options set; the zero value is the defaults.
type config struct {
	account, region string // of the client; empty: the world's defaults
	world           testharness.WorldOptions
	fixturesFile    string
	worldOut        **testharness.World
	client          []func(*kms.Options)
	clientOnly      []string // the client options given, which Server refuses
}

// WithAccount makes the client call as this AWS account (12 digits); the default is 111122223333.
// The client's access key ID is the account, which is how the world knows its caller.
func WithAccount(id string) Option {
	return func(c *config) { c.account = id; c.clientOnly = append(c.clientOnly, "WithAccount") }
}

// WithRegion makes the client call this region; the default is us-east-1.
func WithRegion(region string) Option {
	return func(c *config) { c.region = region; c.clientOnly = append(c.clientOnly, "WithRegion") }
}

// WithAllowAnyRegion lets the world take callers in a Region of any name (a host label), not only AWS's
// Regions: for code that makes up Region names on purpose. Without it, New fails the test on a Region
// AWS does not have.
func WithAllowAnyRegion() Option {
	return func(c *config) { c.world.AllowAnyRegion = true }
}

// WithSeed makes the world reproducible: the same seed and the same calls give the same key IDs,
// key material, ciphertexts and signatures on every run.
func WithSeed(seed string) Option {
	return func(c *config) { c.world.Seed = seed }
}

// WithClock starts the world on a manual clock at start: it moves only when the test moves it
// (testharness.World.Clock, through WithWorld), and whatever falls due then happens at once.
func WithClock(start time.Time) Option {
	return func(c *config) { c.world.Clock = start }
}

// WithFixtures loads keys into the world before the test's first call: the fixture format
// ({"keys": [...]}, js/fixtures.schema.json).
func WithFixtures(fixtures json.RawMessage) Option {
	return func(c *config) { c.world.Fixtures = fixtures }
}

// WithFixturesFile is WithFixtures with the fixtures read from a file.
func WithFixturesFile(path string) Option {
	return func(c *config) { c.fixturesFile = path }
}

// WithWorld stores the test's world in *w, for its controls: Clock, Faults, Calls, Snapshot and
// Restore (testharness.World).
func WithWorld(w **testharness.World) Option {
	return func(c *config) { c.worldOut = w }
}

// WithClientOptions changes the client's options after kmstest has set them (the retryer, an
// APIOptions middleware, a logger), as the optFns of kms.New do.
func WithClientOptions(fn func(*kms.Options)) Option {
	return func(c *config) {
		c.client = append(c.client, fn)
		c.clientOnly = append(c.clientOnly, "WithClientOptions")
	}
}
