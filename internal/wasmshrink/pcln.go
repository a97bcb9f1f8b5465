package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// The Go runtime's function table (pclntab) keeps, for every function the compiler inlined into
// another, an inline tree (16 bytes a call, in go:func.*) and a PC → tree index table, and its PC →
// file and PC → line tables name the inlined function's lines. The runtime reads them to show
// inlined calls as frames of their own in tracebacks (panics, debug.Stack, runtime.Callers and
// CallersFrames, profiles); keepsInlining says why nothing else in this module needs them. In the
// module they are some 350 KB of the 2.2 MB of data, and 270 KB of it is gone after foldInlining:
// each PC of inlined code gets the file and line of the call site in the function it was inlined
// into (what a build without inlining would say for it), the inline trees and index tables go,
// and the PC tables and function names nothing points at any more are left out (pctab and
// funcnametab are written again, compacted, in their place; the zeros after them are no data
// segment). The stack maps, SP deltas, unsafe points and every other table read the same. A
// traceback then shows the functions that have code of their own, at the lines of their calls, as
// a build with -gcflags=-l would; the code, and so what the module does, is unchanged.
//
// The layout is Go 1.26's (runtime/runtime2.go _func, runtime/symtab.go moduledata and pcHeader,
// runtime/symtabinl.go inlinedCall), for a 64-bit wasm: foldInlining refuses a table whose header
// or moduledata does not read as that.

const (
	pclnMagic       = 0xfffffff1 // abi.Go120PCLnTabMagic
	funcHeaderSize  = 44         // _func up to its pcdata offsets
	inlinedCallSize = 16         // inlinedCall
	pcdataInlTree   = 2          // abi.PCDATA_InlTreeIndex
	funcdataInlTree = 3          // abi.FUNCDATA_InlTree
	noFuncdata      = ^uint32(0)
	moduledataWords = 42 // pcHeader .. epclntab, each a pointer or a slice's three words
	mdGofunc        = 40 // moduledata.gofunc, in words
)

var errNoPclntab = errors.New("no Go 1.20+ pclntab header for a 64-bit wasm")

// pclntab is the runtime's function table in a memory image: where its parts are (addresses) and
// each function's _func.
type pclntab struct {
	image                                      []byte
	header, moduledata                         uint32
	funcnametab, cutab, filetab, pctab, pcfunc span // pcfunc: pclntable, the functab then the _funcs
	gofunc                                     uint32
	funcs                                      []fn
}

type span struct{ at, n uint32 }

func (s span) end() uint32 { return s.at + s.n }

// fn is one _func: its address, its PC range (relative to its entry) and its fields that foldInlining
// reads or writes.
type fn struct {
	at        uint32 // the _func's address
	size      uint32 // its PCs: [0, size) from its entry
	nameOff   uint32
	pcsp      uint32
	pcfile    uint32
	pcln      uint32
	pcdata    []uint32
	funcdata  []uint32
	cuOffset  uint32
	npcdataAt uint32 // where the pcdata offsets start
}

func readPclntab(image []byte) (*pclntab, error) {
	le := binary.LittleEndian
	word := func(at uint32) uint64 { return le.Uint64(image[at:]) }
	var magic [8]byte
	le.PutUint32(magic[:], pclnMagic)
	magic[6], magic[7] = 1, 8 // pad1, pad2 = 0; minLC 1; ptrSize 8
	var failed error = errNoPclntab
	for from := 0; ; {
		i := bytes.Index(image[from:], magic[:])
		if i < 0 {
			return nil, failed
		}
		hdr := uint32(from + i)
		from += i + 1
		if hdr%8 != 0 || int(hdr)+72 > len(image) {
			continue
		}
		// The moduledata begins with a pointer to the header and the funcnametab slice.
		var ptr [8]byte
		le.PutUint64(ptr[:], uint64(hdr))
		for mfrom := 0; ; {
			j := bytes.Index(image[mfrom:], ptr[:])
			if j < 0 {
				break
			}
			md := uint32(mfrom + j)
			mfrom += j + 1
			if md%8 != 0 || int(md)+8*moduledataWords > len(image) {
				continue
			}
			t := &pclntab{image: image, header: hdr, moduledata: md}
			if failed = t.read(word); failed == nil {
				return t, nil
			}
		}
	}
}

