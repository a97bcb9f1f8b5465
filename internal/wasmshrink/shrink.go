package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// The Go runtime's findfunctab maps a PC to the functions near it: one 20-byte bucket (a uint32
// index into the function table, then 16 one-byte offsets) per 4096 bytes of text. On wasm a PC is
// the function's index shifted left by 16, so every function spans exactly 16 buckets whose index is
// the function's and whose offsets are all zero: the table is bucket b = {b >> 4, 16 zeros}, some
// 320 bytes of memory per function (1.5 MB for the module's 4,700 functions). The linker writes it
// as data segments that skip the zeros, one per bucket: 75,000 segments, each with an 8-byte header
// for its 2 bytes, some 750 KB of the module (130 KB gzip -9). shrink drops those segments and writes
// the table with a loop in the module's start function, which runs as the module is instantiated,
// before any export (_initialize included) can run Go code.
const (
	bucketSize       = 20 // findfuncbucket: idx uint32, subbuckets [16]byte
	bucketsPerFunc   = 16 // 1<<16 bytes of PC per function / 4096 bytes per bucket
	minBucketsToLoop = 64 * bucketsPerFunc
)

// result says what shrink did.
type result struct {
	tableAt, buckets     uint32 // the table's address and length in buckets; 0: not found, not written by a loop
	segmentsBefore, kept int
	fold                 *foldResult // nil: the module has no pclntab
	addr                 addrResult
}

// shrink answers module in fewer bytes, or module itself when there is nothing to rewrite: frame
// accesses at an offset from SP (code.go), the pclntab's inlining metadata folded (pcln.go), the
// findfunctab written by a start function instead of data segments. The rewritten module is
// checked before it is answered: its segments and the loop give the same memory as the original
// segments, byte for byte, but for the pclntab, which checkFold compares with the original; the
// code rewrite only takes out address arithmetic whose sum an access's offset adds instead.
func shrink(module []byte) ([]byte, result, error) {
	var res result
	secs, err := sections(module)
	if err != nil {
		return nil, res, err
	}
	dataIdx, codeIdx := -1, -1
	for i, s := range secs {
		switch s.id {
		case idCode:
			codeIdx = i
		case idData:
			dataIdx = i
		case idStart:
			return nil, res, errors.New("the module has a start function already")
		}
	}
	if dataIdx < 0 || codeIdx < 0 {
		return module, res, nil
	}
	code, addr, err := foldAddresses(secs)
	if err != nil {
		return nil, res, err
	}
	res.addr = addr
	secs[codeIdx].payload = code
	segs, err := dataSegments(secs[dataIdx].payload)
	if err != nil {
		return nil, res, err
	}
	res.segmentsBefore = len(segs)
	image := memoryImage(segs)
	switch fold, err := foldInlining(image); {
	case errors.Is(err, errNoPclntab):
	case err != nil:
		return nil, res, err
	default:
		res.fold = &fold
	}
	at, n := findTable(image)
	if n < minBucketsToLoop {
		at, n = 0, 0
	}
	if n == 0 && res.fold == nil && addr.loads+addr.stores == 0 {
		res.kept = len(segs)
		return module, res, nil
	}
	res.tableAt, res.buckets = at, n
	end := at + n*bucketSize

	// The memory but the table, in segments that skip runs of zeros.
	kept := segmentsOf(image[:at], 0)
	kept = append(kept, segmentsOf(image[end:], end)...)
	res.kept = len(kept)

	out, err := rebuild(secs, dataIdx, kept, at, n)
	if err != nil {
		return nil, res, err
	}
	if err := check(out, image, at, n); err != nil {
		return nil, res, fmt.Errorf("the rewritten module does not give the same memory: %v", err)
	}
	return out, res, nil
}

// segmentZeros is the shortest run of zeros between two segments: shorter ones cost less than the
// next segment's header (flags, i32.const and its address, end, length: 8 to 11 bytes).
const segmentZeros = 10

// segmentsOf answers segments that write mem at base: each begins and ends with a non-zero byte,
// and none is followed by fewer than segmentZeros zeros before the next.
func segmentsOf(mem []byte, base uint32) []segment {
	var segs []segment
	for i := 0; i < len(mem); {
		if mem[i] == 0 {
			i++
			continue
		}
		end := i + 1
		for z := end; z < len(mem); {
			if mem[z] != 0 {
				z++
				end = z
				continue
			}
			for z < len(mem) && mem[z] == 0 {
				z++
			}
			if z-end >= segmentZeros || z == len(mem) {
				break
			}
		}
		segs = append(segs, segment{base + uint32(i), mem[i:end]})
		i = end
	}
	return segs
}

// findTable answers the longest run of buckets {b >> 4, 16 zeros} in image, at a 4-byte aligned
// address.
func findTable(image []byte) (at, n uint32) {
	bucketOK := func(addr, b uint32) bool {
		if int(addr)+bucketSize > len(image) || binary.LittleEndian.Uint32(image[addr:]) != b/bucketsPerFunc {
			return false
		}
		for _, c := range image[addr+4 : addr+bucketSize] {
			if c != 0 {
				return false
			}
		}
		return true
	}
	for start := uint32(0); int(start)+bucketSize <= len(image); start += 4 {
		// A run must reach bucket 16 (index 1) to be a table; zeros alone match until then.
		if !bucketOK(start+bucketsPerFunc*bucketSize, bucketsPerFunc) || !bucketOK(start, 0) {
			continue
		}
		b := uint32(0)
		for bucketOK(start+b*bucketSize, b) {
			b++
		}
		if b > n {
			at, n = start, b
		}
	}
	return at, n
}

// check rebuilds the memory out gives (its segments, then the start function's loop) and compares it
// with image, the original module's.
func check(out, image []byte, at, n uint32) error {
	secs, err := sections(out)
	if err != nil {
		return err
	}
	var segs []segment
	for _, s := range secs {
		if s.id == idData {
			if segs, err = dataSegments(s.payload); err != nil {
				return err
			}
		}
	}
	got := memoryImage(segs)
	if len(got) < len(image) {
		got = append(got, make([]byte, len(image)-len(got))...)
	}
	for b := range n {
		binary.LittleEndian.PutUint32(got[at+b*bucketSize:], b/bucketsPerFunc)
	}
	if !bytes.Equal(got[:len(image)], image) || !allZero(got[len(image):]) {
		return errors.New("memory differs")
	}
	return nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
