package crypto

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCanonicalContextEncoding(t *testing.T) {
	require.Empty(t, CanonicalContext(nil))
	require.Equal(t, CanonicalContext(nil), CanonicalContext(map[string]string{}))
	require.Equal(t,
		[]byte("\x00\x00\x00\x01a\x00\x00\x00\x02bc\x00\x00\x00\x01d\x00\x00\x00\x00"),
		CanonicalContext(map[string]string{"d": "", "a": "bc"}),
		"sorted by key, every key and value length-prefixed")
}

// Contexts that a careless encoding would confuse must all encode differently.
func TestCanonicalContextIsUnambiguous(t *testing.T) {
	contexts := []map[string]string{
		nil,
		{"ab": "c"},
		{"a": "bc"},
		{"abc": ""},
		{"": "abc"},
		{"a": "b", "c": ""},
		{"a": "b=c"},
		{"a=b": "c"},
		{"a": "b", "b": "a"},
		{"a": "a", "b": "b"},
		{"A": "bc"},
		{"a": "\x00\x00\x00\x01b"},
		{"é": "x"},
		{"e\u0301": "x"}, // the same text, other bytes: KMS compares bytes
	}
	seen := map[string]int{}
	for i, c := range contexts {
		enc := string(CanonicalContext(c))
		j, dup := seen[enc]
		require.Falsef(t, dup, "contexts %d and %d encode alike", i, j)
		seen[enc] = i
	}
}

func TestCanonicalContextIgnoresOrder(t *testing.T) {
	a := map[string]string{}
	b := map[string]string{}
	keys := []string{"zeta", "alpha", "Beta", "beta", "a", "aa", "_", "0"}
	for i, k := range keys {
		a[k] = k + "v"
		b[keys[len(keys)-1-i]] = keys[len(keys)-1-i] + "v"
	}
	for range 20 { // Go randomises map iteration: encode repeatedly
		require.Equal(t, CanonicalContext(a), CanonicalContext(b))
	}
}
