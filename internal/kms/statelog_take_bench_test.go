package kms

import "testing"

// BenchmarkCreateKeyTaken is CreateKey SYMMETRIC_DEFAULT through the typed entry point (the module's
// direct export) on a world whose host takes each change at the end of the call that made it
// (AfterCall, as the JS host's recovery copy and the Go harness ask), beside the same on a world that
// keeps no log: the difference is what recovery's copy costs a CreateKey in the core.
func BenchmarkCreateKeyTaken(b *testing.B) {
	for _, taken := range []bool{false, true} {
		name := "untaken"
		if taken {
			name = "taken"
		}
		b.Run(name, func(b *testing.B) {
			op, err := NewTypedOperation("CreateKey", []Member{{"KeySpec", KindString}, {"KeyUsage", KindString}},
				[]Member{{"KeyMetadata", KindJSON}})
			if err != nil {
				b.Fatal(err)
			}
			in := []Value{{Present: true, Text: "SYMMETRIC_DEFAULT"}, {}}
			w, out := NewWorld(Options{}), make([]Value, 1)
			if taken {
				w.TakeChanges(false)
				w.TakeEachCall(true)
			}
			var record []byte
			b.ReportAllocs()
			for b.Loop() {
				if status, body := w.CallTyped(op, Caller{}, in, out); status != 200 {
					b.Fatalf("%d %s", status, body)
				}
				var flags uint32
				flags, record = w.AfterCall(record[:0])
				if taken && flags&StateRecordTaken == 0 {
					b.Fatalf("flags %#x: no record taken", flags)
				}
			}
		})
	}
}

// BenchmarkTakeOneKey is the take of one new key alone (its record written, the notes forgotten):
// the part of BenchmarkCreateKeyTaken that the state log adds, without the key's making.
func BenchmarkTakeOneKey(b *testing.B) {
	w, keyID := worldWithKey(b)
	w.TakeChanges(false)
	k := w.keyAtNow(keyAt{regionID{DefaultAccount, DefaultRegion}, keyID})
	if k == nil {
		b.Fatal("no key")
	}
	var record []byte
	b.ReportAllocs()
	for b.Loop() {
		w.keyCreated(k)
		t := w.appendChanges(record[:0], false)
		if len(t.Record) == 0 {
			b.Fatal("no record")
		}
		record = t.Record
	}
}
