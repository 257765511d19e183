package syncp2p

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/workdiary/workdiary/internal/p2p"
)

// serveBlobs answers an employer's image requests, one after another on
// one stream, for images of contracts the employer is party to.
func (s *Service) serveBlobs(ctx context.Context, raw network.Stream) {
	st := p2p.NewStream(ctx, raw)
	st.MaxFrame = maxBlobFrame
	for {
		m, err := readMsg(st)
		if errors.Is(err, io.EOF) {
			_ = st.Close()
			return
		}
		if err != nil {
			s.logf("blob: %v", err)
			st.Reset() // a frame that does not decode leaves the stream open otherwise
			return
		}
		if err := s.answerBlob(st, m); err != nil {
			s.logf("blob for %s: %v", st.Peer(), err)
			_ = done(st, err)
			return
		}
	}
}

func (s *Service) answerBlob(st *p2p.Stream, m Msg) error {
	if m.Type != tBlobGet || len(m.Hash) != 32 {
		return sendErr(st, fmt.Errorf("%w: want a blob request", ErrMalformed))
	}
	id, err := m.contract()
	if err != nil {
		return sendErr(st, err)
	}
	if _, err := s.Sender.SenderHead(id, st.Peer()); err != nil {
		return sendErr(st, err)
	}
	b, err := s.Sender.Blob(id, [32]byte(m.Hash))
	if err != nil {
		// Not found is an answer, not a failure of the stream.
		return writeMsg(st, reject(err))
	}
	return writeMsg(st, Msg{Type: tBlob, Hash: m.Hash, Blob: b})
}

// blobFetcher fetches images from the contractor during a receive, over
// one blob stream opened on first use.
type blobFetcher struct {
	s        *Service
	ctx      context.Context
	peer     peer.ID
	contract [32]byte
	st       *p2p.Stream
}

func (f *blobFetcher) close() {
	if f != nil && f.st != nil {
		_ = f.st.CloseWrite()
		_ = f.st.Close()
	}
}

// pipeline is how many image requests are in flight at once: enough to
// hide the round trip on a fast link, few enough that neither side's
// buffers can fill while the other is not reading.
const pipeline = 16

// fetch returns the images not already stored, each checked against its
// hash. Requests go out in windows of pipeline so the round trips overlap.
func (f *blobFetcher) fetch(hashes [][32]byte, have func([32]byte) bool) (map[[32]byte][]byte, error) {
	out := map[[32]byte][]byte{}
	var want [][32]byte
	seen := map[[32]byte]bool{}
	for _, h := range hashes {
		if !seen[h] && !have(h) {
			seen[h] = true
			want = append(want, h)
		}
	}
	for len(want) > 0 {
		window := want[:min(pipeline, len(want))]
		want = want[len(window):]
		if err := f.request(window); err != nil {
			return nil, err
		}
		for _, h := range window {
			b, err := f.receive(h)
			if err != nil {
				return nil, err
			}
			out[h] = b
		}
	}
	return out, nil
}

func (f *blobFetcher) request(window [][32]byte) error {
	if f.st == nil {
		raw, err := f.s.Host.Open(f.ctx, f.peer, p2p.ProtoBlob)
		if err != nil {
			return err
		}
		f.st = p2p.NewStream(f.ctx, raw)
		f.st.MaxFrame = maxBlobFrame
	}
	for _, h := range window {
		if err := writeMsg(f.st, Msg{Type: tBlobGet, Contract: f.contract[:], Hash: h[:]}); err != nil {
			return err
		}
	}
	return nil
}

func (f *blobFetcher) receive(h [32]byte) ([]byte, error) {
	m, err := readMsg(f.st)
	if err != nil {
		return nil, err
	}
	if m.Type != tBlob {
		return nil, fmt.Errorf("image %x: %w", h[:6], unexpected(m, "blob"))
	}
	if sha256.Sum256(m.Blob) != h {
		return nil, fmt.Errorf("%w: image %x", ErrBadImage, h[:6])
	}
	return m.Blob, nil
}
