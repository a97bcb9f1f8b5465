package kms

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The README's "Supported operations" section names exactly the operations the core implements,
// and every operation it names is one of the model's.
func TestReadmeListsTheImplementedOperations(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	_, section, found := strings.Cut(string(readme), "## Supported operations\n")
	require.True(t, found, "README.md has no Supported operations section")
	section, _, _ = strings.Cut(section, "\n## ")
	section, _, _ = strings.Cut(section, "\n\n") // the first paragraph is the list
	var listed []string
	for _, word := range regexp.MustCompile(`\b[A-Z][A-Za-z]+\b`).FindAllString(section, -1) {
		if contains(modelOperations, word) && !contains(listed, word) {
			listed = append(listed, word)
		}
	}
	var want []string
	for name := range implemented {
		want = append(want, name)
	}
	sort.Strings(listed)
	sort.Strings(want)
	require.Equal(t, want, listed, "README.md's Supported operations and the core's operations differ")
}
