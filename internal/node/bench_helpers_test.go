package node_test

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/p2p"
	"github.com/workdiary/workdiary/internal/proctest"
	"github.com/workdiary/workdiary/internal/store"
)

// loopback keeps benchmark nodes on 127.0.0.1 TCP: no mDNS, UPnP, relays.
var loopback = node.NetOptions{Listen: []string{"/ip4/127.0.0.1/tcp/0"}}

// benchStart is an hour before monday: offers are made then, so that the
// whole week lies inside the contract.
var benchStart = monday.Add(-time.Hour)

// benchOnline opens a node in its own folder with an identity and a
// running host. Unlike openNode it takes testing.TB; the node closes when
// the benchmark ends, or earlier through benchClose.
func benchOnline(tb testing.TB, clk *clocktest.Fake, name string, opts ...node.Option) *node.Node {
	tb.Helper()
	n, err := node.Open(tb.TempDir(), "bench", clk, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	closeOnce := sync.OnceValue(n.Close)
	benchClosers.Store(n, closeOnce)
	tb.Cleanup(func() { closeOnce() })
	if _, err := n.CreateIdentity(name); err != nil {
		tb.Fatal(err)
	}
	if err := n.StartNetwork(context.Background(), loopback); err != nil {
		tb.Fatal(err)
	}
	return n
}

// benchClosers close each benchmark node once (Badger refuses a second
// Close), whether a benchmark frees nodes between rounds or cleanup does.
var benchClosers sync.Map // *node.Node → func() error

// benchClose closes n now, freeing its folder, host and memory.
func benchClose(n *node.Node) {
	if f, ok := benchClosers.LoadAndDelete(n); ok {
		_ = f.(func() error)()
	}
}

// benchContract has emp offer a contract (one screenshot per segment, no
// webcam) and con accept it online; it returns the contract ID.
func benchContract(tb testing.TB, emp, con *node.Node) string {
	tb.Helper()
	offer, err := emp.OfferContract(node.OfferParams{Title: "Bench", Rate: "35.00", Currency: "USD", Screenshots: 1})
	if err != nil {
		tb.Fatal(err)
	}
	return benchAccept(tb, con, offer.Invite)
}

// benchAccept has con accept an invite online; it returns the contract ID.
func benchAccept(tb testing.TB, con *node.Node, invite string) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	acc, err := con.AcceptContract(ctx, node.AcceptParams{Code: invite})
	if err != nil || !acc.Delivered {
		tb.Fatalf("online accept: %+v %v; want delivered", acc, err)
	}
	return acc.Contract.ID
}

// benchImage is size bytes that look like a JPEG to a sniffer and are
// otherwise random (incompressible like a real one), distinct per seed.
func benchImage(seed uint64, size int) []byte {
	b := make([]byte, size)
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	r := mrand.NewChaCha8(key)
	_, _ = r.Read(b)
	// A JPEG header of a 1920×1080 grey image (start of image, start of
	// frame, then the start of scan where a decoder reading only the
	// header stops): all the employer decodes of an image it receives.
	copy(b, []byte{0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0x04, 0x38, 0x07, 0x80, 1, 1, 0x11, 0, 0xff, 0xda, 0, 8})
	copy(b[size-2:], []byte{0xff, 0xd9})
	return b
}

// weekSlot is segment i of count spread over Monday to Friday from 9:00,
// in consecutive 10-minute slots each day.
func weekSlot(i, count int) time.Time {
	perDay := (count + 4) / 5
	return monday.Add(time.Duration(i/perDay)*24*time.Hour + time.Duration(i%perDay)*diary.SegmentLength)
}

// benchSegment stores a finished recorded segment at start with a
// shotBytes screenshot and a thumbnail a twentieth of its size (the
// thumbnail stays local: entries name the full image only). It returns
// the screenshot's size.
func benchSegment(tb testing.TB, n *node.Node, cid string, start time.Time, shotBytes int, seed uint64) int {
	tb.Helper()
	stage := n.Store().Blobs.NewStaging()
	s := benchStaged(tb, stage, cid, start, shotBytes, seed)
	if _, err := stage.Commit(); err != nil {
		tb.Fatal(err)
	}
	if err := diarydb.New(n.Store()).Put(s); err != nil {
		tb.Fatal(err)
	}
	return shotBytes
}

