package kmstest_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wasmkms/wasmkms/kmstest"
)

// fatalOf runs f with a testing.TB whose Fatalf ends f instead of the test, and answers the message
// (empty if f was not stopped).
func fatalOf(t *testing.T, f func(tb testing.TB)) string {
	rec := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(rec)
	}()
	<-done
	return rec.fatal
}

type fatalRecorder struct {
	testing.TB
	fatal string
}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// What cannot be right fails the test at New or Server, naming what was wrong, rather than making a
// world that answers otherwise than the test meant.
func TestMistakesFailTheTestClearly(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		f    func(tb testing.TB)
		want string
	}{
		{"an account that is not 12 digits", func(tb testing.TB) { kmstest.New(tb, kmstest.WithAccount("1234")) },
			`kmstest: Account not accepted: accountId="1234" is not an AWS account ID (12 digits).`},
		{"a Region AWS does not have", func(tb testing.TB) { kmstest.New(tb, kmstest.WithRegion("us-east")) },
			`kmstest: Region not accepted: region="us-east" is not an AWS Region`},
		{"a fixtures file that is not there", func(tb testing.TB) { kmstest.New(tb, kmstest.WithFixturesFile("testdata/absent.json")) },
			"kmstest: testharness: fixtures: open testdata/absent.json: no such file or directory"},
		{"fixtures the world refuses", func(tb testing.TB) {
			kmstest.New(tb, kmstest.WithFixtures([]byte(`{"keys": [{"material": "not base64"}]}`)))
		}, "keys[0].material"},
		{"client options for a server", func(tb testing.TB) {
			kmstest.Server(tb, kmstest.WithRegion("eu-west-1"), kmstest.WithSeed("s"))
		}, "kmstest.Server takes no WithRegion: they configure New's client"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Contains(t, fatalOf(t, tc.f), tc.want)
		})
	}
}

// WithAllowAnyRegion takes a made-up Region name, for code that uses one on purpose.
func TestAllowAnyRegion(t *testing.T) {
	t.Parallel()
	client := kmstest.New(t, kmstest.WithRegion("mars-1"), kmstest.WithAllowAnyRegion())
	created, err := client.CreateKey(context.Background(), &kms.CreateKeyInput{})
	require.NoError(t, err)
	assert.Contains(t, *created.KeyMetadata.Arn, "arn:aws:kms:mars-1:111122223333:key/")
}
