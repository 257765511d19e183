package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/workdiary/workdiary/internal/p2p"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// employerBlobAttacks ask the target, as its employer, for images it must
// not send: of another contract of its, of a hash in no entry, of an
// entry the contract's terms refuse (with --refused-image), and a flood
// of requests on one stream; and, with --served-image, flood it with
// requests for a large image it must send, on several streams at once.
func employerBlobAttacks(k *kit) []attack {
	list := []attack{
		{"employer/blob-other-contract", asEmployer, exchange(asEmployer, p2p.ProtoBlob, func(k *kit, c *conv) verdict {
			return sendThenJudge(c, blobGet(k.victim, k.probeOrRandom()))
		})},
		{"employer/blob-unknown-hash", asEmployer, exchange(asEmployer, p2p.ProtoBlob, func(k *kit, c *conv) verdict {
			return sendThenJudge(c, blobGet(k.employer.contractID(), [32]byte(randomBytes(32))))
		})},
		{"employer/blob-flood", asEmployer, exchange(asEmployer, p2p.ProtoBlob, blobFlood)},
	}
	if k.refusedImage != ([32]byte{}) {
		// The image of an entry the employer refused under the terms: it
		// stays on the contractor's machine even when asked for by hash.
		list = append(list, attack{"employer/blob-terms-refused", asEmployer, exchange(asEmployer, p2p.ProtoBlob, func(k *kit, c *conv) verdict {
			return sendThenJudge(c, blobGet(k.employer.contractID(), k.refusedImage))
		})})
	}
	if k.servedImage != ([32]byte{}) {
		list = append(list, attack{"employer/blob-flood-served", asEmployer, servedFlood})
	}
	return list
}

// servedStreams and servedAsks shape the flood of requests for an image
// the target serves: servedAsks requests on each of servedStreams blob
// streams at once, short of the streams a peer may hold
// (p2p.MaxStreamsPerPeer). Each answer is read servedPause after the one
// before, so that the requests wait at the target.
const (
	servedStreams, servedAsks = 6, 40
	servedPause               = 50 * time.Millisecond
)

// servedFlood asks for the served image servedAsks times on each of
// servedStreams streams, every request at once, and reads the answers
// slowly. The target must answer every request with exactly that image,
// in order, on every stream; what it may not do is load the images of
// all the requests waiting, rather than a few a stream, which the test
// reads from its process.
func servedFlood(ctx context.Context, k *kit) verdict {
	ctx, cancel := context.WithTimeout(ctx, k.opts.answerIn)
	defer cancel()
	type result struct {
		bytes int
		v     *verdict // nil: every answer was the image
	}
	results := make(chan result, servedStreams)
	for range servedStreams {
		go func() {
			c, refused := k.openAs(ctx, asEmployer, p2p.ProtoBlob)
			if refused != nil {
				results <- result{v: refused}
				return
			}
			defer c.st.Reset()
			n, v := askOver(k, c, k.servedImage, servedAsks)
			results <- result{n, v}
		}()
	}
	total := 0
	var wrong *verdict
	for range servedStreams {
		r := <-results
		total += r.bytes
		if r.v != nil && wrong == nil {
			wrong = r.v
		}
	}
	if wrong != nil {
		v := unlessHung(ctx, *wrong)
		v.Refused = false // a refusal of an image the target must serve is a failure too
		return v
	}
	return verdict{Answered: true, Reason: fmt.Sprintf("served the image asked for %d times on each of %d streams at once, %.0f MB in all",
		servedAsks, servedStreams, float64(total)/1e6)}
}

