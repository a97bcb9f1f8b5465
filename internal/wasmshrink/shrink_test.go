package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"testing"

	"github.com/tetratelabs/wazero"
)

// testModule is a module as Go writes one: a function, memory 0 exported, and data segments that
// skip runs of 8 zeros or more, among them a findfunctab of funcs functions at tableAt (if funcs > 0)
// and data on both sides of it; and two more segments (Go writes none such) that run over the
// table's edges, to be cut.
func testModule(t *testing.T, funcs int, tableAt uint32) (module, image []byte) {
	t.Helper()
	image = make([]byte, 128<<10)
	for i := range 4000 {
		image[i] = byte(i*7 + 1) // data before the table, up to its first byte
	}
	copy(image[tableAt-3:], []byte{9, 9, 9})
	for b := range uint32(funcs * bucketsPerFunc) {
		binary.LittleEndian.PutUint32(image[tableAt+b*bucketSize:], b/bucketsPerFunc)
	}
	after := tableAt + uint32(funcs*bucketsPerFunc)*bucketSize
	for i := range 3000 {
		image[int(after)+40+i] = byte(i*13 + 5)
	}
	var segs []segment
	for i := 0; i < len(image); {
		if image[i] == 0 {
			i++
			continue
		}
		end := i
		for end < len(image) {
			z := end
			for z < len(image) && image[z] == 0 {
				z++
			}
			if z-end >= 8 || z == len(image) {
				break
			}
			for z < len(image) && image[z] != 0 {
				z++
			}
			end = z
		}
		segs = append(segs, segment{uint32(i), image[i:end]})
		i = end
	}
	if funcs > 0 {
		segs = append(segs, segment{tableAt - 3, image[tableAt-3 : tableAt+2]}, segment{after - 20, image[after-20 : after+2]})
	}
	var out []byte
	out = append(out, wasmHeader...)
	out = appendSection(out, idType, []byte{1, 0x60, 1, 0x7f, 0}) // one type, (i32) -> (): not the start's
	out = appendSection(out, idFunction, []byte{1, 0})
	out = appendSection(out, 5, []byte{1, 0, 2}) // memory: 2 pages
	out = appendSection(out, idExport, []byte{1, 6, 'm', 'e', 'm', 'o', 'r', 'y', 2, 0})
	out = appendSection(out, idCode, []byte{1, 2, 0, 0x0b})
	out = appendSection(out, idData, appendSegments(nil, segs))
	return out, image
}

func memoryOf(t *testing.T, module []byte) []byte {
	t.Helper()
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	m, err := r.Instantiate(ctx, module)
	if err != nil {
		t.Fatal(err)
	}
	mem, ok := m.Memory().Read(0, m.Memory().Size())
	if !ok {
		t.Fatal("memory not readable")
	}
	return bytes.Clone(mem)
}

func TestShrinkGivesTheSameMemory(t *testing.T) {
	const tableAt = 4096
	module, image := testModule(t, 100, tableAt)
	out, res, err := shrink(module)
	if err != nil {
		t.Fatal(err)
	}
	if res.tableAt != tableAt || res.buckets != 100*bucketsPerFunc {
		t.Fatalf("found %d buckets at %#x", res.buckets, res.tableAt)
	}
	if res.kept >= res.segmentsBefore/10 || len(out) >= len(module)/2 {
		t.Fatalf("%d segments of %d kept, %d bytes of %d", res.kept, res.segmentsBefore, len(out), len(module))
	}
	// Instantiated (the start function run), both modules have the same memory, the image's.
	want := memoryOf(t, module)
	if !bytes.Equal(want[:len(image)], image) {
		t.Fatal("the test module does not initialize its image")
	}
	if !bytes.Equal(memoryOf(t, out), want) {
		t.Fatal("the shrunk module's memory differs")
	}
}

func TestShrinkLeavesAModuleWithoutTable(t *testing.T) {
	module, _ := testModule(t, 0, 4096)
	out, res, err := shrink(module)
	if err != nil || res.buckets != 0 || !bytes.Equal(out, module) {
		t.Fatalf("changed a module without a table: %v, %+v", err, res)
	}
	// Nor one whose table is too small to be worth a loop.
	module, _ = testModule(t, 10, 4096)
	if out, res, err = shrink(module); err != nil || res.buckets != 0 || !bytes.Equal(out, module) {
		t.Fatalf("changed a module with a small table: %v, %+v", err, res)
	}
}

func TestShrinkRefusesAModuleWithAStartFunction(t *testing.T) {
	module, _ := testModule(t, 100, 4096)
	out, _, err := shrink(module)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := shrink(out); err == nil {
		t.Fatal("shrunk a module twice")
	}
}
