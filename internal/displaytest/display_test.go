package displaytest_test

import (
	"os"
	"os/exec"
	"testing"

	"github.com/workdiary/workdiary/internal/displaytest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	displaytest.Stop()
	os.Exit(code)
}

func TestDisplayAnswers(t *testing.T) {
	d := displaytest.Display(t)
	out, err := exec.Command("xdotool", "getdisplaygeometry").CombinedOutput()
	if err != nil {
		t.Fatalf("xdotool on %s: %v: %s", d, err, out)
	}
	if len(out) == 0 {
		t.Fatal("xdotool printed no geometry")
	}
}