// askOver asks for image n times on c, all at once, and reads every
// answer, servedPause apart: the bytes received, or the verdict on the
// first answer that is not the image.
func askOver(k *kit, c *conv, image [32]byte, n int) (int, *verdict) {
	sent := sendAll(c, n, func() syncp2p.Msg { return blobGet(k.employer.contractID(), image) })
	total := 0
	for i := range n {
		time.Sleep(servedPause)
		m, err := c.read()
		var b []byte
		if err == nil && m.Type == msgBlob {
			b, err = c.st.Read()
		}
		if err != nil || m.Type != msgBlob || !bytes.Equal(m.Hash, image[:]) || sha256.Sum256(b) != image {
			c.st.Reset()
			<-sent
			v := judge(m, err)
			if err == nil && m.Type == msgBlob {
				v = verdict{Reason: fmt.Sprintf("not the image asked for (%d bytes)", len(b))}
			}
			v.Reason = fmt.Sprintf("answer %d of %d: %s", i+1, n, v.Reason)
			return total, &v
		}
		total += len(b)
	}
	if err := <-sent; err != nil {
		return total, &verdict{Reason: "the requests were not sent whole: " + err.Error()}
	}
	return total, nil
}

// sendAll sends n messages made by next on c, then closes its writing
// side, while the caller reads the answers; the channel says how that
// went once it is over.
func sendAll(c *conv, n int, next func() syncp2p.Msg) <-chan error {
	sent := make(chan error, 1)
	go func() {
		for range n {
			if err := c.send(next()); err != nil {
				sent <- err
				return
			}
		}
		sent <- c.st.CloseWrite()
	}()
	return sent
}

// employerSlowAttacks last as long as the target's write deadline; they
// run once, alongside the others (--slow).
func employerSlowAttacks() []attack {
	return []attack{{"employer/blob-never-read", asEmployer, func(ctx context.Context, k *kit) verdict {
		ctx, cancel := context.WithTimeout(ctx, k.opts.holdFor+k.opts.answerIn)
		defer cancel()
		c, refused := k.openAs(ctx, asEmployer, p2p.ProtoBlob)
		if refused != nil {
			return *refused
		}
		defer c.st.Reset()
		return blobNeverRead(k, c)
	}}}
}

// floodSize is how many image requests the flood sends on one stream.
const floodSize = 2000

// blobFlood asks for floodSize images of no entry on one stream, all at
// once, reading the answers meanwhile: each must be refused, in order,
// and the stream must keep answering to the last.
func blobFlood(k *kit, c *conv) verdict {
	sent := sendAll(c, floodSize, func() syncp2p.Msg { return blobGet(k.employer.contractID(), [32]byte(randomBytes(32))) })
	var last verdict
	for i := range floodSize {
		m, err := c.read()
		if last = judge(m, err); !last.Refused || last.Ended {
			c.st.Reset()
			<-sent
			return verdict{Reason: fmt.Sprintf("answer %d of %d requests: %s", i+1, floodSize, last.Reason)}
		}
	}
	if err := <-sent; err != nil {
		return verdict{Reason: "the flood was not sent whole: " + err.Error()}
	}
	last.Reason = fmt.Sprintf("each of %d requests refused, the last: %s", floodSize, last.Reason)
	return last
}

// blobNeverRead asks for images and never reads an answer, until the
// answers and requests fill both ways of the stream: the target must let
// go of it at its write deadline rather than hold it (and what it loaded)
// for ever. The requests go out as one run of frames on the raw stream,
// resumed where a blocked write stopped, until a write finds the stream
// reset by the target, or --slowloris-limit passes.
func blobNeverRead(k *kit, c *conv) verdict {
	start := time.Now()
	raw := c.st.Raw()
	var pending []byte
	for time.Since(start) < k.opts.holdFor {
		if len(pending) == 0 {
			b, err := blobGet(k.employer.contractID(), [32]byte(randomBytes(32))).Encode()
			if err != nil {
				return didNotRun(err)
			}
			pending = framed(b)
		}
		_ = raw.SetWriteDeadline(time.Now().Add(time.Second))
		n, err := raw.Write(pending)
		pending = pending[n:]
		var ne net.Error
		switch {
		case err == nil:
		case errors.As(err, &ne) && ne.Timeout():
			// The target no longer reads; ask again in a moment.
		default:
			return verdict{Refused: true, Ended: true, Reason: fmt.Sprintf("the target ended the stream %v after the first request whose answer was never read: %v",
				time.Since(start).Round(time.Second), err)}
		}
	}
	return verdict{Reason: fmt.Sprintf("the target still holds a stream whose answers are never read after %v", k.opts.holdFor)}
}
