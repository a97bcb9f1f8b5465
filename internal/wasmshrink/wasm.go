package main

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
)

// The parts of the wasm binary format (WebAssembly 2.0, section 5) that shrink reads and writes.

const (
	idType     = 1
	idImport   = 2
	idFunction = 3
	idExport   = 7
	idStart    = 8
	idCode     = 10
	idData     = 11
	idDataCnt  = 12
)

var wasmHeader = []byte("\x00asm\x01\x00\x00\x00")

type section struct {
	id      byte
	payload []byte
}

var errTruncated = errors.New("truncated wasm module")

func u32(b []byte) (v uint32, rest []byte, err error) {
	for shift := 0; shift < 35; shift += 7 {
		if len(b) == 0 {
			return 0, nil, errTruncated
		}
		c := b[0]
		b = b[1:]
		v |= uint32(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, b, nil
		}
	}
	return 0, nil, errors.New("LEB128 number longer than 5 bytes")
}

func appendU32(b []byte, v uint32) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// appendS32 appends v as a signed LEB128 (i32.const's immediate).
func appendS32(b []byte, v int32) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func sections(module []byte) ([]section, error) {
	if !bytes.HasPrefix(module, wasmHeader) {
		return nil, errors.New("not a wasm module (version 1)")
	}
	var secs []section
	b := module[len(wasmHeader):]
	for len(b) > 0 {
		id := b[0]
		n, rest, err := u32(b[1:])
		if err != nil {
			return nil, err
		}
		if uint32(len(rest)) < n {
			return nil, errTruncated
		}
		secs = append(secs, section{id, rest[:n]})
		b = rest[n:]
	}
	return secs, nil
}

func appendSection(b []byte, id byte, payload []byte) []byte {
	b = append(b, id)
	b = appendU32(b, uint32(len(payload)))
	return append(b, payload...)
}

// segment is an active data segment of memory 0 at a constant offset, the only kind Go writes.
type segment struct {
	offset uint32
	data   []byte
}

func dataSegments(payload []byte) ([]segment, error) {
	count, b, err := u32(payload)
	if err != nil {
		return nil, err
	}
	segs := make([]segment, 0, count)
	for range count {
		// mode 0 (active, memory 0), i32.const <offset>, end
		if len(b) < 2 || b[0] != 0 || b[1] != 0x41 {
			return nil, errors.New("a data segment that is not active at an i32.const offset")
		}
		var off int64
		var shift uint
		b = b[2:]
		for {
			if len(b) == 0 || shift > 28 {
				return nil, errTruncated
			}
			c := b[0]
			b = b[1:]
			off |= int64(c&0x7f) << shift
			shift += 7
			if c&0x80 == 0 {
				if c&0x40 != 0 {
					off -= 1 << shift
				}
				break
			}
		}
		if len(b) == 0 || b[0] != 0x0b || off < 0 || off > 1<<32-1 {
			return nil, errors.New("a data segment's offset is not a constant address")
		}
		var n uint32
		if n, b, err = u32(b[1:]); err != nil {
			return nil, err
		}
		if uint32(len(b)) < n {
			return nil, errTruncated
		}
		segs = append(segs, segment{uint32(off), b[:n]})
		b = b[n:]
	}
	if len(b) != 0 {
		return nil, errors.New("bytes after the last data segment")
	}
	return segs, nil
}

func appendSegments(b []byte, segs []segment) []byte {
	b = appendU32(b, uint32(len(segs)))
	for _, s := range segs {
		b = append(b, 0, 0x41)
		b = appendS32(b, int32(s.offset))
		b = append(b, 0x0b)
		b = appendU32(b, uint32(len(s.data)))
		b = append(b, s.data...)
	}
	return b
}

// memoryImage is the memory the segments initialize, up to the last byte one writes.
func memoryImage(segs []segment) []byte {
	var size uint32
	for _, s := range segs {
		size = max(size, s.offset+uint32(len(s.data)))
	}
	image := make([]byte, size)
	for _, s := range segs {
		copy(image[s.offset:], s.data)
	}
	return image
}

// countedItems reads a section that is a vector (its count, then the items).
func countedItems(payload []byte) (count uint32, items []byte, err error) {
	return u32(payload)
}

// importedFunctions counts the import section's functions (they come first in the function index
// space).
func importedFunctions(payload []byte) (uint32, error) {
	count, b, err := u32(payload)
	if err != nil {
		return 0, err
	}
	var funcs uint32
	skipName := func() error {
		n, rest, err := u32(b)
		if err != nil || uint32(len(rest)) < n {
			return errTruncated
		}
		b = rest[n:]
		return nil
	}
	for range count {
		if err := skipName(); err != nil {
			return 0, err
		}
		if err := skipName(); err != nil {
			return 0, err
		}
		if len(b) == 0 {
			return 0, errTruncated
		}
		kind := b[0]
		b = b[1:]
		switch kind {
		case 0: // function: its type index
			funcs++
			if _, b, err = u32(b); err != nil {
				return 0, err
			}
		case 1: // table: reference type, limits
			if len(b) == 0 {
				return 0, errTruncated
			}
			if b, err = skipLimits(b[1:]); err != nil {
				return 0, err
			}
		case 2: // memory: limits
			if b, err = skipLimits(b); err != nil {
				return 0, err
			}
		case 3: // global: value type, mutability
			if len(b) < 2 {
				return 0, errTruncated
			}
			b = b[2:]
		default:
			return 0, fmt.Errorf("import of unknown kind %d", kind)
		}
	}
	return funcs, nil
}

