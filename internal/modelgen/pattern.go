package main

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// The module links no regexp (its size budget), so the model's patterns become Go functions here.
// Most are one character class repeated, after an optional literal prefix: ^prefix[class]+$,
// [class]*, [class]{n,m}. The service matches a pattern against the whole value (Java's
// Pattern.matches), anchored or not. Other patterns are matched by hand (internal/kms/patterns.go);
// a test holds every matcher to Go's regexp.

// simplePattern is prefix, then min..max characters of the class (max -1: no limit).
type simplePattern struct {
	prefix   string
	ranges   [][2]rune
	min, max int
}

func parseSimplePattern(p string) (simplePattern, error) {
	var sp simplePattern
	s := strings.TrimSuffix(strings.TrimPrefix(p, "^"), "$")
	open := strings.IndexByte(s, '[')
	if open < 0 {
		return sp, fmt.Errorf("no character class")
	}
	sp.prefix = s[:open]
	if strings.ContainsAny(sp.prefix, `\()[]{}*+?|.^$`) {
		return sp, fmt.Errorf("prefix %q is not literal", sp.prefix)
	}
	end := classEnd(s, open)
	if end < 0 {
		return sp, fmt.Errorf("unterminated class")
	}
	var err error
	if sp.ranges, err = parseClass(s[open+1 : end]); err != nil {
		return sp, err
	}
	switch quant := s[end+1:]; {
	case quant == "+":
		sp.min, sp.max = 1, -1
	case quant == "*":
		sp.min, sp.max = 0, -1
	case strings.HasPrefix(quant, "{") && strings.HasSuffix(quant, "}"):
		lo, hi, comma := strings.Cut(quant[1:len(quant)-1], ",")
		if sp.min, err = strconv.Atoi(lo); err != nil {
			return sp, err
		}
		sp.max = sp.min
		if comma {
			if sp.max, err = strconv.Atoi(hi); err != nil {
				return sp, err
			}
		}
	default:
		return sp, fmt.Errorf("quantifier %q", quant)
	}
	return sp, nil
}

// classEnd finds the ] that closes the class opened at s[open].
func classEnd(s string, open int) int {
	for i := open + 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case ']':
			return i
		}
	}
	return -1
}

// parseClass reads a class body: literals, a-b ranges, \uXXXX, \w, \s, \d and escaped literals.
func parseClass(body string) ([][2]rune, error) {
	var out [][2]rune
	var items []rune // single characters, with -1 marking a range dash between two of them
	for i := 0; i < len(body); i++ {
		c := rune(body[i])
		switch {
		case c == '\\':
			if i+1 >= len(body) {
				return nil, fmt.Errorf("trailing backslash")
			}
			i++
			switch body[i] {
			case 'w':
				out = append(out, [2]rune{'a', 'z'}, [2]rune{'A', 'Z'}, [2]rune{'0', '9'}, [2]rune{'_', '_'})
			case 'd':
				out = append(out, [2]rune{'0', '9'})
			case 's': // Java's \s: [ \t\n\x0B\f\r]
				out = append(out, [2]rune{' ', ' '}, [2]rune{'\t', '\r'})
			case 'u':
				if i+4 >= len(body) {
					return nil, fmt.Errorf("short \\u escape")
				}
				n, err := strconv.ParseUint(body[i+1:i+5], 16, 32)
				if err != nil {
					return nil, err
				}
				items = append(items, rune(n))
				i += 4
			default:
				items = append(items, rune(body[i]))
			}
		case c == '-' && len(items) > 0 && i+1 < len(body):
			items = append(items, -1)
		default:
			items = append(items, c)
		}
	}
	for i := 0; i < len(items); i++ {
		if i+2 < len(items) && items[i+1] == -1 {
			out = append(out, [2]rune{items[i], items[i+2]})
			i += 2
			continue
		}
		if items[i] == -1 {
			items[i] = '-'
		}
		out = append(out, [2]rune{items[i], items[i]})
	}
	return out, nil
}

// writeMatcher writes the Go function that matches the simple pattern p.
func writeMatcher(b *bytes.Buffer, fn, p string) error {
	sp, err := parseSimplePattern(p)
	if err != nil {
		return err
	}
	fmt.Fprintf(b, "// %s reports whether s matches %s in full.\nfunc %s(s string) bool {\n", fn, p, fn)
	if sp.prefix != "" {
		fmt.Fprintf(b, "\trest, ok := strings.CutPrefix(s, %q)\n\tif !ok {\n\t\treturn false\n\t}\n\ts = rest\n", sp.prefix)
	}
	counted := sp.min > 0 || sp.max >= 0
	if counted {
		b.WriteString("\tn := 0\n")
	}
	b.WriteString("\tfor _, c := range s {\n\t\tif !(")
	for i, r := range sp.ranges {
		if i > 0 {
			b.WriteString(" || ")
		}
		if r[0] == r[1] {
			fmt.Fprintf(b, "c == %+q", r[0])
		} else {
			fmt.Fprintf(b, "c >= %+q && c <= %+q", r[0], r[1])
		}
	}
	b.WriteString(") {\n\t\t\treturn false\n\t\t}\n")
	if counted {
		b.WriteString("\t\tn++\n")
	}
	b.WriteString("\t}\n")
	switch {
	case !counted:
		b.WriteString("\treturn true\n}\n\n")
	case sp.max < 0:
		fmt.Fprintf(b, "\treturn n >= %d\n}\n\n", sp.min)
	default:
		fmt.Fprintf(b, "\treturn n >= %d && n <= %d\n}\n\n", sp.min, sp.max)
	}
	return nil
}