// benchStaged is benchSegment's segment, its images added to stage.
func benchStaged(tb testing.TB, stage *store.Staging, cid string, start time.Time, shotBytes int, seed uint64) diary.Segment {
	tb.Helper()
	full, err := stage.Add(benchImage(seed, shotBytes))
	if err != nil {
		tb.Fatal(err)
	}
	thumb, err := stage.Add(benchImage(seed|1<<40, max(shotBytes/20, 64)))
	if err != nil {
		tb.Fatal(err)
	}
	s := diary.Segment{Contract: cid, Start: start, State: diary.Recorded, Kind: diary.Auto, Memo: "bench: parser work",
		Screenshots: []diary.Image{{Hash: full.String(), Thumb: thumb.String(), TakenAt: start.Add(4 * time.Minute),
			Width: 1920, Height: 1080, Bytes: shotBytes}}}
	for m := 0; m < 10; m++ {
		s.AddMinute(diary.Minute{Index: m, Keys: 40 + m, Clicks: 7, Scrolls: 3, Moved: true})
	}
	return s
}

// benchWeek records count segments over the week and approves them all
// (the shared clock moves to Saturday 9:00 for that). It returns the bytes
// a sync moves: the signed entries plus the screenshots. The images go
// to disk with one flush and the segments in one transaction: a hundred
// contractors' weeks would otherwise take minutes of fsyncs to set up.
func benchWeek(tb testing.TB, clk *clocktest.Fake, n *node.Node, cid string, count, shotBytes int, seed uint64) int64 {
	tb.Helper()
	stage := n.Store().Blobs.NewStaging()
	segs := make([]diary.Segment, count)
	for i := range segs {
		segs[i] = benchStaged(tb, stage, cid, weekSlot(i, count), shotBytes, seed<<20|uint64(i))
	}
	if _, err := stage.Commit(); err != nil {
		tb.Fatal(err)
	}
	err := n.Store().Update(func(x *store.Txn) error {
		for _, s := range segs {
			if err := diarydb.PutTxn(x, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if sat := monday.Add(5 * 24 * time.Hour); clk.Now().Before(sat) {
		clk.Advance(sat.Sub(clk.Now()))
	}
	st, err := n.Approve(node.ApproveParams{Contract: cid, All: true})
	if err != nil || st.Approved != count {
		tb.Fatalf("approve the week: %+v %v; want %d approved", st, err, count)
	}
	return int64(count*shotBytes) + entryBytes(tb, n, cid)
}

// entryBytes is the size of the contractor's signed log entries.
func entryBytes(tb testing.TB, n *node.Node, cid string) int64 {
	tb.Helper()
	id, _ := n.Identity()
	c, err := n.Contracts().Resolve(cid)
	if err != nil {
		tb.Fatal(err)
	}
	logID := ledger.LogIDOf(c.ID(), id.PublicKey())
	var total int64
	_ = n.Store().View(func(x *store.Txn) error {
		entries, _ := logdb.Entries(x, logID, 1, 1<<62)
		for _, e := range entries {
			total += int64(len(e))
		}
		return nil
	})
	return total
}

// rawPair is two plain Workdiary hosts (same transports, security, muxer
// and limits as a node's) connected over loopback, one serving a protocol
// that reads and discards everything, then answers one byte, and one that
// keeps what it reads as images in a blob folder, durably, as a sync must.
type rawPair struct {
	from, to *p2p.Host
	// into is the blob folder the next protoKeep stream fills, opened
	// (its fan-out folders made) before the clock starts, as a node's is.
	into chan *store.Blobs
}

const (
	protoDiscard = "/workdiary/bench-discard/1"
	protoKeep    = "/workdiary/bench-keep/1"
	// keepChunk is the image size protoKeep cuts the stream into.
	keepChunk = 150 << 10
)

func newRawPair(tb testing.TB) *rawPair {
	tb.Helper()
	hosts := make([]*p2p.Host, 2)
	for i := range hosts {
		key, _, err := crypto.GenerateEd25519Key(rand.Reader)
		if err != nil {
			tb.Fatal(err)
		}
		h, err := p2p.New(context.Background(), p2p.Config{Key: key, ListenAddrs: loopback.Listen,
			Allow: p2p.AllowFunc(func(peer.ID) bool { return true })})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { h.Close() })
		hosts[i] = h
	}
	hosts[1].Handle(protoDiscard, func(_ context.Context, s network.Stream) {
		if _, err := io.Copy(io.Discard, s); err != nil {
			s.Reset()
			return
		}
		_, _ = s.Write([]byte{1})
		_ = s.Close()
	})
	r := &rawPair{from: hosts[0], to: hosts[1], into: make(chan *store.Blobs, 1)}
	hosts[1].Handle(protoKeep, func(_ context.Context, s network.Stream) {
		if err := keepStream(<-r.into, s); err != nil {
			s.Reset()
			return
		}
		_, _ = s.Write([]byte{1})
		_ = s.Close()
	})
	if err := hosts[0].Connect(context.Background(), hosts[1].ID(), hosts[1].Addrs()...); err != nil {
		tb.Fatal(err)
	}
	return r
}

// keepStream stores what s carries as keepChunk-sized blobs in blobs,
// with one flush at the end.
func keepStream(blobs *store.Blobs, s io.Reader) error {
	stage := blobs.NewStaging()
	defer stage.Discard()
	buf := make([]byte, keepChunk)
	for i := uint64(0); ; i++ {
		n, err := io.ReadFull(s, buf)
		if n > 0 {
			// Distinct chunks: the stream repeats one buffer.
			binary.LittleEndian.PutUint64(buf, i)
			if _, err := stage.Add(buf[:n]); err != nil {
				return err
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return err
		}
	}
	_, err := stage.Commit()
	return err
}

// send pushes n bytes over a fresh stream in 64 KiB writes and waits for
// the receiver's acknowledgement that it read them all.
func (r *rawPair) send(ctx context.Context, n int64) (time.Duration, error) {
	return r.sendTo(ctx, protoDiscard, n)
}

// sendFilesDurable is sendDurable with the bytes of the images hashes
// read from from, each into one reused buffer and written whole, as a
// sync's sender reads its images from its store. It returns the time and
// the bytes sent.
func (r *rawPair) sendFilesDurable(ctx context.Context, dir string, from *store.Blobs, hashes []store.Hash) (time.Duration, int64, error) {
	blobs, err := store.OpenBlobs(dir)
	if err != nil {
		return 0, 0, err
	}
	r.into <- blobs
	buf := make([]byte, 0, keepChunk)
	return r.stream(ctx, protoKeep, func() ([]byte, error) {
		if len(hashes) == 0 {
			return nil, nil
		}
		buf, err = from.ReadInto(hashes[0], buf)
		hashes = hashes[1:]
		return buf, err
	})
}

// weekImages are the hashes of the screenshots of contract cid's segments
// in n's store: what a sync of the week sends besides the entries.
func weekImages(tb testing.TB, n *node.Node, cid string) []store.Hash {
	tb.Helper()
	var hashes []store.Hash
	err := n.Store().View(func(x *store.Txn) error {
		segs, err := diarydb.All(x, cid)
		for _, s := range segs {
			for _, img := range s.Screenshots {
				h, err := store.ParseHash(img.Hash)
				if err != nil {
					return err
				}
				hashes = append(hashes, h)
			}
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return hashes
}

// sendDurable is send to a receiver that stores the bytes as images.
func (r *rawPair) sendDurable(ctx context.Context, dir string, n int64) (time.Duration, error) {
	blobs, err := store.OpenBlobs(dir)
	if err != nil {
		return 0, err
	}
	r.into <- blobs
	return r.sendTo(ctx, protoKeep, n)
}

func (r *rawPair) sendTo(ctx context.Context, proto protocol.ID, n int64) (time.Duration, error) {
	buf := benchImage(7, 64<<10)
	d, _, err := r.stream(ctx, proto, func() ([]byte, error) {
		chunk := buf[:min(int64(len(buf)), n)]
		n -= int64(len(chunk))
		return chunk, nil
	})
	return d, err
}

// stream opens proto to the receiver, writes each chunk next gives until
// it gives an empty one, and waits for the receiver's acknowledgement. It
// returns the time from the opening on and the bytes written.
func (r *rawPair) stream(ctx context.Context, proto protocol.ID, next func() ([]byte, error)) (time.Duration, int64, error) {
	t0 := time.Now()
	s, err := r.from.Open(ctx, r.to.ID(), proto)
	if err != nil {
		return 0, 0, err
	}
	var sent int64
	for {
		chunk, err := next()
		if err == nil && len(chunk) > 0 {
			_, err = s.Write(chunk)
		}
		if err != nil {
			s.Reset()
			return 0, 0, err
		}
		if len(chunk) == 0 {
			break
		}
		sent += int64(len(chunk))
	}
	if err := s.CloseWrite(); err != nil {
		return 0, 0, err
	}
	if _, err := io.ReadFull(s, make([]byte, 1)); err != nil {
		return 0, 0, fmt.Errorf("acknowledgement: %w", err)
	}
	_ = s.Close()
	return time.Since(t0), sent, nil
}

// procStatusMB reads a memory line (VmHWM, VmRSS) of this process's
// status in MB; 0 when it cannot.
func procStatusMB(field string) float64 { return procStatusMBOf(0, field) }

// procStatusMBOf is procStatusMB of process pid.
func procStatusMBOf(pid int, field string) float64 {
	kb, _ := proctest.StatusKB(pid, field)
	return float64(kb) / 1024
}

// procCPUSeconds is the user and system CPU time of process pid so far,
// from /proc/PID/stat (clock ticks of 1/100 s, as on Linux); 0 elsewhere.
func procCPUSeconds(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]) // after the command name
	if len(fields) < 13 {
		return 0
	}
	u, _ := strconv.ParseFloat(fields[11], 64)
	k, _ := strconv.ParseFloat(fields[12], 64)
	return (u + k) / 100
}