// read fills t from the header and moduledata at t.header and t.moduledata, checking that each
// slice of the moduledata is where the header's offsets put it.
func (t *pclntab) read(word func(uint32) uint64) error {
	le := binary.LittleEndian
	image, hdr, md := t.image, t.header, t.moduledata
	nfunc := word(hdr + 8)
	parts := []*span{&t.funcnametab, &t.cutab, &t.filetab, &t.pctab, &t.pcfunc}
	for k, p := range parts {
		at := uint64(hdr) + word(hdr+32+8*uint32(k))
		ptr, n := word(md+8+24*uint32(k)), word(md+16+24*uint32(k))
		if k == 1 {
			n *= 4 // cutab is a []uint32
		}
		if ptr != at || ptr+n > uint64(len(image)) {
			return errors.New("moduledata does not match the pclntab header")
		}
		*p = span{uint32(ptr), uint32(n)}
	}
	ftab, ftabN := word(md+8+24*5), word(md+16+24*5)
	if ftab != uint64(t.pcfunc.at) || ftabN != nfunc+1 {
		return errors.New("moduledata's ftab is not the pclntable's start")
	}
	t.gofunc = uint32(word(md + 8*mdGofunc))
	t.funcs = make([]fn, nfunc)
	for k := range t.funcs {
		e := t.pcfunc.at + 8*uint32(k)
		entry, off, next := le.Uint32(image[e:]), le.Uint32(image[e+4:]), le.Uint32(image[e+8:])
		at := t.pcfunc.at + off
		if next < entry || at+funcHeaderSize > t.pcfunc.end() {
			return errors.New("a functab entry out of order or out of the table")
		}
		f := fn{at: at, size: next - entry, nameOff: le.Uint32(image[at+4:]),
			pcsp: le.Uint32(image[at+16:]), pcfile: le.Uint32(image[at+20:]), pcln: le.Uint32(image[at+24:]),
			cuOffset: le.Uint32(image[at+32:]), npcdataAt: at + funcHeaderSize}
		if le.Uint32(image[at:]) != entry {
			return errors.New("a _func's entry differs from its functab entry")
		}
		npcdata, nfuncdata := le.Uint32(image[at+28:]), uint32(image[at+43])
		if f.npcdataAt+4*(npcdata+nfuncdata) > t.pcfunc.end() {
			return errors.New("a _func runs out of the table")
		}
		for i := range npcdata {
			f.pcdata = append(f.pcdata, le.Uint32(image[f.npcdataAt+4*i:]))
		}
		for i := range nfuncdata {
			f.funcdata = append(f.funcdata, le.Uint32(image[f.npcdataAt+4*(npcdata+i):]))
		}
		t.funcs[k] = f
	}
	return nil
}

// run is one step of a PC table: value val for the PCs up to end (exclusive, from the entry).
type run struct {
	end uint32
	val int32
}

// decode reads the PC table at off in pctab (0: no table, nil).
func (t *pclntab) decode(off uint32) ([]run, error) {
	if off == 0 {
		return nil, nil
	}
	if off >= t.pctab.n {
		return nil, errors.New("a PC table offset out of pctab")
	}
	b := t.image[t.pctab.at+off : t.pctab.end()]
	var runs []run
	var pc uint32
	val := int32(-1)
	for first := true; ; first = false {
		uv, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errors.New("a PC table runs out of pctab")
		}
		if uv == 0 && !first {
			return runs, nil
		}
		b = b[n:]
		d := uint32(uv)
		val += int32(-(d & 1) ^ (d >> 1))
		pd, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errors.New("a PC table runs out of pctab")
		}
		b = b[n:]
		pc += uint32(pd)
		runs = append(runs, run{pc, val})
	}
}

// at answers the value of runs at pc, -1 past its end (as the runtime's pcvalue answers).
func at(runs []run, pc uint32) int32 {
	for _, r := range runs {
		if pc < r.end {
			return r.val
		}
	}
	return -1
}

