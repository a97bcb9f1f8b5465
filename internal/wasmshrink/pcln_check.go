package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// checkFold reads the pclntab of orig and of folded, foldInlining's rewrite of it, and checks, for
// every function and at every PC where a table of either changes value, that folded answers what
// the runtime would find in orig: the same name, SP delta, pcdata tables (but the inline index,
// gone) and funcdata (but the inline tree, gone), each table as long, and for file and line those
// of the PC's outermost call site (the PC itself outside inlined code).
func checkFold(orig, folded []byte) error {
	a, err := readPclntab(orig)
	if err != nil {
		return err
	}
	b, err := readPclntab(folded)
	if err != nil {
		return err
	}
	if a.header != b.header || len(a.funcs) != len(b.funcs) {
		return errors.New("another table")
	}
	for k := range a.funcs {
		if err := checkFunc(a, b, k); err != nil {
			return fmt.Errorf("function %d (%s): %v", k, a.name(a.funcs[k].nameOff), err)
		}
	}
	return nil
}

func checkFunc(a, b *pclntab, k int) error {
	fa, fb := a.funcs[k], b.funcs[k]
	if fa.size != fb.size || fa.cuOffset != fb.cuOffset || len(fa.pcdata) < len(fb.pcdata) || len(fa.funcdata) < len(fb.funcdata) ||
		!bytes.Equal(a.image[fa.at:fa.at+4], b.image[fb.at:fb.at+4]) || !bytes.Equal(a.image[fa.at+8:fa.at+16], b.image[fb.at+8:fb.at+16]) || !bytes.Equal(a.image[fa.at+36:fa.at+43], b.image[fb.at+36:fb.at+43]) {
		return errors.New("another _func")
	}
	// The offsets left out of b read as none.
	for len(fb.pcdata) < len(fa.pcdata) {
		fb.pcdata = append(fb.pcdata, 0)
	}
	for len(fb.funcdata) < len(fa.funcdata) {
		fb.funcdata = append(fb.funcdata, noFuncdata)
	}
	if a.name(fa.nameOff) != b.name(fb.nameOff) {
		return errors.New("another name")
	}
	// The tables compared value for value, and those file and line are folded from (the runtime's
	// functions keep their inline index tables and trees, whose names must read the same).
	inl, tr, err := a.inlineTree(fa)
	if err != nil {
		return err
	}
	keeps := a.keepsInlining(tr)
	type pair struct{ a, b uint32 }
	same := []pair{{fa.pcsp, fb.pcsp}}
	for i := range fa.pcdata {
		if i == pcdataInlTree && !keeps {
			if fb.pcdata[i] != 0 {
				return errors.New("an inline index table left")
			}
			continue
		}
		same = append(same, pair{fa.pcdata[i], fb.pcdata[i]})
	}
	for i := range fa.funcdata {
		want := fa.funcdata[i]
		if i == funcdataInlTree && !keeps {
			want = noFuncdata
		}
		if fb.funcdata[i] != want {
			return fmt.Errorf("funcdata %d differs", i)
		}
	}
	treeAt := a.gofunc + tr.off
	if keeps {
		for i := range tr.n {
			e := treeAt + i*inlinedCallSize
			if !bytes.Equal(a.image[e:e+4], b.image[e:e+4]) || !bytes.Equal(a.image[e+8:e+16], b.image[e+8:e+16]) ||
				a.name(binary.LittleEndian.Uint32(a.image[e+4:])) != b.name(binary.LittleEndian.Uint32(b.image[e+4:])) {
				return fmt.Errorf("inlined call %d differs", i)
			}
		}
		inl = nil // file and line as they were
	}
	root := func(pc uint32) uint32 {
		for i := at(inl, pc); i >= 0; i = at(inl, pc) {
			pc = binary.LittleEndian.Uint32(a.image[treeAt+uint32(i)*inlinedCallSize+8:])
		}
		return pc
	}
	folded := []pair{{fa.pcfile, fb.pcfile}, {fa.pcln, fb.pcln}}
	var pcs []uint32
	tables := map[pair][2][]run{}
	for _, p := range append(slices.Clone(same), folded...) {
		ra, err := a.decode(p.a)
		if err != nil {
			return err
		}
		rb, err := b.decode(p.b)
		if err != nil {
			return err
		}
		if (ra == nil) != (rb == nil) || (ra != nil && ra[len(ra)-1].end != rb[len(rb)-1].end) {
			return errors.New("a table of another length")
		}
		tables[p] = [2][]run{ra, rb}
		for _, r := range append(ra, rb...) {
			pcs = append(pcs, r.end)
		}
	}
	for _, r := range inl {
		pcs = append(pcs, r.end)
	}
	pcs = append(pcs, 0)
	slices.Sort(pcs)
	for _, pc := range slices.Compact(pcs) {
		for _, p := range same {
			if t := tables[p]; at(t[0], pc) != at(t[1], pc) {
				return fmt.Errorf("a table differs at PC %#x", pc)
			}
		}
		for _, p := range folded {
			if t := tables[p]; at(t[0], root(pc)) != at(t[1], pc) {
				return fmt.Errorf("file or line is not the call site's at PC %#x", pc)
			}
		}
	}
	return nil
}

// name answers the function name at off in funcnametab.
func (t *pclntab) name(off uint32) string {
	s := t.image[t.funcnametab.at+off : t.funcnametab.end()]
	if z := bytes.IndexByte(s, 0); z >= 0 {
		return string(s[:z])
	}
	return ""
}
