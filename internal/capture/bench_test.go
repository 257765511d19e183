//go:build unix

package capture

import (
	"context"
	"image"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/displaytest"
)

// BenchmarkShot1080p is P2 without the store: a 1920×1080 desktop copied as
// a capture would be (opaqueRGBA), encoded and thumbnailed. It reports the
// median (the P2 target is ≤ 150 ms median) and the stored bytes (≤ 200 KB).
func BenchmarkShot1080p(b *testing.B) {
	benchEncode(b, desktop(1920, 1080), Policy{})
}

// BenchmarkShot1080pBlur is the same with a required blur.
func BenchmarkShot1080pBlur(b *testing.B) {
	benchEncode(b, desktop(1920, 1080), Policy{Blur: true})
}

// BenchmarkShot4K scales a 3840×2160 monitor down to 1920 first.
func BenchmarkShot4K(b *testing.B) {
	benchEncode(b, desktop(3840, 2160), Policy{})
}

func benchEncode(b *testing.B, img image.Image, p Policy) {
	var s Shot
	times := make([]time.Duration, 0, b.N)
	cpu0 := cpuTime()
	for b.Loop() {
		t0 := time.Now()
		var err error
		if s, err = Encode(img, p); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
	}
	report(b, times, cpuTime()-cpu0, s)
}

// BenchmarkShootDisplay is the real thing on the test display (Xvfb,
// 1280×800): capture every monitor, sample the window, encode.
func BenchmarkShootDisplay(b *testing.B) {
	displaytest.Display(b)
	c := New()
	var shots []Shot
	times := make([]time.Duration, 0, b.N)
	cpu0 := cpuTime()
	for b.Loop() {
		t0 := time.Now()
		var err error
		if shots, _, err = c.Shoot(context.Background(), Policy{}); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
	}
	report(b, times, cpuTime()-cpu0, shots[0])
}

// report adds the median wall time, the CPU time per shot (honest on a
// loaded machine, where wall time mostly measures the neighbours) and sizes.
func report(b *testing.B, times []time.Duration, cpu time.Duration, s Shot) {
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(times)), "cpu-ms/op")
	b.ReportMetric(float64(s.Bytes()), "bytes/shot")
	b.ReportMetric(float64(len(s.Thumb)), "thumb-bytes")
}

// cpuTime is the user+system CPU this process has used, X server excluded.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
