package kms

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Strict request decoding. Real KMS (like every Coral-based AWS JSON service) checks each member's
// JSON type against the model before validating values, and answers SerializationException with
// Coral's own wording. The wording below is the one recorded from Coral services by other projects'
// test suites (DynamoDB, same framework); KMS is assumed to word it the same way.
const (
	serStartOfList   = "Start of list found where not expected"
	serStartOfMap    = "Start of structure or map found where not expected."
	serExpectedList  = "Expected list or null"
	serExpectedMap   = "Expected map or null"
	serExpectedNull  = "Expected null"
	coralNumberClass = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber"
	coralBoolClass   = "class java.lang.Boolean"
	coralStringClass = "class java.lang.String"
)

// decodeRequest checks body against the JSON types of req's fields (req points to a request
// struct) and fills req. Unknown members are ignored and null members count as absent, as in AWS.
// An empty body counts as {}. The body is parsed once into a tree, which is then checked and
// assigned in one walk.
func decodeRequest(body []byte, req any) *apiError {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		trimmed = []byte("{}")
	}
	tree, ok := parseJSONTree(trimmed)
	if !ok {
		// Coral answers a body that is not JSON with a bare SerializationException.
		return errSerialization("")
	}
	if tree == nil {
		return nil // a null body is an empty request
	}
	return assignJSON(tree, reflect.ValueOf(req).Elem())
}

var byteSliceType = reflect.TypeOf([]byte(nil))

// assignJSON stores value into v (integers floored; nulls and unknown members dropped), or answers
// the SerializationException for a JSON type that does not fit v's type.
func assignJSON(value any, v reflect.Value) *apiError {
	if v.Kind() == reflect.Pointer {
		elem := reflect.New(v.Type().Elem())
		if err := assignJSON(value, elem.Elem()); err != nil {
			return err
		}
		v.Set(elem)
		return nil
	}
	t := v.Type()
	if t == byteSliceType {
		b, err := checkBlob(value)
		if err != nil {
			return err
		}
		v.SetBytes(b)
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		switch x := value.(type) {
		case string:
			v.SetString(x)
			return nil
		case bool:
			return errSerialization(coralBoolClass + " can not be converted to an String")
		case json.Number:
			return errSerialization(coralNumberClass + " can not be converted to an String")
		}
	case reflect.Int, reflect.Int32, reflect.Int64:
		switch x := value.(type) {
		case json.Number:
			f, err := x.Float64()
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f > math.MaxInt32 || f < math.MinInt32 {
				// Coral's Integer is 32-bit; a larger number does not fit.
				return errSerialization(coralNumberClass + " can not be converted to an Integer")
			}
			v.SetInt(int64(math.Floor(f)))
			return nil
		case bool:
			return errSerialization(coralBoolClass + " can not be converted to an Integer")
		case string:
			return errSerialization(coralStringClass + " can not be converted to an Integer")
		}
	case reflect.Float64:
		// A timestamp member (epoch seconds). Coral's wording for a wrong type is not recorded: ours.
		if x, ok := value.(json.Number); ok {
			f, err := x.Float64()
			if err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
				v.SetFloat(f)
				return nil
			}
		}
		switch value.(type) {
		case json.Number, bool, string:
			return errSerialization("a timestamp must be a number of seconds since the epoch")
		}
	case reflect.Bool:
		switch x := value.(type) {
		case bool:
			v.SetBool(x)
			return nil
		case json.Number:
			return errSerialization(coralNumberClass + " can not be converted to an Boolean")
		case string:
			// Every string is refused, "true" included (Coral upper-cases it in the message).
			return errSerialization("'" + strings.ToUpper(x) + "' can not be converted to an Boolean")
		}
	case reflect.Map:
		m, isMap := value.(map[string]any)
		if !isMap {
			if _, isList := value.([]any); isList {
				return errSerialization(serStartOfList)
			}
			return errSerialization(serExpectedMap)
		}
		out := reflect.MakeMapWithSize(t, len(m))
		for k, x := range m {
			if x == nil {
				continue
			}
			elem := reflect.New(t.Elem()).Elem()
			if err := assignJSON(x, elem); err != nil {
				return err
			}
			out.SetMapIndex(reflect.ValueOf(k), elem)
		}
		v.Set(out)
		return nil
	case reflect.Slice:
		list, isList := value.([]any)
		if !isList {
			if _, isMap := value.(map[string]any); isMap {
				return errSerialization(serStartOfMap)
			}
			return errSerialization(serExpectedList)
		}
		out := reflect.MakeSlice(t, 0, len(list))
		for _, x := range list {
			if x == nil {
				continue
			}
			elem := reflect.New(t.Elem()).Elem()
			if err := assignJSON(x, elem); err != nil {
				return err
			}
			out = reflect.Append(out, elem)
		}
		v.Set(out)
		return nil
	case reflect.Struct:
		m, isMap := value.(map[string]any)
		if !isMap {
			if _, isList := value.([]any); isList {
				return errSerialization(serStartOfList)
			}
			return errSerialization(serExpectedNull)
		}
		for i := 0; i < t.NumField(); i++ {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			x, ok := m[name]
			if !ok || x == nil {
				continue
			}
			if err := assignJSON(x, v.Field(i)); err != nil {
				return err
			}
		}
		return nil
	default:
		return errInternal("request field of unsupported kind " + t.Kind().String())
	}
	// A scalar type given a list or a structure.
	switch value.(type) {
	case []any:
		return errSerialization(serStartOfList)
	case map[string]any:
		return errSerialization(serStartOfMap)
	}
	return errInternal("unexpected JSON value")
}

// checkBlob checks a Blob member: a string of standard, padded base64.
func checkBlob(value any) ([]byte, *apiError) {
	switch v := value.(type) {
	case string:
		if len(v)%4 != 0 {
			return nil, errSerialization("'" + v + "' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: " + itoa(len(v)))
		}
		for i := 0; i < len(v); i++ {
			c := v[i]
			ok := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '='
			if c == '=' && i+1 < len(v) && v[i+1] != '=' {
				ok = false
			}
			if !ok {
				r, _ := utf8.DecodeRuneInString(v[i:])
				return nil, errSerialization("'" + v + "' can not be converted to a Blob: Invalid Base64 character: '" + string(r) + "'")
			}
		}
		b, err := base64.StdEncoding.Strict().DecodeString(v)
		if err != nil {
			return nil, errSerialization("'" + v + "' can not be converted to a Blob: Invalid last non-pad Base64 character dectected")
		}
		return b, nil
	case bool:
		return nil, errSerialization(coralBoolClass + " can not be converted to a Blob")
	case json.Number:
		return nil, errSerialization(coralNumberClass + " can not be converted to a Blob")
	case []any:
		return nil, errSerialization(serStartOfList)
	case map[string]any:
		return nil, errSerialization(serStartOfMap)
	}
	return nil, errInternal("unexpected JSON value")
}