// encode writes runs as the linker does (cmd/internal/obj/pcln.go): zig-zag value deltas and PC
// deltas, a 0 after the last step. Adjacent runs of one value are merged first: a 0 delta after the
// first step would end the table.
func encode(runs []run) []byte {
	var out []byte
	var pc uint32
	val := int32(-1)
	for i, r := range runs {
		if i+1 < len(runs) && runs[i+1].val == r.val {
			continue
		}
		d := r.val - val
		out = binary.AppendUvarint(out, uint64(uint32(d<<1)^uint32(d>>31)))
		out = binary.AppendUvarint(out, uint64(r.end-pc))
		pc, val = r.end, r.val
	}
	return append(out, 0)
}

// foldResult says what foldInlining did.
type foldResult struct {
	funcs, trees       int    // functions whose inlined calls were folded; inline trees dropped
	treeBytes          uint32 // their bytes in go:func.*
	pctabBefore, pctab uint32
	namesBefore, names uint32
	tables             int
	// the _funcs' bytes (with their pcdata and funcdata offsets) before and after compactFuncs
	funcsBefore, funcsAfter uint32
}

// foldInlining rewrites the pclntab in image (a module's memory image) as the comment at the top
// says, and checks the result against the original before answering.
func foldInlining(image []byte) (foldResult, error) {
	var res foldResult
	orig := bytes.Clone(image)
	t, err := readPclntab(image)
	if err != nil {
		return res, err
	}
	le := binary.LittleEndian
	res.pctabBefore, res.namesBefore = t.pctab.n, t.funcnametab.n

	// Every funcdata offset, to make sure that an inline tree shares no bytes with other funcdata.
	other := map[uint32]bool{}
	for _, f := range t.funcs {
		for i, o := range f.funcdata {
			if i != funcdataInlTree && o != noFuncdata {
				other[o] = true
			}
		}
	}
	var trees []inlTree // the folded functions' trees
	kept := map[uint32]inlTree{}
	folded := make([]bool, len(t.funcs))
	newFile := make([][]run, len(t.funcs))
	newLine := make([][]run, len(t.funcs))
	for k, f := range t.funcs {
		file, err := t.decode(f.pcfile)
		if err != nil {
			return res, err
		}
		line, err := t.decode(f.pcln)
		if err != nil {
			return res, err
		}
		newFile[k], newLine[k] = file, line
		inl, tr, err := t.inlineTree(f)
		if err != nil {
			return res, fmt.Errorf("function %d: %v", k, err)
		}
		if inl == nil {
			continue
		}
		if t.keepsInlining(tr) {
			tr.n = max(tr.n, kept[tr.off].n)
			kept[tr.off] = tr
			continue
		}
		folded[k] = true
		treeAt, n := t.gofunc+tr.off, tr.n
		// root answers the PC of the call site, in f's own code, of the inlined code at pc.
		root := func(pc uint32) (uint32, error) {
			for range n + 1 {
				i := at(inl, pc)
				if i < 0 {
					return pc, nil
				}
				if uint32(i) >= n {
					return 0, fmt.Errorf("function %d: inline index %d of %d", k, i, n)
				}
				pc = uint32(int32(le.Uint32(image[treeAt+uint32(i)*inlinedCallSize+8:])))
			}
			return 0, fmt.Errorf("function %d: a cycle in its inline tree", k)
		}
		fold := func(runs []run) ([]run, error) {
			var out []run
			start := uint32(0)
			for _, end := range cuts(runs, inl) {
				if end == start {
					continue
				}
				r, err := root(start)
				if err != nil {
					return nil, err
				}
				out = append(out, run{end, at(runs, r)})
				start = end
			}
			return out, nil
		}
		if newFile[k], err = fold(file); err != nil {
			return res, err
		}
		if newLine[k], err = fold(line); err != nil {
			return res, err
		}
		res.funcs++
		trees = append(trees, tr)
	}

	// The inline trees' bytes are zeroed (once each: functions may share one), if no other funcdata
	// starts inside one.
	zeroed := map[uint32]bool{}
	for _, tr := range trees {
		if _, ok := kept[tr.off]; ok || zeroed[tr.off] {
			continue
		}
		for o := range other {
			if o >= tr.off && o < tr.off+tr.n*inlinedCallSize {
				return res, fmt.Errorf("funcdata at %#x inside the inline tree at %#x", o, tr.off)
			}
		}
		zeroed[tr.off] = true
		clear(image[t.gofunc+tr.off : t.gofunc+tr.off+tr.n*inlinedCallSize])
		res.trees++
		res.treeBytes += tr.n * inlinedCallSize
	}

	// pctab again: each table that is still read, once (offset 0 stays "no table").
	pctab := []byte{0}
	placed := map[string]uint32{}
	place := func(enc []byte) uint32 {
		if off, ok := placed[string(enc)]; ok {
			return off
		}
		off := uint32(len(pctab))
		pctab = append(pctab, enc...)
		placed[string(enc)] = off
		res.tables++
		return off
	}
	keep := func(off uint32) (uint32, error) {
		if off == 0 {
			return 0, nil
		}
		runs, err := t.decode(off)
		if err != nil {
			return 0, err
		}
		return place(encode(runs)), nil
	}
	// funcnametab again: the names of the functions (the inline trees' are gone).
	names := []byte{}
	namePlaced := map[uint32]uint32{}
	name := func(off uint32) (uint32, error) {
		if o, ok := namePlaced[off]; ok {
			return o, nil
		}
		if off >= t.funcnametab.n {
			return 0, errors.New("a name offset out of funcnametab")
		}
		s := orig[t.funcnametab.at+off : t.funcnametab.end()]
		z := bytes.IndexByte(s, 0)
		if z < 0 {
			return 0, errors.New("a function name without its NUL")
		}
		o := uint32(len(names))
		names = append(names, s[:z+1]...)
		namePlaced[off] = o
		return o, nil
	}
	type rewrite struct{ at, val uint32 }
	var writes []rewrite
	for k, f := range t.funcs {
		nameOff, err := name(f.nameOff)
		if err != nil {
			return res, err
		}
		pcsp, err := keep(f.pcsp)
		if err != nil {
			return res, err
		}
		writes = append(writes, rewrite{f.at + 4, nameOff}, rewrite{f.at + 16, pcsp})
		writes = append(writes, rewrite{f.at + 20, 0}, rewrite{f.at + 24, 0})
		if f.pcfile != 0 {
			writes[len(writes)-2].val = place(encode(newFile[k]))
		}
		if f.pcln != 0 {
			writes[len(writes)-1].val = place(encode(newLine[k]))
		}
		for i, o := range f.pcdata {
			if i == pcdataInlTree && folded[k] {
				o = 0
			}
			if o, err = keep(o); err != nil {
				return res, err
			}
			writes = append(writes, rewrite{f.npcdataAt + 4*uint32(i), o})
		}
		if folded[k] {
			writes = append(writes, rewrite{f.npcdataAt + 4*uint32(len(f.pcdata)+funcdataInlTree), noFuncdata})
		}
	}
	// The kept trees name their inlined functions in funcnametab too. In the order of their offsets, not
	// the map's: name() places a name not seen yet at the end of funcnametab, so the order is the bytes'
	// (a map's order once made a clean build differ from the committed module by one name offset).
	for _, off := range slices.Sorted(maps.Keys(kept)) {
		tr := kept[off]
		for i := range tr.n {
			at := t.gofunc + tr.off + i*inlinedCallSize + 4
			nameOff, err := name(le.Uint32(image[at:]))
			if err != nil {
				return res, err
			}
			writes = append(writes, rewrite{at, nameOff})
		}
	}
	if uint32(len(pctab)) > t.pctab.n || uint32(len(names)) > t.funcnametab.n {
		return res, errors.New("the compacted tables are larger than the originals")
	}
	for _, w := range writes {
		le.PutUint32(image[w.at:], w.val)
	}
	clear(image[t.pctab.at:t.pctab.end()])
	copy(image[t.pctab.at:], pctab)
	clear(image[t.funcnametab.at:t.funcnametab.end()])
	copy(image[t.funcnametab.at:], names)
	res.pctab, res.names = uint32(len(pctab)), uint32(len(names))
	if res.funcsBefore, res.funcsAfter, err = compactFuncs(image); err != nil {
		return res, err
	}

	if err := checkFold(orig, image); err != nil {
		return res, fmt.Errorf("the folded pclntab does not read as the original: %v", err)
	}
	return res, nil
}