func skipLimits(b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, errTruncated
	}
	flags := b[0]
	_, b, err := u32(b[1:])
	if err == nil && flags&1 != 0 {
		_, b, err = u32(b)
	}
	return b, err
}

// funcTypeVoid is the function type () -> ().
var funcTypeVoid = []byte{0x60, 0, 0}

// voidTypeIndex answers the index of the type () -> () in the type section, appending it if the
// section has none.
func voidTypeIndex(payload []byte) (index uint32, newPayload []byte, err error) {
	count, b, err := countedItems(payload)
	if err != nil {
		return 0, nil, err
	}
	for i := range count {
		if bytes.HasPrefix(b, funcTypeVoid) {
			return i, payload, nil
		}
		if len(b) == 0 || b[0] != 0x60 {
			return 0, nil, errors.New("a type that is not a function type")
		}
		b = b[1:]
		for range 2 { // parameters, results: vectors of one-byte value types
			n, rest, err := u32(b)
			if err != nil || uint32(len(rest)) < n {
				return 0, nil, errTruncated
			}
			b = rest[n:]
		}
	}
	_, items, _ := countedItems(payload)
	newPayload = appendU32(nil, count+1)
	newPayload = append(newPayload, items...)
	return count, append(newPayload, funcTypeVoid...), nil
}

// appendItem appends one item to a vector section.
func appendItem(payload, item []byte) ([]byte, uint32, error) {
	count, items, err := countedItems(payload)
	if err != nil {
		return nil, 0, err
	}
	out := appendU32(nil, count+1)
	out = append(out, items...)
	return append(out, item...), count, nil
}

// fillBody is the code of the start function: for b in [0, n): store32(at + 20b, b >> 4).
func fillBody(at, n uint32) []byte {
	code := []byte{
		0x01, 0x01, 0x7f, // one local, i32: b
		0x03, 0x40, // loop
		0x20, 0x00, 0x41, bucketSize, 0x6c, // b * 20
		0x41} // + at
	code = appendS32(code, int32(at))
	code = append(code, 0x6a,
		0x20, 0x00, 0x41, 0x04, 0x76, // b >> 4
		0x36, 0x02, 0x00, // i32.store align=4 offset=0
		0x20, 0x00, 0x41, 0x01, 0x6a, 0x22, 0x00, // b = b + 1
		0x41) // b < n
	code = appendS32(code, int32(n))
	code = append(code, 0x49, 0x0d, 0x00, // br_if 0 (the loop)
		0x0b, // end loop
		0x0b) // end function
	return append(appendU32(nil, uint32(len(code))), code...)
}

// rebuild writes the module with kept as its data segments and a start function that fills the
// table of n buckets at at (none if n is 0).
func rebuild(secs []section, dataIdx int, kept []segment, at, n uint32) ([]byte, error) {
	if n == 0 {
		secs = slices.Clone(secs)
		for i, s := range secs {
			if s.id == idDataCnt {
				secs[i].payload = appendU32(nil, uint32(len(kept)))
			}
		}
		secs[dataIdx].payload = appendSegments(nil, kept)
		out := slices.Clone(wasmHeader)
		for _, s := range secs {
			out = appendSection(out, s.id, s.payload)
		}
		return out, nil
	}
	var imported, defined uint32
	var typeIdx uint32
	var err error
	secs = append([]section(nil), secs...)
	for i, s := range secs {
		switch s.id {
		case idType:
			if typeIdx, secs[i].payload, err = voidTypeIndex(s.payload); err != nil {
				return nil, err
			}
		case idImport:
			if imported, err = importedFunctions(s.payload); err != nil {
				return nil, err
			}
		case idFunction:
			if secs[i].payload, defined, err = appendItem(s.payload, appendU32(nil, typeIdx)); err != nil {
				return nil, err
			}
		case idCode:
			if secs[i].payload, _, err = appendItem(s.payload, fillBody(at, n)); err != nil {
				return nil, err
			}
		case idDataCnt:
			secs[i].payload = appendU32(nil, uint32(len(kept)))
		}
	}
	secs[dataIdx].payload = appendSegments(nil, kept)
	start := section{idStart, appendU32(nil, imported+defined)}

	out := append([]byte(nil), wasmHeader...)
	placed := false
	for _, s := range secs {
		// The start section goes after the export section (custom sections aside, the known
		// sections come in the order of their ids up to data count, which comes before code).
		if !placed && s.id != 0 && s.id > idExport && s.id != idDataCnt {
			out = appendSection(out, start.id, start.payload)
			placed = true
		}
		out = appendSection(out, s.id, s.payload)
	}
	if !placed {
		return nil, errors.New("no section after the exports to put the start function before")
	}
	return out, nil
}
