package kms

import "unsafe"

// plainJSON says whether encoding/json writes s quoted as it is: printable ASCII but for the
// characters it escapes (" \ < > &). Every string member of an answer or a state record is tested
// so (a key ID, its spec, usage, state, account and Region: some hundred bytes a key), and in the
// module a test of each byte was a tenth of a state record's writing: eight bytes are tested at once
// here, each test true when any of the eight bytes makes it so (the tests of Bit Twiddling Hacks:
// hasless, hasmore, haszero; each exact for "any byte"). TestPlainJSONWords holds it to a byte loop.
func plainJSON(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	if len(s) >= 8 {
		p := unsafe.Pointer(unsafe.StringData(s))
		for ; i+8 <= len(s); i += 8 {
			x := *(*uint64)(unsafe.Add(p, i))  // wasm and the hosts Go runs on load unaligned words
			below := (x - ones*0x20) &^ x      // a byte below 0x20
			above := (x + ones*(127-0x7e)) | x // a byte above 0x7e
			quote, backslash := x^(ones*'"'), x^(ones*'\\')
			less, greater, amp := x^(ones*'<'), x^(ones*'>'), x^(ones*'&')
			zero := (quote-ones)&^quote | (backslash-ones)&^backslash | (less-ones)&^less |
				(greater-ones)&^greater | (amp-ones)&^amp
			if (below|above|zero)&highs != 0 {
				return false
			}
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}
