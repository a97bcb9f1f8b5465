package kmsabi

// The default caller, as the issue and the SDK examples use.
const (
	DefaultAccount = "111122223333"
	DefaultRegion  = "us-east-1"
)

// Caller is who sends a request. Empty members take the defaults: DefaultAccount, DefaultRegion and
// the principal arn:<partition>:iam::<account>:root.
type Caller struct {
	Account   string
	Region    string
	Principal string
	// RequestID is the host's ID for this call ($metadata.requestId), kept in the call journal.
	RequestID string
}
