package main

import (
	"errors"
	"fmt"
)

// Go's wasm backend addresses a function's frame through its SP, which it keeps in local 1 (an i32),
// and writes a load or store of a frame slot as the address computed in 64 bits and wrapped, then
// the access at offset 0:
//
//	local.get 1; i64.extend_i32_u; i64.const C; i64.add; i32.wrap_i64; [value;] i64.load/store offset=0
//
// 83,000 times in the module, some 11 bytes each. foldAddresses writes each as the access at offset
// C from the local itself (local.get 1; [value;] i64.load/store offset=C), which reads and writes the
// same address: the sum does not wrap, the local being an address in the linear memory (below 4 GiB)
// and C a frame offset. Only accesses that follow the address at once (a load), or after one
// instruction that pushes the value and reads nothing else (local.get, global.get, a constant: a
// store), are rewritten; anything else is left as it is. Nothing refers to code by byte offset in a
// Go module (a PC is a function index and a resume point, and -s -w left no names nor DWARF), so
// only the bodies' sizes change.

const (
	opLocalGet  = 0x20
	opI64Extend = 0xad // i64.extend_i32_u
	opI64Const  = 0x42
	opI64Add    = 0x7c
	opI32Wrap   = 0xa7 // i32.wrap_i64
	valI32      = 0x7f
)

// addrResult says what foldAddresses did.
type addrResult struct {
	loads, stores int
	before, after int // the code section's bytes
}

// foldAddresses answers the code section's payload with the frame accesses rewritten.
func foldAddresses(secs []section) ([]byte, addrResult, error) {
	var res addrResult
	var types [][]byte // each function type's parameters
	var funcTypes []uint32
	var code []byte
	for _, s := range secs {
		var err error
		switch s.id {
		case idType:
			types, err = paramTypes(s.payload)
		case idFunction:
			funcTypes, err = u32s(s.payload)
		case idCode:
			code = s.payload
		}
		if err != nil {
			return nil, res, err
		}
	}
	count, b, err := u32(code)
	if err != nil {
		return nil, res, err
	}
	if int(count) != len(funcTypes) {
		return nil, res, errors.New("the code and function sections differ in length")
	}
	res.before = len(code)
	out := appendU32(make([]byte, 0, len(code)), count)
	for i := range count {
		size, rest, err := u32(b)
		if err != nil || uint32(len(rest)) < size {
			return nil, res, errTruncated
		}
		body := rest[:size]
		b = rest[size:]
		if funcTypes[i] >= uint32(len(types)) {
			return nil, res, errors.New("a function of an unknown type")
		}
		nb, err := foldBody(body, types[funcTypes[i]], &res)
		if err != nil {
			return nil, res, fmt.Errorf("function %d: %v", i, err)
		}
		out = appendU32(out, uint32(len(nb)))
		out = append(out, nb...)
	}
	if len(b) != 0 {
		return nil, res, errors.New("bytes after the last function body")
	}
	res.after = len(out)
	return out, res, nil
}

// foldBody rewrites one function body (its locals, then its code) whose parameters are params.
func foldBody(body, params []byte, res *addrResult) ([]byte, error) {
	// The type of local 1: a parameter's, or a declared local's.
	ndecl, b, err := u32(body)
	if err != nil {
		return nil, err
	}
	local1 := byte(0)
	if len(params) > 1 {
		local1 = params[1]
	}
	index := uint32(len(params))
	for range ndecl {
		var n uint32
		if n, b, err = u32(b); err != nil || len(b) == 0 {
			return nil, errTruncated
		}
		if local1 == 0 && index <= 1 && index+n > 1 {
			local1 = b[0]
		}
		index += n
		b = b[1:]
	}
	head := body[:len(body)-len(b)]
	if local1 != valI32 {
		return body, nil
	}
	ins, err := decode(b)
	if err != nil {
		return nil, err
	}
	// Loads first: a store's value may be one.
	var loaded []instr
	for k := 0; k < len(ins); k++ {
		if c, ok := frameAddress(ins[k:]); ok && k+5 < len(ins) && isLoad(ins[k+5].op) {
			if o, ok := addOffset(ins[k+5], c); ok {
				in := ins[k+5]
				in.bytes = appendAccess([]byte{opLocalGet, 1}, in, o)
				in.framed = true
				loaded = append(loaded, in)
				res.loads++
				k += 5
				continue
			}
		}
		loaded = append(loaded, ins[k])
	}
	out := append(make([]byte, 0, len(body)), head...)
	for k := 0; k < len(loaded); k++ {
		if c, ok := frameAddress(loaded[k:]); ok {
			if v := valueLength(loaded[k+5:]); v > 0 && k+5+v < len(loaded) && isStore(loaded[k+5+v].op) {
				if o, ok := addOffset(loaded[k+5+v], c); ok {
					out = append(out, opLocalGet, 1)
					for _, in := range loaded[k+5 : k+5+v] {
						out = append(out, in.bytes...)
					}
					out = appendAccess(out, loaded[k+5+v], o)
					res.stores++
					k += 5 + v
					continue
				}
			}
		}
		out = append(out, loaded[k].bytes...)
	}
	return out, nil
}

