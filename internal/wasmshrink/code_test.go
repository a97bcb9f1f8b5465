package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/tetratelabs/wazero"
)

// frameModule is a module as Go writes one: a function f, (i32) -> i32, whose local 1 is declared
// with type local1 (Go's SP: an i32), with code as its body; memory 0 exported, and a data segment.
func frameModule(local1 byte, code []byte) []byte {
	body := append([]byte{1, 1, local1}, code...) // one local declaration: 1 of type local1
	body = append(body, 0x0b)
	payload := appendU32(appendU32(nil, 1), uint32(len(body)))
	var out []byte
	out = append(out, wasmHeader...)
	out = appendSection(out, idType, []byte{1, 0x60, 1, valI32, 1, valI32})
	out = appendSection(out, idFunction, []byte{1, 0})
	out = appendSection(out, 5, []byte{1, 0, 1}) // memory: 1 page
	out = appendSection(out, idExport, []byte{2, 1, 'f', 0, 0, 6, 'm', 'e', 'm', 'o', 'r', 'y', 2, 0})
	out = appendSection(out, idCode, append(payload, body...))
	return appendSection(out, idData, appendSegments(nil, []segment{{2048, []byte{1, 2, 3}}}))
}

// sp is Go's frame address: local 1, plus c, in 64 bits, wrapped.
func sp(c int64) []byte {
	return append(appendS64([]byte{opLocalGet, 1, opI64Extend, opI64Const}, c), opI64Add, opI32Wrap)
}

func i64Const(v int64) []byte { return appendS64([]byte{opI64Const}, v) }

func appendS64(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// callF instantiates module, calls f(0) and answers its result and memory.
func callF(t *testing.T, module []byte) (uint64, []byte) {
	t.Helper()
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	m, err := r.Instantiate(ctx, module)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.ExportedFunction("f").Call(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	mem, _ := m.Memory().Read(0, m.Memory().Size())
	return res[0], bytes.Clone(mem)
}

// Frame loads and stores (the value a constant, a local, a load, an expression over them) are
// rewritten as accesses at an offset from local 1, and the function answers and writes the same;
// an address that feeds anything else, lies below local 1, or a value that sets a local, is left
// as it is.
func TestFoldAddressesKeepsWhatCodeDoes(t *testing.T) {
	i64store, i64load := []byte{0x37, 3, 0}, []byte{0x29, 3, 0}
	code := cat(
		[]byte{0x41, 0x80, 0x08, 0x21, 1},       // local 1 = 1024
		sp(8), i64Const(0x1122334455), i64store, // a constant
		sp(16), []byte{0x20, 1, opI64Extend}, i64store, // a local, extended
		sp(24), sp(8), []byte{0x29, 3, 4}, i64Const(3), []byte{0x7e}, i64store, // a frame load at offset 4, times 3
		sp(40), []byte{0x20, 0, 0x29, 3, 0, opI32Wrap}, []byte{0x36, 2, 8}, // a load through local 0, as an i32 at offset 8
		sp(300), i64Const(-1), []byte{0x3c, 0, 1}, // i64.store8 at offset 1, C over 127
		sp(64), []byte{0x41, 7, 0x41, 4, 0xfc, 11, 0}, // memory.fill: left
		sp(-8), i64Const(5), i64store, // below local 1: left
		sp(48), []byte{0x20, 1, 0x21, 0, 0x20, 0, opI64Extend}, i64store, // local.set in the value: left
		sp(24), i64load, sp(16), i64load, []byte{opI64Add, opI32Wrap}, // the result: two frame loads
	)
	module := frameModule(valI32, code)
	out, res, err := shrink(module)
	if err != nil {
		t.Fatal(err)
	}
	if res.addr.loads != 3 || res.addr.stores != 5 || len(out) >= len(module) {
		t.Fatalf("rewrote %d loads and %d stores, %d -> %d bytes", res.addr.loads, res.addr.stores, len(module), len(out))
	}
	wantResult, wantMem := callF(t, module)
	gotResult, gotMem := callF(t, out)
	if gotResult != wantResult || !bytes.Equal(gotMem, wantMem) {
		t.Fatalf("result %d, want %d; same memory: %v", gotResult, wantResult, bytes.Equal(gotMem, wantMem))
	}
	// The frame load at SP+12 reads 0x11 and the low half of 1024: three times that plus 1024.
	if wantResult != 0x33+1024 {
		t.Fatalf("the test's function answers %#x", wantResult)
	}
}

// A body whose local 1 is not an i32 (not Go's SP) is left as it is.
func TestFoldAddressesNeedsAnI32Local1(t *testing.T) {
	secs, err := sections(frameModule(0x7e, cat(sp(8), i64Const(1), []byte{0x37, 3, 0}, []byte{0x41, 0})))
	if err != nil {
		t.Fatal(err)
	}
	if _, res, err := foldAddresses(secs); err != nil || res.loads+res.stores != 0 {
		t.Fatalf("%v, %+v", err, res)
	}
}
