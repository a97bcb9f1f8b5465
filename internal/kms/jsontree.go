package kms

import (
	"encoding/json"
	"unicode/utf16"
	"unicode/utf8"
)

// parseJSONTree parses one JSON request body into the tree encoding/json builds for `any` with
// UseNumber (map[string]any, []any, string, json.Number, bool, nil), in one pass. It replaces
// json.Decoder on the hot path: the Decoder scans every byte twice through its state machine
// (readValue, then unmarshal), which was most of the cost of a 4 KiB Encrypt. Every acceptance
// rule is the Decoder's, so that answers do not change (jsontree_test.go compares the two):
//   - the grammar of RFC 8259, nesting at most maxJSONDepth deep (encoding/json's limit is deeper:
//     there the two differ, on purpose);
//   - strings: invalid UTF-8 becomes U+FFFD, \u escapes of a lone surrogate become U+FFFD;
//   - duplicate object members: the last one wins;
//   - after the value, JSON whitespace, then the end or a ']' or '}' (the Decoder's More() stops
//     there and ignores the rest).
func parseJSONTree(data []byte) (any, bool) {
	p := jsonParser{data: data}
	p.skipSpace()
	v, ok := p.value(0)
	if !ok {
		return nil, false
	}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] != ']' && p.data[p.pos] != '}' {
		return nil, false
	}
	return v, true
}

// maxJSONDepth bounds the nesting of a request body: the parser recurses once or twice per level, on
// the wasm engine's native stack, and a body of 9,500 nested arrays (19 KB) overflowed V8's default
// stack inside the module, a trap that took the instance and every world in it down (a 300 KB stack
// overflowed at 3,000; about 100 bytes a level). AWS's own limit is not documented, nor recorded
// anywhere we could find; Coral answers a body it cannot parse with a bare SerializationException
// (decode.go), and so does a deeper one here. A KMS request nests at most four deep, so 512 refuses
// nothing real and keeps the recursion to some 50 KB of native stack, far inside every engine's.
const maxJSONDepth = 512

type jsonParser struct {
	data []byte
	pos  int
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (any, bool) {
	if p.pos >= len(p.data) {
		return nil, false
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		return p.string()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	}
	return nil, false
}

func (p *jsonParser) literal(word string) bool {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return false
	}
	p.pos += len(word)
	return true
}

func (p *jsonParser) object(depth int) (any, bool) {
	if depth > maxJSONDepth {
		return nil, false
	}
	p.pos++ // '{'
	m := map[string]any{}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return m, true
	}
	for {
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, false
		}
		key, ok := p.string()
		if !ok {
			return nil, false
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, false
		}
		p.pos++
		p.skipSpace()
		v, ok := p.value(depth)
		if !ok {
			return nil, false
		}
		m[key.(string)] = v
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, false
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
			p.skipSpace()
		case '}':
			p.pos++
			return m, true
		default:
			return nil, false
		}
	}
}

func (p *jsonParser) array(depth int) (any, bool) {
	if depth > maxJSONDepth {
		return nil, false
	}
	p.pos++ // '['
	list := []any{}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return list, true
	}
	for {
		v, ok := p.value(depth)
		if !ok {
			return nil, false
		}
		list = append(list, v)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, false
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
			p.skipSpace()
		case ']':
			p.pos++
			return list, true
		default:
			return nil, false
		}
	}
}

func (p *jsonParser) number() (any, bool) {
	start := p.pos
	d := p.data
	i := p.pos
	if d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	default:
		return nil, false
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			return nil, false
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			return nil, false
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	p.pos = i
	return json.Number(d[start:i]), true
}

// string reads a string whose opening quote is at p.pos. The usual string (printable ASCII, no
// escape) is one tight loop and one copy.
func (p *jsonParser) string() (any, bool) {
	d := p.data
	start := p.pos + 1
	i := start
	for i < len(d) {
		c := d[i]
		if c == '"' {
			p.pos = i + 1
			return string(d[start:i]), true
		}
		if c < 0x20 || c == '\\' || c >= utf8.RuneSelf {
			break
		}
		i++
	}
	return p.slowString(start, i)
}

// slowString continues a string from i (start is just after the opening quote) through escapes,
// non-ASCII bytes and the syntax errors. Its buffer is sized to the string's own bytes (decoding
// shrinks escapes, and only an invalid byte, 1 -> 3 as U+FFFD, grows past that): sized to the rest
// of the body instead, 50,000 strings "\n" in a 250 KB body asked for 12 GB and killed the module.
func (p *jsonParser) slowString(start, i int) (any, bool) {
	d := p.data
	out := make([]byte, i-start, stringEnd(d, i)-start)
	copy(out, d[start:i])
	for i < len(d) {
		c := d[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return string(out), true
		case c < 0x20:
			return nil, false
		case c == '\\':
			if i+1 >= len(d) {
				return nil, false
			}
			switch d[i+1] {
			case '"', '\\', '/':
				out = append(out, d[i+1])
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, ok := hex4(d, i+2)
				if !ok {
					return nil, false
				}
				i += 6
				if utf16.IsSurrogate(r) {
					// As encoding/json: a valid pair is one rune; otherwise U+FFFD, and the second
					// escape (if any) is read on its own next.
					if i+1 < len(d) && d[i] == '\\' && d[i+1] == 'u' {
						if r2, ok := hex4(d, i+2); ok {
							if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
								out = utf8.AppendRune(out, dec)
								i += 6
								continue
							}
						}
					}
					r = utf8.RuneError
				}
				out = utf8.AppendRune(out, r)
				continue
			default:
				return nil, false
			}
			i += 2
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, size := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, d[i:i+size]...)
			}
			i += size
		}
	}
	return nil, false
}

// stringEnd answers the index of the quote that ends the string i is in (past an escape's next
// byte, so that \" does not end it), or len(d) when it is not terminated.
func stringEnd(d []byte, i int) int {
	for i < len(d) {
		switch d[i] {
		case '"':
			return i
		case '\\':
			i += 2
		default:
			i++
		}
	}
	return len(d)
}

// hex4 reads the four hex digits of a \u escape at d[i:].
func hex4(d []byte, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	var r rune
	for _, c := range d[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*16 + rune(c)
	}
	return r, true
}
