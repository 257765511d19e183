//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/workdiary/workdiary/e2e/natlab"
	"github.com/workdiary/workdiary/internal/p2p"
	"github.com/workdiary/workdiary/internal/reach"
)

// The stranger of the reach lab: someone on the lab's internet who knows
// the employer's peer ID (it is in every invite the employer ever sent)
// but holds no contract with it. The test binary, started again in the
// stranger's namespace with envStranger set, joins the lab's DHT like any
// libp2p node, finds the employer by peer ID, opens each Workdiary
// protocol and looks for the employer under every rendezvous key it can
// make without the contract. It prints what it got as one JSON object.
const envStranger = "WORKDIARY_LAB_STRANGER"

// strangerTask is what the test tells the stranger.
type strangerTask struct {
	Bootstrap []string `json:"bootstrap"`
	Employer  string   `json:"employer"`
	// Contract is the real contract's ID, used only for the control
	// lookup that shows the DHT answers at all; the stranger's own
	// guesses never use it.
	Contract string `json:"contract"`
}

// strangerReport is what the stranger learnt.
type strangerReport struct {
	Addrs     []string          `json:"addrs"`     // the employer's addresses, from the DHT's peer routing
	Protocols map[string]string `json:"protocols"` // each Workdiary protocol: what the employer did
	Received  string            `json:"received"`  // every byte the protocols sent back
	Guesses   int               `json:"guesses"`   // rendezvous keys tried without the contract
	Found     int               `json:"found"`     // of those, keys under which the employer was found
	Control   bool              `json:"control"`   // the employer found under the real contract's key
	Error     string            `json:"error,omitempty"`
}

// runStranger runs the stranger when the process was started as one, and
// reports whether it was; TestMain calls it first.
func runStranger() bool {
	spec := os.Getenv(envStranger)
	if spec == "" {
		return false
	}
	var task strangerTask
	rep := strangerReport{Protocols: map[string]string{}}
	err := json.Unmarshal([]byte(spec), &task)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		err = stranger(ctx, task, &rep)
		cancel()
	}
	if err != nil {
		rep.Error = err.Error()
	}
	_ = json.NewEncoder(os.Stdout).Encode(rep)
	os.Exit(0)
	return true
}

func stranger(ctx context.Context, task strangerTask, rep *strangerReport) error {
	emp, err := peer.Decode(task.Employer)
	if err != nil {
		return err
	}
	boot, err := p2p.ParsePeers("bootstrap", task.Bootstrap)
	if err != nil {
		return err
	}
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/0.0.0.0/tcp/0", "/ip4/0.0.0.0/udp/0/quic-v1"))
	if err != nil {
		return err
	}
	defer h.Close()
	kad, err := dht.New(h, dht.Mode(dht.ModeClient), dht.BootstrapPeers(boot...))
	if err != nil {
		return err
	}
	defer kad.Close()
	for _, b := range boot {
		_ = h.Connect(ctx, b)
	}
	_ = kad.Bootstrap(ctx)
	for i := 0; i < 50 && kad.RoutingTable().Size() == 0; i++ {
		time.Sleep(100 * time.Millisecond)
	}

	// Where the employer is: any libp2p node can ask this.
	if ai, err := kad.FindPeer(ctx, emp); err == nil {
		for _, a := range ai.Addrs {
			rep.Addrs = append(rep.Addrs, a.String())
		}
		h.Peerstore().AddAddrs(emp, ai.Addrs, time.Hour)
	}

	// What the employer says on each protocol to someone with no contract.
	var got bytes.Buffer
	for _, proto := range []protocol.ID{p2p.ProtoSync, p2p.ProtoBlob, p2p.ProtoPair} {
		rep.Protocols[string(proto)] = openAsStranger(ctx, h, emp, proto, &got)
	}
	rep.Received = hex.EncodeToString(got.Bytes())

	// The control first, until the employer's record is there (it
	// announces a new contract within seconds), so that the guesses
	// below run against a DHT that holds it.
	if id, err := hex.DecodeString(task.Contract); err == nil && len(id) == 32 {
		for i := 0; i < 6 && !rep.Control; i++ {
			rep.Control = providedBy(ctx, kad, reach.Key([32]byte(id)), emp)
		}
	}
	// Where the employer announces itself: the keys a stranger can make
	// from what he knows (the peer ID, its hash, nothing) find nothing.
	idHash := sha256.Sum256([]byte(emp))
	var fromID [32]byte
	copy(fromID[:], []byte(emp))
	for _, guess := range [][32]byte{idHash, fromID, {}} {
		rep.Guesses++
		if providedBy(ctx, kad, reach.Key(guess), emp) {
			rep.Found++
		}
	}
	return nil
}

