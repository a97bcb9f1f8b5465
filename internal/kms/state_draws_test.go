package kms

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// moduli collects the RSA moduli a world hands out, to check that no two keys share one.
type moduli map[string]string // modulus -> what it came from

func (m moduli) add(t *testing.T, what string, spki []byte) {
	t.Helper()
	pub, err := x509.ParsePKIXPublicKey(spki)
	require.NoError(t, err)
	n := pub.(*rsa.PublicKey).N.String()
	require.NotContains(t, m, n, "%s has the modulus of %s", what, m[n])
	m[n] = what
}

// drawRSA creates an RSA key and a data key pair in w (both from the prime pool) and adds their moduli.
func (m moduli) drawRSA(t *testing.T, w *World, label string) {
	t.Helper()
	md := newKey(t, w, Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"})
	m.add(t, label+" key", b64(t, mustCall(t, w, Caller{}, "GetPublicKey", map[string]any{"KeyId": md["KeyId"]})["PublicKey"]))
	sym := newKey(t, w, Caller{}, map[string]any{})
	pair := mustCall(t, w, Caller{}, "GenerateDataKeyPairWithoutPlaintext", map[string]any{"KeyId": sym["KeyId"], "KeyPairSpec": "RSA_2048"})
	m.add(t, label+" data key pair", b64(t, pair["PublicKey"]))
}

// poolPairs is the prime pool's draws as w's snapshot has them, as "bits:i:j" strings.
func poolPairs(t *testing.T, w *World) []string {
	t.Helper()
	var st worldState
	require.NoError(t, json.Unmarshal(exportWorld(t, w), &st))
	var out []string
	for bits, pairs := range st.RSAPoolUsed {
		for _, p := range pairs {
			out = append(out, fmt.Sprintf("%s:%d:%d", bits, p[0], p[1]))
		}
	}
	return out
}

func importWorld(t *testing.T, w *World, state []byte) {
	t.Helper()
	status, body := w.Handle(Caller{}, "WasmKMS.ImportState", state)
	require.Equal(t, 200, status, string(body))
}

// The prime pool's draws are part of the world's state (issue 14): a world loaded from its snapshot
// (a restart) and a world restored to an earlier snapshot never hand out a pool key again, be it a
// KMS key or a data key pair.
func TestRSAPoolDrawsSurviveRestartAndRestore(t *testing.T) {
	for _, seed := range []string{"", "pool draws"} {
		t.Run("seed "+seed, func(t *testing.T) {
			seen := moduli{}
			w := NewWorld(Options{Seed: seed})
			for range 5 {
				seen.drawRSA(t, w, "first run")
			}
			snapshot := exportWorld(t, w)

			// A restart: a new world loads the snapshot and goes on.
			restarted := NewWorld(Options{Seed: seed})
			importWorld(t, restarted, snapshot)
			for range 5 {
				seen.drawRSA(t, restarted, "after the restart")
			}

			// A restore: the world goes back to the snapshot, but not its draws.
			drawn := poolPairs(t, restarted)
			importWorld(t, restarted, snapshot)
			require.Subset(t, poolPairs(t, restarted), drawn)
			for range 5 {
				seen.drawRSA(t, restarted, "after the restore")
			}
		})
	}
}

// A snapshot without its draws (a version-1 state file, a document written by hand) still never has
// one of its own pool keys drawn again: the restored pool knows the keys' primes.
func TestRSAPoolKnowsTheKeysOfASnapshotWithoutDraws(t *testing.T) {
	w := NewWorld(Options{})
	seen := moduli{}
	var ids []any
	for range 40 {
		md := newKey(t, w, Caller{}, map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"})
		ids = append(ids, md["KeyId"])
	}
	var st map[string]any
	require.NoError(t, json.Unmarshal(exportWorld(t, w), &st))
	require.Contains(t, st, "rsaPoolUsedPairs")
	delete(st, "rsaPoolUsedPairs")
	state, err := json.Marshal(st)
	require.NoError(t, err)

	restored := NewWorld(Options{})
	importWorld(t, restored, state)
	require.Len(t, poolPairs(t, restored), len(ids))
	for _, id := range ids {
		seen.add(t, "a restored key", b64(t, mustCall(t, restored, Caller{}, "GetPublicKey", map[string]any{"KeyId": id})["PublicKey"]))
	}
	for range 40 {
		seen.drawRSA(t, restored, "a new one")
	}
}

// A seeded world's snapshot keeps its draw position: loaded into a world of the same seed, it goes on
// with the sequence where the saved world was, instead of drawing the same key IDs and material again.
func TestSeededWorldGoesOnFromItsDrawPosition(t *testing.T) {
	w := NewWorld(Options{Seed: "restart"})
	first := newKey(t, w, Caller{}, map[string]any{})
	snapshot := exportWorld(t, w)
	var st worldState
	require.NoError(t, json.Unmarshal(snapshot, &st))
	require.NotZero(t, st.SeededDraws)

	restarted := NewWorld(Options{Seed: "restart"})
	importWorld(t, restarted, snapshot)
	second := newKey(t, restarted, Caller{}, map[string]any{})
	require.NotEqual(t, first["KeyId"], second["KeyId"])
	require.Equal(t, newKey(t, w, Caller{}, map[string]any{})["KeyId"], second["KeyId"],
		"the restarted world draws what the saved one would have drawn next")

	// A restore does not move a world's draws back.
	importWorld(t, restarted, snapshot)
	require.NotEqual(t, second["KeyId"], newKey(t, restarted, Caller{}, map[string]any{})["KeyId"])

	// A position no world reaches is refused, and changes nothing.
	st.SeededDraws = maxSeededDraws + 1
	tooFar, err := json.Marshal(st)
	require.NoError(t, err)
	status, out := restarted.Handle(Caller{}, "WasmKMS.ImportState", tooFar)
	require.Equal(t, 400, status, string(out))
	require.Contains(t, string(out), "seededDraws")
}
