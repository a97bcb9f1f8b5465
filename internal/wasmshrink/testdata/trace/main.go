// A program for pcln_test.go: it prints its stack from inside calls that the compiler inlines
// (debug.Stack, and runtime.Callers as frames), after garbage collections that scan goroutines'
// stacks deep in recursion (the stack maps must still be found).
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

type node struct {
	next *node
	val  []byte
}

// chain keeps a list alive on the stack through n frames while collections run.
//
//go:noinline
func chain(n int, head *node) int {
	if n == 0 {
		runtime.GC()
		sum := 0
		for p := head; p != nil; p = p.next {
			sum += int(p.val[0])
		}
		return sum
	}
	return chain(n-1, &node{head, []byte{byte(n)}})
}

//go:noinline
func outer() (string, string) {
	return middle()
}

func middle() (string, string) { return inner() }

func inner() (string, string) { return capture() }

//go:noinline
func capture() (string, string) {
	pcs := make([]uintptr, 16)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(1, pcs)])
	var names []string
	for {
		f, more := frames.Next()
		names = append(names, fmt.Sprintf("%s %s:%d", f.Function, f.File[strings.LastIndex(f.File, "/")+1:], f.Line))
		if !more {
			break
		}
	}
	return string(debug.Stack()), strings.Join(names, "\n")
}

func main() {
	var wg sync.WaitGroup
	sums := make([]int, 4)
	for g := range sums {
		wg.Go(func() { sums[g] = chain(200+g, nil) })
	}
	wg.Wait()
	for g, s := range sums {
		if s != (200+g)*(201+g)/2 {
			fmt.Fprintln(os.Stderr, "lost a list:", g, s)
			os.Exit(1)
		}
	}
	stack, frames := outer()
	fmt.Print(stack, "--\n", frames, "\n")
}