// openAsStranger opens proto on emp, says hello in garbage, and reports
// what happened; every byte that comes back goes to got.
func openAsStranger(ctx context.Context, h host.Host, emp peer.ID, proto protocol.ID, got *bytes.Buffer) string {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	s, err := h.NewStream(ctx, emp, proto)
	if err != nil {
		return "not opened: " + err.Error()
	}
	defer s.Reset()
	_ = s.SetDeadline(time.Now().Add(10 * time.Second))
	_, _ = s.Write(bytes.Repeat([]byte{0xa1}, 64))
	n, err := io.Copy(got, io.LimitReader(s, 1<<20))
	return fmt.Sprintf("opened, %d bytes back, then: %v", n, err)
}

// providedBy looks k up in the DHT and says whether p is among its
// providers.
func providedBy(ctx context.Context, kad *dht.IpfsDHT, k cid.Cid, p peer.ID) bool {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for ai := range kad.FindProvidersAsync(ctx, k, 8) {
		if ai.ID == p {
			return true
		}
	}
	return false
}

// meetStranger puts a stranger on the lab's internet who knows the
// employer's peer ID, and checks that he learns no name, title or hour,
// opens no Workdiary protocol and finds no rendezvous record.
func meetStranger(t *testing.T, lab *natlab.Lab, bootstrap []string, emp labParty, contractID string, secrets ...string) (string, error) {
	t.Helper()
	h, err := lab.AddPublic("stranger")
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	spec, _ := json.Marshal(strangerTask{Bootstrap: bootstrap, Employer: peerIDOf(t, emp), Contract: contractID})
	out, err := h.Command([]string{envStranger + "=" + string(spec)}, self).Output()
	if err != nil {
		return "", fmt.Errorf("the stranger did not run: %v", err)
	}
	var rep strangerReport
	if err := json.Unmarshal(out, &rep); err != nil {
		return "", fmt.Errorf("the stranger printed %q: %v", out, err)
	}
	t.Logf("the stranger: %+v", rep)
	received, _ := hex.DecodeString(rep.Received)
	switch {
	case rep.Error != "":
		return "", fmt.Errorf("the stranger failed: %s", rep.Error)
	case len(rep.Protocols) != 3:
		return "", fmt.Errorf("the stranger tried %d protocols", len(rep.Protocols))
	case rep.Found > 0:
		return "", fmt.Errorf("the stranger found the employer under %d of his %d guessed keys", rep.Found, rep.Guesses)
	case !rep.Control:
		// Without this the guesses prove nothing: the DHT must answer.
		return "", fmt.Errorf("the employer was not found under the real contract's key either")
	}
	for _, s := range secrets {
		if bytes.Contains(received, []byte(s)) {
			return "", fmt.Errorf("the stranger learnt %q", s)
		}
	}
	// A refusal may come as a short error frame; anything longer is data.
	if len(received) > 1024 {
		return "", fmt.Errorf("the protocols sent the stranger %d bytes: %v", len(received), rep.Protocols)
	}
	return fmt.Sprintf("stranger: found the employer at %d addresses; %d protocols, %d bytes back; %d guessed keys, 0 found",
		len(rep.Addrs), len(rep.Protocols), len(received), rep.Guesses), nil
}
