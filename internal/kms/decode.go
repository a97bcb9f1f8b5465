package kms

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"reflect"
	"strings"
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
// An empty body counts as {}.
func decodeRequest(body []byte, req any) *apiError {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		trimmed = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil || dec.More() {
		// Coral answers a body that is not JSON with a bare SerializationException.
		return errSerialization("")
	}
	normalized, apiErr := checkJSONType(tree, reflect.TypeOf(req).Elem())
	if apiErr != nil {
		return apiErr
	}
	clean, err := json.Marshal(normalized)
	if err != nil {
		return errInternal("re-encoding a checked request: " + err.Error())
	}
	if err := json.Unmarshal(clean, req); err != nil {
		return errInternal("decoding a checked request: " + err.Error())
	}
	return nil
}

var byteSliceType = reflect.TypeOf([]byte(nil))

// checkJSONType answers value converted to what t's JSON decoding accepts (integers floored, nulls
// and unknown members dropped), or the SerializationException for a wrong JSON type.
func checkJSONType(value any, t reflect.Type) (any, *apiError) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == byteSliceType {
		return checkBlob(value)
	}
	switch t.Kind() {
	case reflect.String:
		switch v := value.(type) {
		case string:
			return v, nil
		case bool:
			return nil, errSerialization(coralBoolClass + " can not be converted to an String")
		case json.Number:
			return nil, errSerialization(coralNumberClass + " can not be converted to an String")
		}
	case reflect.Int, reflect.Int32, reflect.Int64:
		switch v := value.(type) {
		case json.Number:
			f, err := v.Float64()
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f > math.MaxInt32 || f < math.MinInt32 {
				// Coral's Integer is 32-bit; a larger number does not fit.
				return nil, errSerialization(coralNumberClass + " can not be converted to an Integer")
			}
			return int64(math.Floor(f)), nil
		case bool:
			return nil, errSerialization(coralBoolClass + " can not be converted to an Integer")
		case string:
			return nil, errSerialization(coralStringClass + " can not be converted to an Integer")
		}
	case reflect.Bool:
		switch v := value.(type) {
		case bool:
			return v, nil
		case json.Number:
			return nil, errSerialization(coralNumberClass + " can not be converted to an Boolean")
		case string:
			// Coral converts the strings true and false (any case) and rejects the rest.
			switch strings.ToLower(v) {
			case "true":
				return true, nil
			case "false":
				return false, nil
			}
			return nil, errSerialization("'" + strings.ToUpper(v) + "' can not be converted to an Boolean")
		}
	case reflect.Map:
		m, isMap := value.(map[string]any)
		if !isMap {
			if _, isList := value.([]any); isList {
				return nil, errSerialization(serStartOfList)
			}
			return nil, errSerialization(serExpectedMap)
		}
		out := make(map[string]any, len(m))
		for k, v := range m {
			if v == nil {
				continue
			}
			cv, err := checkJSONType(v, t.Elem())
			if err != nil {
				return nil, err
			}
			out[k] = cv
		}
		return out, nil
	case reflect.Slice:
		list, isList := value.([]any)
		if !isList {
			if _, isMap := value.(map[string]any); isMap {
				return nil, errSerialization(serStartOfMap)
			}
			return nil, errSerialization(serExpectedList)
		}
		out := make([]any, 0, len(list))
		for _, v := range list {
			if v == nil {
				continue
			}
			cv, err := checkJSONType(v, t.Elem())
			if err != nil {
				return nil, err
			}
			out = append(out, cv)
		}
		return out, nil
	case reflect.Struct:
		m, isMap := value.(map[string]any)
		if !isMap {
			if _, isList := value.([]any); isList {
				return nil, errSerialization(serStartOfList)
			}
			return nil, errSerialization(serExpectedNull)
		}
		out := make(map[string]any, len(m))
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			if name == "" || name == "-" {
				continue
			}
			v, ok := m[name]
			if !ok || v == nil {
				continue
			}
			cv, err := checkJSONType(v, f.Type)
			if err != nil {
				return nil, err
			}
			out[name] = cv
		}
		return out, nil
	default:
		return nil, errInternal("request field of unsupported kind " + t.Kind().String())
	}
	// A scalar type given a list or a structure.
	switch value.(type) {
	case []any:
		return nil, errSerialization(serStartOfList)
	case map[string]any:
		return nil, errSerialization(serStartOfMap)
	}
	return nil, errInternal("unexpected JSON value")
}

// checkBlob checks a Blob member: a string of standard, padded base64.
func checkBlob(value any) (any, *apiError) {
	switch v := value.(type) {
	case string:
		if len(v)%4 != 0 {
			return nil, errSerialization("'" + v + "' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: " + itoa(len(v)))
		}
		for i, c := range v {
			ok := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '='
			if c == '=' && i+1 < len(v) && v[i+1] != '=' {
				ok = false
			}
			if !ok {
				return nil, errSerialization("'" + v + "' can not be converted to a Blob: Invalid Base64 character: '" + string(c) + "'")
			}
		}
		if _, err := base64.StdEncoding.Strict().DecodeString(v); err != nil {
			return nil, errSerialization("'" + v + "' can not be converted to a Blob: Invalid last non-pad Base64 character dectected")
		}
		return v, nil
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
