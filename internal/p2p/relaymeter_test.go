package p2p

import (
	"testing"

	pbv2 "github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/pb"
)

// The meter reads nothing on a node whose relay never started, and counts
// new reservations (not renewals), refusals, circuits and bytes once it has,
// across the relay's restarts.
func TestRelayMeterCounts(t *testing.T) {
	var m relayMeter
	if m.service() != nil || (*relayMeter)(nil).service() != nil {
		t.Fatal("a node with no relay service reports one")
	}
	m.RelayStatus(true)
	m.ReservationAllowed(false)
	m.ReservationAllowed(true)
	m.ReservationRequestHandled(pbv2.Status_OK)
	m.ReservationRequestHandled(pbv2.Status_PERMISSION_DENIED)
	m.ConnectionRequestHandled(pbv2.Status_NO_RESERVATION)
	m.ConnectionOpened()
	m.BytesTransferred(1000)
	m.BytesTransferred(24)
	got := *m.service()
	want := RelayService{Reservations: 1, Refused: 2, Circuits: 1, Bytes: 1024}
	if got != want {
		t.Errorf("the meter read %+v; want %+v", got, want)
	}
	// libp2p stops the relay and starts a new one when reachability
	// changes: the counts go on.
	m.RelayStatus(false)
	m.RelayStatus(true)
	m.BytesTransferred(1)
	if got := m.service(); got == nil || got.Bytes != 1025 {
		t.Errorf("after a restart the meter read %+v; want the bytes counted on", got)
	}
}
