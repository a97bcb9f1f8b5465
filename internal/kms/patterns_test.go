package kms

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Values each pattern accepts, for the patterns whose valid values random strings rarely hit.
var patternExamples = map[string][]string{
	`^([a-z]+-){2,3}\d+$`: {"us-east-1", "us-gov-west-1", "cn-north-1"},
	`^(/[a-zA-Z0-9\/_-]+/kms/xks/v\d{1,2})$|^(/kms/xks/v\d{1,2})$`:       {"/kms/xks/v1", "/example/prefix/kms/xks/v12"},
	`^(com|eu)\.amazonaws\.vpce\.([a-z]+-){2,3}\d+\.vpce-svc-[0-9a-z]+$`: {"com.amazonaws.vpce.us-east-1.vpce-svc-0abc123", "eu.amazonaws.vpce.eu-west-1.vpce-svc-9"},
	`^https://[a-zA-Z0-9.-]+$`:                                           {"https://xks.example.com"},
	`cluster-[2-7a-zA-Z]{11,16}`:                                         {"cluster-2a34b5cdefg", "cluster-abcdefghijk"},
	`[0-9]{12}`:                                                          {"111122223333"},
	`^[a-zA-Z0-9:/_-]+$`:                                                 {"alias/my-key"},
}

// goRegexp turns a model pattern (Java syntax) into Go's: \uXXXX is \x{XXXX}; the service matches
// the whole value.
func goRegexp(t *testing.T, pattern string) *regexp.Regexp {
	re := regexp.MustCompile(`\\u([0-9A-Fa-f]{4})`).ReplaceAllString(pattern, `\x{$1}`)
	return regexp.MustCompile(`^(?:` + re + `)$`)
}

// Every example names a pattern of the model.
func TestPatternExamplesNameModelPatterns(t *testing.T) {
	for pattern := range patternExamples {
		require.Contains(t, patternMatchers, pattern)
	}
}

// Every matcher, generated or written by hand, agrees with Go's regexp on the examples and on
// random near-misses of them.
func TestPatternMatchersAgreeWithRegexp(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for pattern, match := range patternMatchers {
		re := goRegexp(t, pattern)
		alphabet := []rune(strings.ReplaceAll(pattern, `\`, "") + "aZ09 -_./:é\t\n\x00\u00ff\u0100")
		seeds := append([]string{"", "a", "default"}, patternExamples[pattern]...)
		require.NotNil(t, match, pattern)
		for _, s := range patternExamples[pattern] {
			require.True(t, match(s), "%s should match %q", pattern, s)
		}
		for range 5000 {
			b := []rune(seeds[r.IntN(len(seeds))])
			for range r.IntN(3) {
				switch i := r.IntN(len(b) + 1); r.IntN(3) {
				case 0:
					if i < len(b) {
						b[i] = alphabet[r.IntN(len(alphabet))]
					}
				case 1:
					b = append(b[:i], append([]rune{alphabet[r.IntN(len(alphabet))]}, b[i:]...)...)
				default:
					if i < len(b) {
						b = append(b[:i], b[i+1:]...)
					}
				}
			}
			s := string(b)
			require.Equal(t, re.MatchString(s), match(s), "pattern %s on %q", pattern, s)
		}
	}
}
