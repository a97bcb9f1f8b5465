package kms

import "strings"

// Callers. The account and Region a KMS call names are checked before anything else, as AWS checks a
// request's credentials before KMS sees it. A Region is one where KMS has an endpoint: a Region of
// AWS's partitions table (partitions.go), unless the world allows any Region name
// (Options.AllowAnyRegion). Even then the name must be one the SDKs accept, a host label, since it is
// part of the endpoint's host name and of every ARN. An account is 12 digits.
//
// Hosts show a refusal in one of two ways. On the wire (the HTTP endpoints, the SDK's request handler)
// the caller comes from a signature's credential scope, and serve answers what AWS answers to such a
// credential. In process (KMSClient, the Go harness) the SDK would have refused the Region before
// sending, or failed to reach a host that does not exist: those hosts ask WasmKMS.CheckCaller first
// and raise its text as the SDK raises its own refusal, a client-side error; the same answer tells them
// the Region a FIPS pseudo-Region's calls go to (fipsPseudoRegion).

// callerRefusal is why a caller is refused, for both kinds of host.
type callerRefusal struct {
	text string    // for the in-process hosts: names the account or Region, and why
	wire *apiError // AWS's answer on the wire
}

// checkCaller answers why the world refuses a caller (its defaults filled in), or nil. The last
// account and Region accepted are kept (the answer depends on nothing else the world can change): a
// host's calls nearly always come from one caller, and the checks (the account's pattern, the Region's
// label and its partition, a map of strings) were 2% of a direct Encrypt in wasm.
func (w *World) checkCaller(c caller) *callerRefusal {
	if last := w.acceptedCaller.Load(); last != nil && last.account == c.account && last.region == c.region {
		return nil
	}
	if !matchAccountIdType(c.account) {
		return &callerRefusal{text: accountRefusal(c.account), wire: errUnrecognizedClient()}
	}
	if why := w.regionRefused(c.region); why != "" {
		return &callerRefusal{text: regionRefusal(c.region, why), wire: errCredentialRegion(c.region)}
	}
	w.acceptedCaller.Store(&acceptedCaller{account: c.account, region: c.region})
	return nil
}

// acceptedCaller is an account and Region checkCaller accepted. It is read before the world's lock is
// taken, so it is kept through an atomic pointer.
type acceptedCaller struct {
	account, region string
	_               [0]func() // not comparable: no equality function in the module for it
}

// regionRefused answers why a Region name is refused, or "" for a name the world accepts.
func (w *World) regionRefused(name string) string {
	if !isHostLabel(name) {
		return "is not a valid hostname component." // the SDK's words (@smithy/config-resolver's checkRegion)
	}
	if _, listed := regionPartition(name); listed || w.opts.AllowAnyRegion {
		return ""
	}
	partition := partitionOf(name)
	known := ""
	for _, p := range awsPartitions {
		if p.id == partition && len(p.regions) <= 4 { // a short list helps; the aws partition's 36 do not
			known = ": " + strings.Join(p.regions, ", ")
		}
	}
	return "is not an AWS Region (partition " + partition + known + "), so KMS has no endpoint there; " +
		"a world with allowAnyRegion accepts any Region name."
}

// isHostLabel is the SDKs' check of a Region name (@smithy/core's isValidHostLabel): 1 to 63 letters,
// digits and dashes, neither first nor last a dash.
func isHostLabel(name string) bool {
	if len(name) == 0 || len(name) > 63 || name[0] == '-' || name[len(name)-1] == '-' {
		return false
	}
	return allBytes(name, func(b byte) bool {
		return b == '-' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
	})
}

// checkCallerTarget is WasmKMS.CheckCaller, for a client configured with the caller's account and
// Region: {} for a caller the world accepts, {"Region": ..., "UseFipsEndpoint": true} for a FIPS
// pseudo-Region whose Region it accepts (the client's calls go there: fipsPseudoRegion), else a
// ValidationException whose message is the refusal's text.
func checkCallerTarget(w *World, c caller, _ []byte) (any, *apiError) {
	region, fips := fipsPseudoRegion(c.region)
	if !fips {
		if r := w.checkCaller(c); r != nil {
			return nil, errValidation(r.text)
		}
		return struct{}{}, nil
	}
	if why := w.regionRefused(region); why != "" {
		return nil, errValidation(regionRefusal(c.region, "is the FIPS pseudo-Region of "+region+", which "+why))
	}
	c.region = region
	if r := w.checkCaller(c); r != nil {
		return nil, errValidation(r.text)
	}
	return map[string]any{"Region": region, "UseFipsEndpoint": true}, nil
}

// fipsPseudoRegion answers the Region of a FIPS pseudo-Region, as the JS SDK resolves a client's Region
// (@smithy/config-resolver, getRealRegion and isFipsRegion): a name that begins with "fips-" or ends
// with "-fips" is the Region it names without the first "fips-", "fips-dkr-", "fips-prod-" or "-fips"
// (us-east-1 for fips-aws-global and aws-fips), and the client sets useFipsEndpoint. The FIPS endpoint
// (kms-fips.<Region>.amazonaws.com) is KMS of that Region, with its keys, and the SDK signs for the
// Region. So an in-process client configured with us-east-1-fips calls as us-east-1. On the wire a
// credential scoped to the pseudo-Region itself (aws-sdk-go-v2 signs with the Region as configured)
// is refused, as AWS refuses it ("Credential should be scoped to a valid region").
func fipsPseudoRegion(name string) (string, bool) {
	if !strings.HasPrefix(name, "fips-") && !strings.HasSuffix(name, "-fips") {
		return name, false
	}
	if name == "fips-aws-global" || name == "aws-fips" {
		return "us-east-1", true
	}
	for i := 0; i < len(name); i++ {
		rest := name[i:]
		if strings.HasPrefix(rest, "-fips") {
			return name[:i] + rest[len("-fips"):], true
		}
		if strings.HasPrefix(rest, "fips-") {
			for _, infix := range []string{"fips-dkr-", "fips-prod-", "fips-"} {
				if strings.HasPrefix(rest, infix) {
					return name[:i] + rest[len(infix):], true
				}
			}
		}
	}
	return name, true // not reached: the name begins or ends with one of them
}
