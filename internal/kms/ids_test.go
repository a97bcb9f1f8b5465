package kms

import (
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// The hand-written checks replace these regular expressions (regexp stays out of the module; see
// isKeyID). Tests may import regexp: test imports never enter the module.
var (
	keyIDPattern = regexp.MustCompile(`^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})$`)
)

func TestIsKeyIDMatchesThePattern(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want bool
	}{
		{"1234abcd-12ab-34cd-56ef-1234567890ab", true},
		{"1234ABCD-12AB-34CD-56EF-1234567890AB", true},
		{"mrk-1234abcd12ab34cd56ef1234567890ab", true},
		{"mrk-1234ABCD12AB34CD56EF1234567890AB", true},
		{"", false},
		{"1234abcd-12ab-34cd-56ef-1234567890a", false},   // 35 characters
		{"1234abcd-12ab-34cd-56ef-1234567890abc", false}, // 37 characters
		{"1234abcd012ab-34cd-56ef-1234567890a", false},   // dash replaced
		{"1234abcg-12ab-34cd-56ef-1234567890ab", false},  // not hex
		{"1234abcd-12ab-34cd-56ef-1234567890ab\n", false},
		{"mrk-1234abcd12ab34cd56ef1234567890a", false},
		{"mrk-1234abcd12ab34cd56ef1234567890abc", false},
		{"MRK-1234abcd12ab34cd56ef1234567890ab", false},
		{"mrk-1234abcd-12ab-34cd-56ef-1234567890ab", false},
		{"alias/my-key", false},
		{"1234abcd-12ab-34cd-56ef-1234567890aé", false},
	} {
		require.Equal(t, tc.want, isKeyID(tc.id), tc.id)
		require.Equal(t, keyIDPattern.MatchString(tc.id), isKeyID(tc.id), tc.id)
	}
}

// Random near-misses: strings built from the characters the patterns care about, in the shapes
// they accept, so that most differ from a valid value in one place.
func TestHandChecksAgreeWithPatternsOnRandomInput(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "0123456789abcdefABCDEFgG-_mrkM é\n"
	runes := []rune(alphabet)
	valid := []string{"1234abcd-12ab-34cd-56ef-1234567890ab", "mrk-1234abcd12ab34cd56ef1234567890ab"}
	for range 20000 {
		b := []rune(valid[r.IntN(len(valid))])
		for range 1 + r.IntN(2) {
			switch i := r.IntN(len(b) + 1); r.IntN(3) {
			case 0: // replace
				if i < len(b) {
					b[i] = runes[r.IntN(len(runes))]
				}
			case 1: // insert
				b = append(b[:i], append([]rune{runes[r.IntN(len(runes))]}, b[i:]...)...)
			default: // delete
				if i < len(b) {
					b = append(b[:i], b[i+1:]...)
				}
			}
		}
		s := string(b)
		require.Equal(t, keyIDPattern.MatchString(s), isKeyID(s), "%q", s)
	}
}
