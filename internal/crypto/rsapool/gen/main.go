// Command gen writes the RSA prime pool files primes1024.bin, primes1536.bin and primes2048.bin:
// each -count primes of that size, raw big-endian at fixed width, every prime and every pair
// passing rsapool.CheckPrime and rsapool.CheckPair. Run it through go generate in ../ (it takes a
// few minutes; the result is committed as data).
package main

import (
	"crypto/rand"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"

	"github.com/wasmkms/wasmkms/internal/crypto/rsapool"
)

func main() {
	count := flag.Int("count", rsapool.Count, "primes per size")
	dir := flag.String("dir", ".", "directory to write the .bin files to")
	flag.Parse()
	for _, bits := range []int{1024, 1536, 2048} {
		primes, err := generate(bits, *count)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		path := filepath.Join(*dir, fmt.Sprintf("primes%d.bin", bits))
		if err := os.WriteFile(path, rsapool.Encode(primes, bits), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d primes\n", path, len(primes))
	}
}

// generate draws primes until it has count that pass the checks, each against all before it.
func generate(bits, count int) ([]*big.Int, error) {
	var primes []*big.Int
	for len(primes) < count {
		p, err := rand.Prime(rand.Reader, bits) // sets the top two bits
		if err != nil {
			return nil, err
		}
		if rsapool.CheckPrime(p, bits) != nil {
			continue
		}
		fit := true
		for _, q := range primes {
			if rsapool.CheckPair(p, q, bits) != nil {
				fit = false
				break
			}
		}
		if fit {
			primes = append(primes, p)
		}
	}
	return primes, nil
}
