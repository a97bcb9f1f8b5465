package kms

import "testing"

// resolveCaller keeps the last root principal it made: callers that alternate between accounts and
// partitions each get their own.
func TestResolveCallerRootPrincipalFollowsTheCaller(t *testing.T) {
	callers := []Caller{{}, {Region: "cn-north-1"}, {Account: "444455556666"}, {Region: "us-gov-west-1", Account: "444455556666"},
		{Region: "eu-west-1"}, {Principal: "arn:aws:iam::111122223333:user/alice"}, {}}
	for range 3 {
		for _, c := range callers {
			got := resolveCaller(c)
			want := c.Principal
			if want == "" {
				want = rootPrincipal(partitionOf(got.region), got.account)
			}
			if got.principal != want {
				t.Errorf("resolveCaller(%+v).principal = %q, want %q", c, got.principal, want)
			}
		}
	}
}
