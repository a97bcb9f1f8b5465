package kms

import "strings"

// The model's patterns that are more than one character class (model_gen.go matches those), by
// hand: the module links no regexp. patterns_test.go holds every matcher to Go's regexp.

// matchRegionType: ^([a-z]+-){2,3}\d+$ (us-east-1, us-gov-west-1).
func matchRegionType(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || len(parts) > 4 {
		return false
	}
	for _, p := range parts[:len(parts)-1] {
		if !allIn(p, 'a', 'z') {
			return false
		}
	}
	return allIn(parts[len(parts)-1], '0', '9')
}

// matchXksProxyUriPathType: ^(/[a-zA-Z0-9\/_-]+/kms/xks/v\d{1,2})$|^(/kms/xks/v\d{1,2})$.
func matchXksProxyUriPathType(s string) bool {
	i := strings.LastIndex(s, "/kms/xks/v")
	if i < 0 {
		return false
	}
	version := s[i+len("/kms/xks/v"):]
	if len(version) < 1 || len(version) > 2 || !allIn(version, '0', '9') {
		return false
	}
	if i == 0 {
		return true
	}
	head := s[:i] // "/" then one or more of [a-zA-Z0-9/_-]
	if head[0] != '/' || len(head) < 2 {
		return false
	}
	for _, c := range head[1:] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// matchXksProxyVpcEndpointServiceNameType:
// ^(com|eu)\.amazonaws\.vpce\.([a-z]+-){2,3}\d+\.vpce-svc-[0-9a-z]+$.
func matchXksProxyVpcEndpointServiceNameType(s string) bool {
	rest, ok := strings.CutPrefix(s, "com.amazonaws.vpce.")
	if !ok {
		if rest, ok = strings.CutPrefix(s, "eu.amazonaws.vpce."); !ok {
			return false
		}
	}
	region, service, ok := strings.Cut(rest, ".vpce-svc-")
	if !ok || !matchRegionType(region) || service == "" {
		return false
	}
	for _, c := range service {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// allIn reports whether s is not empty and every byte of it is in lo..hi.
func allIn(s string, lo, hi byte) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < lo || s[i] > hi {
			return false
		}
	}
	return true
}
