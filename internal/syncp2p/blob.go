package syncp2p

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/p2p"
	"golang.org/x/sync/semaphore"
)

// serveBlobs answers an employer's image requests, in order on one
// stream, for images of contracts the employer is party to. Two things
// overlap so the stream never waits for the disk: one goroutine reads the
// requests and loads each image (the checks, the file), up to serveAhead
// ahead, while this one sends the images already loaded.
func (s *Service) serveBlobs(ctx context.Context, raw network.Stream) {
	st := p2p.NewStream(ctx, raw)
	st.MaxFrame = maxFirstFrame // requests are small; only answers are large
	st.MaxWrite = maxBlobFrame
	answers := make(chan loadedBlob, serveAhead)
	stop := make(chan struct{})
	defer close(stop)
	go s.loadBlobs(st, answers, stop)
	for a := range answers {
		var err error
		switch {
		case a.refuse:
			err = sendErr(st, a.err)
		case a.err != nil:
			err = a.err
		default:
			if err = sendAnswer(st, a); err == nil && a.image != nil {
				s.pushes.imageSent(a.contract)
			}
			if a.pooled {
				freeImageBuf(a.room)
			}
		}
		if err != nil {
			s.log().Warn("image request refused", "peer", st.Peer(), "err", err)
			_ = done(st, err)
			return
		}
	}
	_ = st.Close() // the employer has asked for all it wanted
}

// serveAhead is how many loaded images may wait for the network: the next
// image's file is read while this one is being sent.
const serveAhead = 2

// sendAnswer sends an answer's header, then its image as a frame of its
// own: the image's bytes go out as they were read, with no encoding
// around them. An image read after imageRoom bytes of room goes out with
// its header in one write (p2p.Stream.WriteBefore), without a copy.
func sendAnswer(st *p2p.Stream, a loadedBlob) error {
	hdr, err := a.header.Encode()
	if err != nil {
		return err
	}
	if a.image != nil && a.room != nil && len(hdr)+p2p.RoomBefore <= imageRoom {
		return st.WriteBefore(hdr, a.room, imageRoom)
	}
	if err := st.Write(hdr); err != nil || a.image == nil {
		return err
	}
	return st.Write(a.image)
}

// loadedBlob is one request's answer: an image or a reject to send, or
// an error that ends the stream (told to the peer first when refuse).
type loadedBlob struct {
	contract contract.ID
	header   Msg
	image    []byte
	// room is the whole buffer image was read into when it was read
	// after imageRoom bytes of room (nil otherwise).
	room []byte
	// pooled: room is one of imageBufs, given back once sent (an image
	// the Sender keeps, or read into a buffer of its own, is not).
	pooled bool
	err    error
	refuse bool
}

// loadBlobs reads requests and loads their answers, in order, until the
// employer finishes (the channel closes) or a request ends the stream.
// Whether the peer is a contract's employer is checked once per contract
// and stream (party), not per image, and the contract's image reader
// (BlobReader.BlobsOf) made once with it.
func (s *Service) loadBlobs(st *p2p.Stream, answers chan<- loadedBlob, stop <-chan struct{}) {
	defer close(answers)
	party := map[contract.ID]ReadBlobInto{} // contracts this peer is the employer of, and their readers
	for {
		var a loadedBlob
		b, err := st.Read()
		switch {
		case errors.Is(err, io.EOF):
			return
		case err != nil:
			a = loadedBlob{err: err}
		default:
			if m, err := Decode(b); err != nil {
				a = loadedBlob{err: err, refuse: true} // answered with the reason
			} else {
				a = s.loadBlob(st, m, party)
			}
		}
		select {
		case answers <- a:
		case <-stop:
			return
		}
		if a.err != nil {
			return
		}
	}
}

// loadBlob is the answer to one request: the image, or not found (an
// answer, not a failure of the stream), or a refusal of the request.
func (s *Service) loadBlob(st *p2p.Stream, m Msg, party map[contract.ID]ReadBlobInto) loadedBlob {
	if m.Type != tBlobGet || len(m.Hash) != 32 {
		return loadedBlob{err: fmt.Errorf("%w: want a blob request", ErrMalformed), refuse: true}
	}
	id, err := m.contract()
	if err != nil {
		return loadedBlob{err: err, refuse: true}
	}
	read, known := party[id]
	if !known {
		if _, err := s.Sender.SenderHead(id, st.Peer()); err != nil {
			return loadedBlob{err: err, refuse: true}
		}
		if r, ok := s.Sender.(BlobReader); ok {
			if read, err = r.BlobsOf(id); err != nil {
				return loadedBlob{header: reject(err)}
			}
		}
		party[id] = read
	}
	a := loadedBlob{contract: id, header: Msg{Type: tBlob, Hash: m.Hash}}
	if read != nil {
		buf := pooledImageBuf()
		if cap(buf) <= imageRoom {
			buf = make([]byte, 0, imageRoom+defaultImageCap)
		}
		a.image, err = read(ledger.ImageHash(m.Hash), s.pushes.entryOf(id, ledger.ImageHash(m.Hash)), buf[imageRoom:imageRoom])
		switch {
		case err != nil:
			freeImageBuf(buf)
		case len(a.image) > 0 && &buf[:imageRoom+1][imageRoom] == &a.image[0]:
			a.room, a.pooled = buf[:imageRoom+len(a.image)], true
		default:
			// Read into a buffer of its own (larger than buf), which the
			// collector takes back, or empty: either way buf is unused.
			freeImageBuf(buf)
		}
	} else {
		a.image, err = s.Sender.Blob(id, ledger.ImageHash(m.Hash))
	}
	if err != nil {
		return loadedBlob{header: reject(err)}
	}
	return a
}

