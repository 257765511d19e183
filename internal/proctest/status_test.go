package proctest

import (
	"os"
	"testing"
)

func TestStatusKB(t *testing.T) {
	for _, pid := range []int{0, os.Getpid()} {
		peak, err := StatusKB(pid, "VmHWM")
		if err != nil || peak <= 0 {
			t.Fatalf("VmHWM of pid %d: %d, %v", pid, peak, err)
		}
		rss, err := StatusKB(pid, "VmRSS")
		if err != nil || rss <= 0 {
			t.Fatalf("VmRSS of pid %d: %d, %v", pid, rss, err)
		}
	}
	if _, err := StatusKB(0, "NoSuchLine"); err == nil {
		t.Fatal("a line the status lacks gave no error")
	}
}