// inlTree is an inline tree: its offset in go:func.* and its number of inlinedCalls.
type inlTree struct{ off, n uint32 }

// inlineTree answers f's inline index table and tree (nil: f has none).
func (t *pclntab) inlineTree(f fn) ([]run, inlTree, error) {
	if len(f.pcdata) <= pcdataInlTree || f.pcdata[pcdataInlTree] == 0 {
		return nil, inlTree{}, nil
	}
	if len(f.funcdata) <= funcdataInlTree || f.funcdata[funcdataInlTree] == noFuncdata {
		return nil, inlTree{}, errors.New("an inline index table but no inline tree")
	}
	inl, err := t.decode(f.pcdata[pcdataInlTree])
	if err != nil {
		return nil, inlTree{}, err
	}
	tr := inlTree{off: f.funcdata[funcdataInlTree]}
	for _, r := range inl {
		tr.n = max(tr.n, uint32(r.val+1))
	}
	if int(t.gofunc+tr.off+tr.n*inlinedCallSize) > len(t.image) {
		return nil, inlTree{}, errors.New("its inline tree runs out of memory")
	}
	return inl, tr, nil
}

// keepsInlining tells the functions whose inlined calls stay: those into which runtime.Callers or
// runtime.Caller is inlined. Their skip counts frames from their own, inlined or not: without the
// inline tree the unwinder, which starts at the function they were inlined into, would take that
// function for their frame and skip one frame more. The other readers of inline trees need none
// in this module: tracebacks print what they find, a function that calls recover is never inlined
// (recover's check counts the frames above it), nor is one that reads its caller's PC or SP, and
// wasm has no asynchronous preemption (whose safe points look at the inlined function's package).
func (t *pclntab) keepsInlining(tr inlTree) bool {
	for i := range tr.n {
		switch t.name(binary.LittleEndian.Uint32(t.image[t.gofunc+tr.off+i*inlinedCallSize+4:])) {
		case "runtime.Callers", "runtime.Caller":
			return true
		}
	}
	return false
}

