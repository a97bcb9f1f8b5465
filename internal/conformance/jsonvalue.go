package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// JSON values as the engine holds them: nil, bool, json.Number, string, []any and *Object.
// Objects keep their members' order so that a request goes on the wire exactly as the scenario
// wrote it (the encryption-context scenarios depend on sending the same pairs in different orders).

// Object is a JSON object that remembers the order of its members.
type Object struct {
	Members []Member
}

// Member is one name/value pair of an Object.
type Member struct {
	Name  string
	Value any
}

// Get returns the value of the member called name.
func (o *Object) Get(name string) (any, bool) {
	for _, m := range o.Members {
		if m.Name == name {
			return m.Value, true
		}
	}
	return nil, false
}

// decodeJSON parses exactly one JSON value (numbers kept as their text).
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected data after the JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := &Object{}
			for dec.More() {
				nameTok, err := dec.Token()
				if err != nil {
					return nil, err
				}
				name, _ := nameTok.(string)
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				obj.Members = append(obj.Members, Member{name, v})
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return obj, nil
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return arr, nil
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return t, nil // nil, bool, json.Number, string
	}
}

// encodeJSON writes v compactly, objects in member order, without HTML escaping (as JSON.stringify).
func encodeJSON(v any) []byte {
	var buf bytes.Buffer
	writeJSON(&buf, v)
	return buf.Bytes()
}

func writeJSON(buf *bytes.Buffer, v any) {
	switch t := v.(type) {
	case nil:
		buf.WriteString("null")
	case bool:
		buf.WriteString(strconv.FormatBool(t))
	case json.Number:
		buf.WriteString(t.String())
	case string:
		writeJSONString(buf, t)
	case []any:
		buf.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeJSON(buf, e)
		}
		buf.WriteByte(']')
	case *Object:
		buf.WriteByte('{')
		for i, m := range t.Members {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeJSONString(buf, m.Name)
			buf.WriteByte(':')
			writeJSON(buf, m.Value)
		}
		buf.WriteByte('}')
	default:
		panic(fmt.Sprintf("conformance: not a JSON value: %T", v))
	}
}

func writeJSONString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	buf.Truncate(buf.Len() - 1) // Encode appends a newline
}

// jsonType names v's JSON type, as the @string/@number/... matchers and failure messages say it.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case *Object:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// show renders a value for a failure message, cut short when long.
func show(v any) string {
	s := string(encodeJSON(v))
	const max = 300
	if len(s) > max {
		s = s[:max] + fmt.Sprintf("...(%d bytes)", len(s))
	}
	return s
}
