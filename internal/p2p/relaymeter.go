package p2p

import (
	"sync/atomic"
	"time"

	pbv2 "github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/pb"
	relayv2 "github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/relay"
)

// RelayService is what this node's relay service has carried since it
// started: its operator's answer to "who uses my relay, and how much",
// and the reach lab's proof of which bytes went through a relay.
type RelayService struct {
	Reservations int64 `json:"reservations"` // slots granted (renewals not counted)
	Refused      int64 `json:"refused"`      // reservations and circuits it said no to
	Circuits     int64 `json:"circuits"`     // relayed connections opened
	Bytes        int64 `json:"bytes"`        // both directions, all circuits
}

// relayMeter counts for RelayService. libp2p calls it from the relay's
// goroutines, hence the atomics. It counts across the relay's restarts
// (libp2p makes the relay anew when reachability changes), so it says
// whether this node relays by whether it was ever switched on.
type relayMeter struct {
	on                                   atomic.Bool
	reservations, refused, circuits, bin atomic.Int64
}

var _ relayv2.MetricsTracer = (*relayMeter)(nil)

func (m *relayMeter) RelayStatus(enabled bool)                { m.on.Store(enabled) }
func (m *relayMeter) ConnectionOpened()                       { m.circuits.Add(1) }
func (m *relayMeter) ConnectionClosed(time.Duration)          {}
func (m *relayMeter) ConnectionRequestHandled(s pbv2.Status)  { m.refusedIf(s) }
func (m *relayMeter) ReservationClosed(int)                   {}
func (m *relayMeter) ReservationRequestHandled(s pbv2.Status) { m.refusedIf(s) }
func (m *relayMeter) BytesTransferred(n int)                  { m.bin.Add(int64(n)) }

func (m *relayMeter) ReservationAllowed(renewal bool) {
	if !renewal {
		m.reservations.Add(1)
	}
}

func (m *relayMeter) refusedIf(s pbv2.Status) {
	if s != pbv2.Status_OK {
		m.refused.Add(1)
	}
}

// service is the meter's reading; nil when the node never ran a relay.
func (m *relayMeter) service() *RelayService {
	if m == nil || !m.on.Load() {
		return nil
	}
	return &RelayService{Reservations: m.reservations.Load(), Refused: m.refused.Load(),
		Circuits: m.circuits.Load(), Bytes: m.bin.Load()}
}
