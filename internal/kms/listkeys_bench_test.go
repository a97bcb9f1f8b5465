package kms

import "testing"

// BenchmarkListKeys1000 answers the first page (100 keys) of an account that holds 1,000 keys, with
// DescribeKey of one of them measured in the same process as the baseline ("x-describe"): issue
// 15's target is the page at no more than 40 µs through client.send in Node (bench/list-keys.mjs);
// this is the core's share of it.
func BenchmarkListKeys1000(b *testing.B) {
	w, keyID := worldWithKey(b)
	for i := 1; i < 1000; i++ {
		if status, resp := w.Handle(Caller{}, "TrentService.CreateKey", []byte(`{}`)); status != 200 {
			b.Fatalf("%s", resp)
		}
	}
	describe := []byte(`{"KeyId":"` + keyID + `"}`)
	bare := baseline("describe-key", func(n int) {
		for i := 0; i < n; i++ {
			w.Handle(Caller{}, "TrentService.DescribeKey", describe)
		}
	})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if status, resp := w.Handle(Caller{}, "TrentService.ListKeys", []byte(`{}`)); status != 200 {
			b.Fatalf("%s", resp)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/bare, "x-describe")
}