// valueLength answers how many instructions at the start of ins compute one value from nothing
// below it on the stack, with no effect but traps (a division's, a load's): constants, locals and
// globals read, loads, and the numeric instructions; 0 if they are followed by anything else
// before that value is complete.
func valueLength(ins []instr) int {
	depth := 0
	for i, in := range ins {
		pops, pushes, ok := pureEffect(in.op)
		if in.framed { // local.get 1 and the load
			pops = 0
		}
		if !ok || depth < pops {
			return 0
		}
		depth += pushes - pops
		if depth == 1 && i+1 < len(ins) && isStore(ins[i+1].op) {
			return i + 1
		}
	}
	return 0
}

// pureEffect answers what an instruction takes from the stack and gives back, for those that do
// nothing else (but trap): ok false for the others.
func pureEffect(op uint32) (pops, pushes int, ok bool) {
	switch {
	case pushesOnly(op):
		return 0, 1, true
	case isLoad(op),
		op == 0x45, op == 0x50, // eqz
		op >= 0x67 && op <= 0x69, op >= 0x79 && op <= 0x7b, // clz, ctz, popcnt
		op >= 0x8b && op <= 0x91, op >= 0x99 && op <= 0x9f, // float unary
		op >= 0xa7 && op <= 0xc4,     // conversions, reinterpretations, sign extension
		op >= 0xfc00 && op <= 0xfc07: // saturating conversions
		return 1, 1, true
	case op >= 0x46 && op <= 0x4f, op >= 0x51 && op <= 0x66, // comparisons
		op >= 0x6a && op <= 0x78, op >= 0x7c && op <= 0x8a, // integer arithmetic
		op >= 0x92 && op <= 0x98, op >= 0xa0 && op <= 0xa6: // float arithmetic
		return 2, 1, true
	case op == 0x1b: // select
		return 3, 1, true
	}
	return 0, 0, false
}

// frameAddress tells whether ins begins with local 1 plus a constant, wrapped (the five instructions
// above), and answers the constant.
func frameAddress(ins []instr) (uint32, bool) {
	if len(ins) < 5 || ins[0].op != opLocalGet || ins[0].imm != 1 || ins[1].op != opI64Extend ||
		ins[2].op != opI64Const || ins[3].op != opI64Add || ins[4].op != opI32Wrap {
		return 0, false
	}
	c := int64(ins[2].imm)
	if c < 0 || c > 1<<32-1 {
		return 0, false
	}
	return uint32(c), true
}

func isLoad(op uint32) bool  { return op >= 0x28 && op <= 0x35 }
func isStore(op uint32) bool { return op >= 0x36 && op <= 0x3e }

// pushesOnly: the instructions that push one value and pop none (local.get, global.get, the consts).
func pushesOnly(op uint32) bool {
	return op == opLocalGet || op == 0x23 || (op >= 0x41 && op <= 0x44)
}

// addOffset answers a memory access's offset plus c, if it fits in 32 bits.
func addOffset(access instr, c uint32) (uint32, bool) {
	o := uint64(access.offset) + uint64(c)
	return uint32(o), o <= 1<<32-1
}

func appendAccess(b []byte, access instr, offset uint32) []byte {
	b = append(b, byte(access.op))
	b = appendU32(b, access.align)
	return appendU32(b, offset)
}

// instr is one decoded instruction: its bytes, its opcode (0xfc-prefixed ones as 0xfc00 + sub), the
// immediate that foldAddresses reads (local index, or i64.const's value), and a memory access's
// alignment and offset.
type instr struct {
	bytes         []byte
	op            uint32
	imm           uint64
	align, offset uint32
	framed        bool // a load rewritten as local.get 1 and the load: it pops nothing
}

