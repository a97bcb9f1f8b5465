package testharness

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// A checkout's last good check (checkout.go), so that a process does not read and hash every source
// again when nothing has changed since (some 20-30 ms of CPU at a process's start in this repository,
// BENCHMARKS.md): the size and modification time of each file the module was built from, and of each
// directory of its Go files (an added or removed file changes it), written once staleSource has found
// the checkout fresh. It lives in the module's cache directory (cache.go), named by the checkout's root
// and the list, so that it goes with the module's compiled code.
//
// A file system's times are coarse (milliseconds), so that an edit of the same size within the tick of
// the stamp would look like no change: nothing modified within stampSettle of the check is stamped.
const stampSettle = 2 * time.Second

// stamp is a checkout's stamp file and what it describes.
type stamp struct {
	file  string   // "" when there is nowhere to keep one
	root  string   // the checkout
	paths []string // slash-separated, relative to root
}

// checkoutStamp is the stamp of the checkout at root for the module built from sources (embed.Sources).
func checkoutStamp(root, sources string) stamp {
	s := stamp{root: root}
	dirs := map[string]bool{}
	var sum string
	for line := range strings.Lines(sources) {
		want, file, ok := strings.Cut(strings.TrimSpace(line), "  ")
		if !ok {
			continue
		}
		if file == embeddedPath {
			sum = want
			continue
		}
		s.paths = append(s.paths, file)
		if d := path.Dir(file); strings.HasSuffix(file, ".go") && !dirs[d] {
			dirs[d] = true
			s.paths = append(s.paths, d)
		}
	}
	if sum != "" {
		s.file = filepath.Join(cacheRoot(), sum, "checkout-"+sha256Hex([]byte(root + "\n" + sources))[:16])
	}
	return s
}

// fresh reports whether every file and directory is as the stamp says.
func (s stamp) fresh() bool {
	if s.file == "" {
		return false
	}
	want, err := os.ReadFile(s.file)
	if err != nil {
		return false
	}
	got, ok := s.stats(time.Time{})
	return ok && got == string(want)
}

// write stamps the checkout as it is now (the caller has just found it fresh). Failures are ignored:
// the next process checks in full.
func (s stamp) write() {
	got, ok := s.stats(time.Now())
	if s.file == "" || !ok || os.MkdirAll(filepath.Dir(s.file), 0o700) != nil {
		return
	}
	tmp := fmt.Sprintf("%s.%d.tmp", s.file, os.Getpid())
	if os.WriteFile(tmp, []byte(got), 0o600) != nil || os.Rename(tmp, s.file) != nil {
		os.Remove(tmp)
	}
}

// stats is one line per path: its size, modification time and name; false when one cannot be read,
// or (when now is set) was modified within stampSettle of now.
func (s stamp) stats(now time.Time) (string, bool) {
	var b strings.Builder
	for _, p := range s.paths {
		info, err := os.Stat(filepath.Join(s.root, filepath.FromSlash(p)))
		if err != nil || !now.IsZero() && now.Sub(info.ModTime()) < stampSettle {
			return "", false
		}
		fmt.Fprintf(&b, "%d %d %s\n", info.Size(), info.ModTime().UnixNano(), p)
	}
	return b.String(), true
}
