package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
)

// A Go program built for wasip1 (testdata/trace) runs the same once shrunk, and its tracebacks show
// the frames a build without inlining shows: the original's, but for the inlined calls, at the
// same lines. Its collections scan deep stacks (the stack maps kept), and it checks what they kept.
func TestFoldedProgramRunsAndTracesItsCallSites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go program for wasip1")
	}
	bin := filepath.Join(t.TempDir(), "trace.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, "./testdata/trace")
	// The Go that runs this test builds the program: foldInlining reads its runtime's layout.
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "GOTOOLCHAIN="+runtime.Version())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	module, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	shrunk, res, err := shrink(module)
	if err != nil {
		t.Fatal(err)
	}
	if res.fold == nil || res.fold.funcs == 0 || res.fold.pctab >= res.fold.pctabBefore || res.fold.names >= res.fold.namesBefore {
		t.Fatalf("nothing folded: %+v", res.fold)
	}
	// The same bytes every time: the committed module is checked against a rebuild, and an order taken
	// from a map once made one build in a dozen differ.
	for range 8 {
		again, _, err := shrink(module)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, shrunk) {
			t.Fatal("shrinking the same module twice gave different bytes")
		}
	}
	wantStack, wantFrames := runTrace(t, module)
	gotStack, gotFrames := runTrace(t, shrunk)

	// The original's traceback names the inlined calls with their arguments elided ("main.inner(...)")
	// then their file and line. Without them it is the folded one's.
	lines := strings.Split(wantStack, "\n")
	var noInlined []string
	inlined := map[string]bool{}
	for i := 0; i < len(lines); i++ {
		if name, ok := strings.CutSuffix(lines[i], "(...)"); ok {
			inlined[name] = true
			i++ // its file:line
			continue
		}
		noInlined = append(noInlined, lines[i])
	}
	if !inlined["main.inner"] {
		t.Fatalf("the original's traceback shows no inlined call of main.inner:\n%s", wantStack)
	}
	if got := strings.Join(noInlined, "\n"); gotStack != got {
		t.Errorf("folded traceback:\n%s\nwant:\n%s", gotStack, got)
	}
	// runtime.Callers' frames: the same, the caller of an inlined call at the line of the call.
	var want []string
	for f := range strings.SplitSeq(wantFrames, "\n") {
		if name, _, _ := strings.Cut(f, " "); !inlined[name] {
			want = append(want, f)
		}
	}
	if got := strings.Join(want, "\n"); gotFrames != got || got == wantFrames {
		t.Errorf("folded frames:\n%s\nwant:\n%s", gotFrames, got)
	}
}

// runTrace runs the program and answers what it printed: its stack, and its frames.
func runTrace(t *testing.T, module []byte) (stack, frames string) {
	t.Helper()
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	wasi_snapshot_preview1.MustInstantiate(ctx, r)
	var stdout, stderr bytes.Buffer
	_, err := r.InstantiateWithConfig(ctx, module, wazero.NewModuleConfig().WithArgs("trace").WithStdout(&stdout).WithStderr(&stderr))
	var exit *sys.ExitError
	if err != nil && (!errors.As(err, &exit) || exit.ExitCode() != 0) {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	stack, frames, ok := strings.Cut(stdout.String(), "--\n")
	if !ok {
		t.Fatalf("output: %q", stdout.String())
	}
	return stack, strings.TrimSuffix(frames, "\n")
}

// A PC table encodes as the linker writes it, and reads back; runs of one value are merged.
func TestPCTableRoundTrip(t *testing.T) {
	runs := []run{{3, -1}, {10, 4}, {12, 4}, {300, 2}, {100000, 70000}, {100001, -5}}
	enc := encode(runs)
	tab := &pclntab{image: append([]byte{0}, enc...), pctab: span{0, uint32(len(enc) + 1)}}
	got, err := tab.decode(1)
	if err != nil {
		t.Fatal(err)
	}
	want := []run{{3, -1}, {12, 4}, {300, 2}, {100000, 70000}, {100001, -5}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if at(got, 11) != 4 || at(got, 12) != 2 || at(got, 100001) != -1 {
		t.Fatal("at answers the wrong value")
	}
}