// decode splits code into instructions (the MVP's, sign extension, saturating conversions and bulk
// memory: what Go writes), refusing any other.
func decode(code []byte) ([]instr, error) {
	var ins []instr
	b := code
	for len(b) > 0 {
		start := b
		in := instr{op: uint32(b[0])}
		b = b[1:]
		var err error
		skipU32 := func() {
			if err == nil {
				_, b, err = u32(b)
			}
		}
		skipBytes := func(n int) {
			if err == nil && len(b) < n {
				err = errTruncated
			} else if err == nil {
				b = b[n:]
			}
		}
		switch op := in.op; {
		case op == 0x02 || op == 0x03 || op == 0x04: // block, loop, if: a block type
			_, b, err = s64(b)
		case op == 0x0c || op == 0x0d || op == 0x10 || (op >= 0x20 && op <= 0x26) || op == 0xd2:
			var v uint32
			v, b, err = u32(b)
			in.imm = uint64(v)
		case op == 0x0e: // br_table
			var n uint32
			n, b, err = u32(b)
			for range n + 1 {
				skipU32()
			}
		case op == 0x11: // call_indirect: type, table
			skipU32()
			skipU32()
		case op == 0x1c: // select t*
			var n uint32
			n, b, err = u32(b)
			skipBytes(int(n))
		case op >= 0x28 && op <= 0x3e:
			in.align, b, err = u32(b)
			if err == nil {
				in.offset, b, err = u32(b)
			}
		case op == 0x3f || op == 0x40 || op == 0xd0:
			skipBytes(1)
		case op == 0x41 || op == 0x42:
			var v int64
			v, b, err = s64(b)
			in.imm = uint64(v)
		case op == 0x43:
			skipBytes(4)
		case op == 0x44:
			skipBytes(8)
		case op <= 0x01 || op == 0x05 || op == 0x0b || op == 0x0f || op == 0x1a || op == 0x1b || (op >= 0x45 && op <= 0xc4) || op == 0xd1:
		case op == 0xfc:
			var sub uint32
			sub, b, err = u32(b)
			in.op = 0xfc00 + sub
			switch {
			case sub <= 7: // saturating conversions
			case sub == 8: // memory.init: data index, memory
				skipU32()
				skipBytes(1)
			case sub == 9: // data.drop
				skipU32()
			case sub == 10: // memory.copy: two memories
				skipBytes(2)
			case sub == 11: // memory.fill
				skipBytes(1)
			default:
				err = fmt.Errorf("instruction 0xfc %d, which shrink does not know", sub)
			}
		default:
			err = fmt.Errorf("opcode %#x, which shrink does not know", op)
		}
		if err != nil {
			return nil, err
		}
		in.bytes = start[:len(start)-len(b)]
		ins = append(ins, in)
	}
	return ins, nil
}

// s64 reads a signed LEB128 of up to 64 bits (a constant, a block type).
func s64(b []byte) (int64, []byte, error) {
	var v int64
	for shift := uint(0); shift < 70; shift += 7 {
		if len(b) == 0 {
			return 0, nil, errTruncated
		}
		c := b[0]
		b = b[1:]
		v |= int64(c&0x7f) << shift
		if c&0x80 == 0 {
			if shift+7 < 64 && c&0x40 != 0 {
				v -= 1 << (shift + 7)
			}
			return v, b, nil
		}
	}
	return 0, nil, errors.New("LEB128 number longer than 10 bytes")
}

// paramTypes answers each function type's parameter types.
func paramTypes(payload []byte) ([][]byte, error) {
	count, b, err := u32(payload)
	if err != nil {
		return nil, err
	}
	types := make([][]byte, count)
	for i := range count {
		if len(b) == 0 || b[0] != 0x60 {
			return nil, errors.New("a type that is not a function type")
		}
		b = b[1:]
		for v := range 2 { // parameters, results
			n, rest, err := u32(b)
			if err != nil || uint32(len(rest)) < n {
				return nil, errTruncated
			}
			if v == 0 {
				types[i] = rest[:n]
			}
			b = rest[n:]
		}
	}
	return types, nil
}

// u32s reads a vector of u32s (the function section).
func u32s(payload []byte) ([]uint32, error) {
	count, b, err := u32(payload)
	if err != nil {
		return nil, err
	}
	out := make([]uint32, count)
	for i := range out {
		if out[i], b, err = u32(b); err != nil {
			return nil, err
		}
	}
	return out, nil
}