// blobFetcher fetches images from the contractor during a receive, over
// one blob stream opened on first use.
type blobFetcher struct {
	s        *Service
	ctx      context.Context
	peer     peer.ID
	contract contract.ID
	st       *p2p.Stream
}

func (f *blobFetcher) close() {
	if f != nil && f.st != nil {
		_ = f.st.CloseWrite()
		_ = f.st.Close()
	}
}

// fetch brings the images not already stored into stage, each checked
// against its hash. Three things overlap so the stream never idles: one
// goroutine finds the images not yet stored (a file system lookup each)
// and asks for each as it finds it, so the contractor always finds the
// next request waiting; answers are read here, in the order asked; and
// the keepers check and write the images while the next ones arrive.
// Requests are small and answers are read as they come, so neither side's
// buffers can fill while the other is not reading; at most keepQueue
// images wait in memory besides those the keepers hold. Once abort is
// done the stream is reset, which ends the fetch at once (and a later one
// opens a stream afresh).
func (f *blobFetcher) fetch(abort context.Context, images []ledger.Image, have func(ledger.ImageHash) bool, stage ImageStage) error {
	want := wanted(images, have)
	first, ok := want()
	if !ok {
		return nil // every image is stored already: no stream
	}
	if err := f.open(); err != nil {
		return err
	}
	st := f.st
	defer context.AfterFunc(abort, func() { st.Reset() })()
	asked := make(chan ledger.Image, len(images)) // never full: the writer never blocks on it
	sent := make(chan error, 1)
	go func() { sent <- f.request(first, want, asked) }()
	budget, weight := f.s.inFlight()
	keep, kept := keeper(stage, budget, weight)
	for img := range asked {
		err := budget.Acquire(f.ctx, weight(img))
		var b []byte
		if err == nil {
			if b, err = f.receive(img); err != nil {
				budget.Release(weight(img))
			}
		}
		if err != nil {
			// Unblock the request writer, and start afresh next time:
			// answers may still be in flight on this stream.
			f.st.Reset()
			<-sent
			f.st = nil
			close(keep)
			<-kept
			return err
		}
		keep <- received{img, b}
	}
	close(keep)
	if err := <-kept; err != nil {
		<-sent
		return err
	}
	return <-sent
}

// keepQueue is how many received images may wait for the disk.
const keepQueue = 8

type received struct {
	img  ledger.Image
	data []byte
}

// keepers is how many goroutines of a fetch check and stage images.
// Hashing and writing an image costs about as much CPU as receiving it,
// decrypting included: with one keeper the fetch waited on it, with two
// one image is hashed while another's write is in the kernel. A week's
// sync in memory went from a median of 77 to 82 % of the durable baseline
// (P4, twelve alternating runs each).
const keepers = 2

// keeper checks and stages the images sent on keep, keepers at a time, and
// reports the first failure on kept once keep is closed and every image
// has been handled; after a failure the rest are only dropped. Each
// image's share of the service's budget of images in memory is released
// once it is on disk (or refused).
func keeper(stage ImageStage, budget *semaphore.Weighted, weight func(ledger.Image) int64) (chan<- received, <-chan error) {
	keep := make(chan received, keepQueue)
	kept := make(chan error, 1)
	var wg sync.WaitGroup
	var failed atomic.Pointer[error] // the first failure
	for range keepers {
		wg.Go(func() {
			for img := range keep {
				if failed.Load() == nil {
					if err := stageChecked(stage, img.img, img.data); err != nil {
						failed.CompareAndSwap(nil, &err)
					}
				}
				freeImageBuf(img.data)
				budget.Release(weight(img.img))
			}
		})
	}
	go func() {
		wg.Wait()
		var err error
		if p := failed.Load(); p != nil {
			err = *p
		}
		kept <- err
	}()
	return keep, kept
}

// MaxImagesInFlight is how many bytes of received images all of an
// employer's rounds together may hold in memory before they are on disk.
// Each round keeps up to keepQueue images waiting for the disk; a
// thousand contractors syncing at once (P8) would hold a thousand queues,
// gigabytes of screenshots, where the disk takes them one at a time
// anyway. Rounds past the budget wait for images to reach the disk.
const MaxImagesInFlight = 48 << 20

