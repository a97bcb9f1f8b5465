package main

import (
	"bytes"
	"strings"
	"testing"
)

func leb(v uint32) []byte {
	var b []byte
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func sec(id byte, payload []byte) []byte {
	return append(append([]byte{id}, leb(uint32(len(payload)))...), payload...)
}

func str(s string) []byte { return append(leb(uint32(len(s))), s...) }

// A module with one imported function and three of its own, named as Go's linker names them.
func testModule() []byte {
	m := []byte("\x00asm\x01\x00\x00\x00")
	m = append(m, sec(1, []byte{1, 0x60, 0, 0})...)
	imp := append([]byte{1}, str("env")...)
	imp = append(imp, str("f")...)
	m = append(m, sec(2, append(imp, 0, 0))...)
	m = append(m, sec(3, []byte{3, 0, 0, 0})...)
	code := []byte{3}
	for _, size := range []int{10, 20, 40} {
		body := append([]byte{0}, bytes.Repeat([]byte{1}, size-2)...) // no locals, nops
		body = append(body, 0x0b)
		code = append(append(code, leb(uint32(len(body)))...), body...)
	}
	m = append(m, sec(10, code)...)
	names := []byte{4}
	for i, n := range []string{"env.f", "crypto_internal_fips140_nistec.__P256Point_.Add",
		"type_.eq.github.com_a_b_c.T", "main.main"} {
		names = append(append(names, leb(uint32(i))...), str(n)...)
	}
	m = append(m, sec(0, append(str("name"), append([]byte{1}, append(leb(uint32(len(names))), names...)...)...))...)
	return m
}

func TestCodeByPackage(t *testing.T) {
	m, err := parse(testModule())
	if err != nil {
		t.Fatal(err)
	}
	if m.imported != 1 || len(m.bodies) != 3 || m.names[1] != "crypto_internal_fips140_nistec.__P256Point_.Add" {
		t.Fatalf("parsed %+v", m)
	}
	d := &deps{packages: map[string]string{}, modules: map[string]string{}}
	for path, module := range map[string]string{"crypto/internal/fips140/nistec": "std", "crypto/internal/fips140": "std",
		"github.com/a/b/c": "github.com/a/b", "example.com/cmd": "example.com"} {
		d.packages[sanitize(path)] = path
		d.modules[path] = module
	}
	d.packages["main"] = "example.com/cmd"
	var out strings.Builder
	report(&out, testModule(), m, d, 10)
	for _, want := range []string{"\n10\t14.3%\tcrypto/internal/fips140/nistec\n", "\n20\t28.6%\tgithub.com/a/b/c\n",
		"\n40\t57.1%\texample.com/cmd\n", "\n40\t57.1%\texample.com\n", "\n10\t14.3%\tstd\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in\n%s", want, out.String())
		}
	}
}
