package capture

import (
	"os"
	"testing"

	"github.com/workdiary/workdiary/internal/displaytest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	displaytest.Stop()
	os.Exit(code)
}
