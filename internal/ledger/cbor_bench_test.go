package ledger

import "testing"

// BenchmarkPayloadRead is the payload's strict decoding alone (the cbor
// library, then the re-encoding that refuses every other byte form): its
// share of BenchmarkOpenEntry is what the library costs P6.
func BenchmarkPayloadRead(b *testing.B) {
	s, err := OpenEntry(benchLog(b, 1)[0])
	if err != nil {
		b.Fatal(err)
	}
	payload, err := encodePayload(s.Entry)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := readWire(payload); err != nil {
			b.Fatal(err)
		}
	}
}
