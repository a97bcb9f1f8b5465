package crypto

import (
	"encoding/binary"
	"hash"
	"math/bits"
)

// SM3 (GB/T 32905-2016), the hash of SM2: its signatures' Z and message digest, its encryption's
// key derivation and check value, and HMAC-SM3 for deterministic SM2 signatures. gmsm's SM3 came
// with the rest of gmsm (sm2curve.go says why that went); this is the standard's text, checked
// against its examples and against gmsm's SM3 in the tests.

const (
	sm3Size      = 32
	sm3BlockSize = 64
)

var sm3IV = [8]uint32{0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e}

type sm3Digest struct {
	h   [8]uint32
	x   [sm3BlockSize]byte // the partial block
	nx  int
	len uint64
}

// newSM3 answers a new SM3 hash.Hash.
func newSM3() hash.Hash {
	d := new(sm3Digest)
	d.Reset()
	return d
}

// sm3Sum answers the SM3 digest of the concatenation of parts.
func sm3Sum(parts ...[]byte) []byte {
	d := newSM3()
	for _, p := range parts {
		d.Write(p)
	}
	return d.Sum(nil)
}

func (d *sm3Digest) Reset() {
	d.h = sm3IV
	d.nx = 0
	d.len = 0
}

func (d *sm3Digest) Size() int      { return sm3Size }
func (d *sm3Digest) BlockSize() int { return sm3BlockSize }

func (d *sm3Digest) Write(p []byte) (int, error) {
	n := len(p)
	d.len += uint64(n)
	if d.nx > 0 {
		c := copy(d.x[d.nx:], p)
		d.nx += c
		p = p[c:]
		if d.nx == sm3BlockSize {
			sm3Block(&d.h, d.x[:])
			d.nx = 0
		}
	}
	for len(p) >= sm3BlockSize {
		sm3Block(&d.h, p[:sm3BlockSize])
		p = p[sm3BlockSize:]
	}
	d.nx += copy(d.x[:], p)
	return n, nil
}

// Sum appends the digest to b; d is left as it was.
func (d *sm3Digest) Sum(b []byte) []byte {
	c := *d
	// The padding: 0x80, zeros up to 56 bytes mod 64, the message length in bits (64-bit big-endian).
	var pad [sm3BlockSize + 8]byte
	pad[0] = 0x80
	n := 56 - int(c.len%sm3BlockSize)
	if n <= 0 {
		n += sm3BlockSize
	}
	binary.BigEndian.PutUint64(pad[n:], c.len<<3)
	c.Write(pad[:n+8])
	for _, v := range c.h {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	return b
}

// sm3Block runs the compression function on one 64-byte block.
func sm3Block(h *[8]uint32, p []byte) {
	var w [68]uint32
	for i := range 16 {
		w[i] = binary.BigEndian.Uint32(p[4*i:])
	}
	for j := 16; j < 68; j++ {
		x := w[j-16] ^ w[j-9] ^ bits.RotateLeft32(w[j-3], 15)
		w[j] = x ^ bits.RotateLeft32(x, 15) ^ bits.RotateLeft32(x, 23) ^ // P1
			bits.RotateLeft32(w[j-13], 7) ^ w[j-6]
	}
	a, b, c, d, e, f, g, hh := h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]
	for j := range 64 {
		t := uint32(0x79cc4519)
		if j >= 16 {
			t = 0x7a879d8a
		}
		a12 := bits.RotateLeft32(a, 12)
		ss1 := bits.RotateLeft32(a12+e+bits.RotateLeft32(t, j%32), 7)
		ss2 := ss1 ^ a12
		var ff, gg uint32
		if j < 16 {
			ff = a ^ b ^ c
			gg = e ^ f ^ g
		} else {
			ff = (a & b) | (a & c) | (b & c)
			gg = (e & f) | (^e & g)
		}
		tt1 := ff + d + ss2 + (w[j] ^ w[j+4])
		tt2 := gg + hh + ss1 + w[j]
		d = c
		c = bits.RotateLeft32(b, 9)
		b = a
		a = tt1
		hh = g
		g = bits.RotateLeft32(f, 19)
		f = e
		e = tt2 ^ bits.RotateLeft32(tt2, 9) ^ bits.RotateLeft32(tt2, 17) // P0
	}
	h[0] ^= a
	h[1] ^= b
	h[2] ^= c
	h[3] ^= d
	h[4] ^= e
	h[5] ^= f
	h[6] ^= g
	h[7] ^= hh
}

// sm3KDF is SM2's key derivation function (GB/T 32918.4 5.4.3): SM3(z ‖ ct) for the 32-bit
// big-endian counter ct = 1, 2, …, concatenated and cut to n bytes.
func sm3KDF(z []byte, n int) []byte {
	out := make([]byte, 0, n+sm3Size)
	var ct [4]byte
	for i := uint32(1); len(out) < n; i++ {
		binary.BigEndian.PutUint32(ct[:], i)
		out = append(out, sm3Sum(z, ct[:])...)
	}
	return out[:n]
}
