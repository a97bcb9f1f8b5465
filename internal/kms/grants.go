package kms

// checkGrantTokens: every grant token must name a grant of this world; this service has no
// CreateGrant yet, so any token is InvalidGrantTokenException (after syntactic validation).
func (w *World) checkGrantTokens(tokens []string) *apiError {
	for _, t := range tokens {
		if _, ok := w.grantTokens[t]; !ok {
			return errInvalidGrantToken()
		}
	}
	return nil
}
