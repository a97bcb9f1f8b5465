package kms

import (
	"path"
	"strings"
	"testing"
)

// actionMatches answers what path.Match of the lowercased pattern and action answers, for the
// patterns it matches in place and for those it hands to path.Match.
func TestActionMatchesIsPathMatchOfLowercase(t *testing.T) {
	patterns := []string{"*", "kms:*", "KMS:*", "kms:Decrypt", "kms:decrypt", "KMS:DECRYPT", "kms:Decrypt*", "kms:Describe*",
		"kms:Re*", "kms:*crypt", "kms:?ecrypt", "kms:[d]ecrypt", `kms:\Decrypt`, "kms:[", "kms:*/", "kms:", "", "kms:Encrypt",
		"kms:Decrypt ", "kms:Déchiffrer*", "kms:\u212Aey*", "ſms:*", "kms:**", "kms:*Key*", "iam:*"}
	actions := []string{"kms:Decrypt", "kms:Encrypt", "kms:DescribeKey", "kms:ReEncryptFrom", "kms:", "kms:a/b", "KMS:DECRYPT",
		"kms:Déchiffrer", "kms:\u212Aey", "kms:Key", "sms:Decrypt", "", "kms:Decrypt/"}
	for _, p := range patterns {
		for _, a := range actions {
			want, _ := path.Match(strings.ToLower(p), strings.ToLower(a))
			if got := actionMatches(p, a); got != want {
				t.Errorf("actionMatches(%q, %q) = %v, path.Match of the lowercased = %v", p, a, got, want)
			}
		}
	}
}