// compactFuncs writes the _funcs of the pclntab in image again without their trailing pcdata
// offsets of 0 and funcdata offsets of ^0 (no table, no data), which the runtime reads as it
// reads an index past a function's npcdata or nfuncdata (-1 and nil); most of the folded functions
// end with the inline tree's slots. The functab's offsets follow them.
func compactFuncs(image []byte) (before, after uint32, err error) {
	t, err := readPclntab(image)
	if err != nil {
		return 0, 0, err
	}
	le := binary.LittleEndian
	ftabBytes := 8 * uint32(len(t.funcs)+1)
	funcs := make([]byte, 0, t.pcfunc.n)
	for k, f := range t.funcs {
		pcdata, funcdata := f.pcdata, f.funcdata
		for len(pcdata) > 0 && pcdata[len(pcdata)-1] == 0 {
			pcdata = pcdata[:len(pcdata)-1]
		}
		for len(funcdata) > 0 && funcdata[len(funcdata)-1] == noFuncdata {
			funcdata = funcdata[:len(funcdata)-1]
		}
		le.PutUint32(image[t.pcfunc.at+8*uint32(k)+4:], ftabBytes+uint32(len(funcs)))
		header := slices.Clone(image[f.at : f.at+funcHeaderSize])
		le.PutUint32(header[28:], uint32(len(pcdata)))
		header[43] = byte(len(funcdata))
		funcs = append(funcs, header...)
		for _, o := range slices.Concat(pcdata, funcdata) {
			funcs = le.AppendUint32(funcs, o)
		}
		before += funcHeaderSize + 4*uint32(len(f.pcdata)+len(f.funcdata))
	}
	if ftabBytes+uint32(len(funcs)) > t.pcfunc.n {
		return 0, 0, errors.New("the _funcs take more room compacted")
	}
	clear(image[t.pcfunc.at+ftabBytes : t.pcfunc.end()])
	copy(image[t.pcfunc.at+ftabBytes:], funcs)
	return before, uint32(len(funcs)), nil
}

// cuts answers the ends of the pieces of runs cut at the steps of inl: the PCs where either
// changes, up to the end of runs.
func cuts(runs, inl []run) []uint32 {
	if len(runs) == 0 {
		return nil
	}
	last := runs[len(runs)-1].end
	var ends []uint32
	for _, r := range runs {
		ends = append(ends, r.end)
	}
	for _, r := range inl {
		if r.end < last {
			ends = append(ends, r.end)
		}
	}
	slices.Sort(ends)
	return slices.Compact(ends)
}