func (f *blobFetcher) open() error {
	if f.st != nil {
		return nil
	}
	raw, err := f.s.Host.Open(f.ctx, f.peer, p2p.ProtoBlob)
	if err != nil {
		return err
	}
	f.st = p2p.NewStream(f.ctx, raw)
	f.st.MaxFrame = maxBlobFrame
	return nil
}

// request asks for first, then for each image want still finds, and
// passes each on asked once its request is written; it closes asked when
// it is done, or stops asking on the first error. The first request goes
// alone, the rest up to requestsAtOnce to a write: the contractor reads
// them as it serves, and each write costs the muxer, the encryption and
// both systems a message whatever its size.
func (f *blobFetcher) request(first ledger.Image, want func() (ledger.Image, bool), asked chan<- ledger.Image) error {
	defer close(asked)
	next := []ledger.Image{first}
	frames := make([][]byte, 0, requestsAtOnce)
	for len(next) > 0 {
		frames = frames[:0]
		for _, img := range next {
			b, err := Msg{Type: tBlobGet, Contract: f.contract[:], Hash: img.SHA256[:]}.Encode()
			if err != nil {
				return err
			}
			frames = append(frames, b)
		}
		if err := f.st.WriteFrames(frames...); err != nil {
			return err
		}
		for _, img := range next {
			asked <- img
		}
		next = next[:0]
		for img, ok := want(); ok; img, ok = want() {
			if next = append(next, img); len(next) == requestsAtOnce {
				break
			}
		}
	}
	return nil
}

// requestsAtOnce is how many image requests go out in one write: the
// contractor holds at most serveAhead images ahead whatever it has read.
const requestsAtOnce = 16

// receive reads the answer to img's request, into a buffer of the size
// its entry states when it is that size (most are).
func (f *blobFetcher) receive(img ledger.Image) ([]byte, error) {
	h := img.SHA256
	m, err := readMsg(f.st)
	if err != nil {
		return nil, err
	}
	if m.Type != tBlob {
		return nil, fmt.Errorf("image %x: %w", h[:6], unexpected(m, "blob"))
	}
	if !bytes.Equal(m.Hash, h[:]) {
		return nil, fmt.Errorf("%w: asked for image %x, the answer is image %x", ErrMalformed, h[:6], m.Hash[:min(len(m.Hash), 6)])
	}
	return f.st.ReadInto(imageBuf(img.Size))
}

// imageRoom is the room left before an image read for sending, where its
// header frame is laid out (sendAnswer); defaultImageCap is what a new
// such buffer holds after it, enough for a 1080p screenshot.
const (
	imageRoom       = 96
	defaultImageCap = 256 << 10
)

// imageBufs are the buffers received images are read into, each reused
// once its image is on disk: a week's screenshots would otherwise each
// cost a fresh allocation, its clearing and its collection.
var imageBufs sync.Pool // of *[]byte

// imageBuf is an empty buffer for an image of the stated size: pooled when
// one is large enough, none (the frame's own allocation) for a size no
// answer may have.
func imageBuf(size uint64) []byte {
	if size == 0 || size > maxBlobFrame {
		return nil
	}
	if p, ok := imageBufs.Get().(*[]byte); ok && uint64(cap(*p)) >= size {
		return (*p)[:0]
	}
	// With room for sending an image from it later (a node may serve
	// images as well as fetch them).
	return make([]byte, 0, imageRoom+size)
}

// pooledImageBuf is a buffer from the pool, of whatever size, or none.
func pooledImageBuf() []byte {
	if p, ok := imageBufs.Get().(*[]byte); ok {
		return (*p)[:0]
	}
	return nil
}

// freeImageBuf gives an image's buffer back once its bytes are on disk.
func freeImageBuf(b []byte) {
	if cap(b) > 0 && cap(b) <= imageRoom+maxBlobFrame {
		imageBufs.Put(&b)
	}
}

// missing are the images not yet stored, each once (the first entry's
// claims about it are the ones checked).
func missing(images []ledger.Image, have func(ledger.ImageHash) bool) []ledger.Image {
	var out []ledger.Image
	want := wanted(images, have)
	for img, ok := want(); ok; img, ok = want() {
		out = append(out, img)
	}
	return out
}

// wanted yields missing's images one at a time, each looked up only when
// asked for.
func wanted(images []ledger.Image, have func(ledger.ImageHash) bool) func() (ledger.Image, bool) {
	seen := map[ledger.ImageHash]bool{}
	next := 0
	return func() (ledger.Image, bool) {
		for next < len(images) {
			img := images[next]
			next++
			if !seen[img.SHA256] && !have(img.SHA256) {
				seen[img.SHA256] = true
				return img, true
			}
		}
		return ledger.Image{}, false
	}
}
