package main

import (
	"bytes"
	"errors"
	"fmt"
)

// module is what wasmsize reads of a wasm binary: each section's size, the number of imported
// functions (the code section's bodies are numbered after them), each body's size and the function
// names of the name section.
type module struct {
	sections    []section
	imported    int
	bodies      []int
	names       map[uint32]string
	nameSection int // the name section's whole size, header included
}

type section struct {
	name string
	size int // header included
}

var sectionNames = []string{"custom", "type", "import", "function", "table", "memory", "global",
	"export", "start", "element", "code", "data", "data count"}

var errTruncated = errors.New("truncated wasm module")

// reader walks a byte slice; its first error sticks, and later reads answer zero.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.b = nil
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.fail(errTruncated)
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) u32() uint32 {
	var v uint32
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		v |= uint32(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
	r.fail(errors.New("LEB128 number longer than 5 bytes"))
	return 0
}

func (r *reader) bytes(n uint32) []byte {
	if uint64(n) > uint64(len(r.b)) {
		r.fail(errTruncated)
		return nil
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}

func (r *reader) name() string { return string(r.bytes(r.u32())) }

func parse(data []byte) (*module, error) {
	if !bytes.HasPrefix(data, []byte("\x00asm\x01\x00\x00\x00")) {
		return nil, errors.New("not a wasm module (version 1)")
	}
	m := &module{names: map[uint32]string{}}
	r := &reader{b: data[8:]}
	for len(r.b) > 0 && r.err == nil {
		start := len(r.b)
		id := r.byte()
		body := &reader{b: r.bytes(r.u32())}
		size := start - len(r.b)
		name := fmt.Sprintf("id %d", id)
		if int(id) < len(sectionNames) {
			name = sectionNames[id]
		}
		switch id {
		case 0:
			custom := body.name()
			name = "custom " + custom
			if custom == "name" {
				m.nameSection = size
				readNames(body, m.names)
			}
		case 2:
			m.imported = countImportedFunctions(body)
		case 10:
			for n := body.u32(); n > 0 && body.err == nil; n-- {
				m.bodies = append(m.bodies, len(body.bytes(body.u32())))
			}
		}
		if body.err != nil {
			return nil, fmt.Errorf("section %s: %v", name, body.err)
		}
		m.sections = append(m.sections, section{name, size})
	}
	return m, r.err
}

// readNames reads the name section's function names (subsection 1); the others are skipped.
func readNames(r *reader, names map[uint32]string) {
	for len(r.b) > 0 && r.err == nil {
		id := r.byte()
		sub := &reader{b: r.bytes(r.u32())}
		if id != 1 {
			continue
		}
		for n := sub.u32(); n > 0 && sub.err == nil; n-- {
			idx := sub.u32()
			names[idx] = sub.name()
		}
		if sub.err != nil {
			r.fail(sub.err)
		}
	}
}

// countImportedFunctions reads the import section and answers how many of its imports are functions.
func countImportedFunctions(r *reader) int {
	funcs := 0
	for n := r.u32(); n > 0 && r.err == nil; n-- {
		r.name() // module
		r.name() // field
		switch kind := r.byte(); kind {
		case 0: // function: its type index
			r.u32()
			funcs++
		case 1: // table: reference type and limits
			r.byte()
			limits(r)
		case 2: // memory
			limits(r)
		case 3: // global: value type and mutability
			r.byte()
			r.byte()
		default:
			r.fail(fmt.Errorf("import of unknown kind %d", kind))
		}
	}
	return funcs
}

func limits(r *reader) {
	if r.byte()&1 != 0 {
		r.u32()
	}
	r.u32()
}
