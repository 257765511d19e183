package syncp2p

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
)

// fakeSender is the contractor's store in memory: per contract, the signed
// entries it serves and the employer it serves them to; one image store
// that may also hold images no entry commits to (unapproved ones).
type fakeSender struct {
	key ed25519.PrivateKey

	mu    sync.Mutex
	logs  map[contract.ID]*sentLog
	store map[ledger.ImageHash][]byte
	// blobHook, when set, answers Blob instead of the store (faults).
	blobHook func(hash [32]byte) ([]byte, error)
	// entriesHook, when set, runs before Entries answers (cuts).
	entriesHook func(from, to uint64)
	// bound are the contract records the employer's haves carried.
	bound [][]byte
}

type sentLog struct {
	employer    peer.ID
	employerKey ed25519.PublicKey
	entries     [][]byte
	committed   map[[32]byte]bool
	acked       []uint64
	refused     map[uint64]string
	receipt     []byte
}

var _ Sender = (*fakeSender)(nil)

func (s *fakeSender) setLog(id [32]byte, entries [][]byte, images map[ledger.ImageHash][]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.logs[id]
	l.entries, l.committed = entries, map[[32]byte]bool{}
	for _, b := range entries {
		if e, err := ledger.OpenEntry(b); err == nil {
			for _, img := range e.Entry.Images {
				l.committed[img.SHA256] = true
			}
		}
	}
	for h, b := range images {
		s.store[h] = b
	}
}

func (s *fakeSender) hookBlobs(f func(hash [32]byte) ([]byte, error)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blobHook = f
}

func (s *fakeSender) log(id [32]byte) (*sentLog, error) {
	l, ok := s.logs[id]
	if !ok {
		return nil, fmt.Errorf("%w: %x", ErrUnknown, id[:6])
	}
	return l, nil
}

func (s *fakeSender) SenderHead(id contract.ID, employer peer.ID) (ledger.Head, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, err := s.log(id)
	if err != nil {
		return ledger.Head{}, err
	}
	if employer != l.employer {
		return ledger.Head{}, fmt.Errorf("%w: %s is not the employer", ErrNotParty, employer)
	}
	if len(l.entries) == 0 {
		return ledger.Head{}, nil
	}
	return ledger.Head{Seq: uint64(len(l.entries)), Hash: sha256.Sum256(l.entries[len(l.entries)-1])}, nil
}

func (s *fakeSender) Entries(id contract.ID, from, to uint64) ([][]byte, error) {
	s.mu.Lock()
	hook := s.entriesHook
	s.mu.Unlock()
	if hook != nil {
		hook(from, to)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l, err := s.log(id)
	if err != nil {
		return nil, err
	}
	if from < 1 || to+1 < from || to > uint64(len(l.entries)) {
		return nil, fmt.Errorf("%w: entries %d..%d of %d", ErrNotFound, from, to, len(l.entries))
	}
	return append([][]byte(nil), l.entries[from-1:to]...), nil
}

// Blob follows the node's rule: only images an entry of the log commits to.
func (s *fakeSender) Blob(id contract.ID, hash ledger.ImageHash) ([]byte, error) {
	s.mu.Lock()
	hook := s.blobHook
	l, err := s.log(id)
	var b []byte
	ok := err == nil && l.committed[hash]
	if ok {
		b, ok = s.store[hash]
	}
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if hook != nil {
		return hook(hash)
	}
	if !ok {
		return nil, fmt.Errorf("%w: image %x is in no approved entry", ErrNotFound, hash[:6])
	}
	return b, nil
}

func (s *fakeSender) Checkpoint(id contract.ID) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, err := s.log(id)
	if err != nil {
		return nil, err
	}
	pub := s.key.Public().(ed25519.PublicKey)
	cp := ledger.CheckpointFor(ledger.LogIDOf(id, pub), l.entries)
	return ledger.SignCheckpoint(s.key, identity.PeerIDOf(pub).String(), cp)
}

func (s *fakeSender) Acked(id contract.ID, seq uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, err := s.log(id)
	if err == nil {
		l.acked = append(l.acked, seq)
	}
	return err
}

func (s *fakeSender) Refused(id contract.ID, refused []Refusal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, err := s.log(id)
	if err != nil {
		return err
	}
	if l.refused == nil {
		l.refused = map[uint64]string{}
	}
	for _, r := range refused {
		l.refused[r.Seq] = r.Reason
	}
	return nil
}

func (s *fakeSender) refusals(id [32]byte) map[uint64]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.logs[id].refused)
}

func (s *fakeSender) Receipt(id contract.ID, sent, cosigned []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, err := s.log(id)
	if err != nil {
		return err
	}
	if _, err := ledger.OpenReceipt(sent, cosigned, noteKey(s.key.Public().(ed25519.PublicKey)), noteKey(l.employerKey)); err != nil {
		return fmt.Errorf("%w: %w", ErrCheckpoint, err)
	}
	l.receipt = cosigned
	return nil
}

func (s *fakeSender) PendingAcceptance(contract.ID) ([]byte, []byte, bool) { return nil, nil, false }
func (s *fakeSender) AcceptanceDelivered(contract.ID) error                { return nil }

func (s *fakeSender) Bind(_ contract.ID, records [][]byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bound = append(s.bound, records...)
	return nil
}

func (s *fakeSender) state(id [32]byte) (acked []uint64, receipt []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.logs[id]
	return append([]uint64(nil), l.acked...), l.receipt
}

// fakeReceiver is the employer's store in memory: a copy of each
// contractor's log, the images, the cosigned notes.
type fakeReceiver struct {
	key ed25519.PrivateKey

	// receipt, when set, replaces the receipt Cosign returns: an employer
	// that answers with another note than the cosignature of the one sent.
	receipt func(honest []byte) []byte

	mu      sync.Mutex
	copies  map[contract.ID]*copyLog
	blobs   map[ledger.ImageHash][]byte
	commits int
	// proposed are contract records every have offers.
	proposed [][]byte
}

type copyLog struct {
	terms      Terms
	contractor peer.ID
	signed     []ledger.Signed
	refused    []Refusal
	cosigned   []byte
}

var _ Receiver = (*fakeReceiver)(nil)

func (r *fakeReceiver) copyOf(id [32]byte) (*copyLog, error) {
	c, ok := r.copies[id]
	if !ok {
		return nil, fmt.Errorf("%w: %x", ErrUnknown, id[:6])
	}
	return c, nil
}

func (c *copyLog) head() ledger.Head {
	if len(c.signed) == 0 {
		return ledger.Head{}
	}
	return c.signed[len(c.signed)-1].Head()
}

func (r *fakeReceiver) Terms(id contract.ID, contractor peer.ID) (Terms, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.copyOf(id)
	if err != nil {
		return Terms{}, err
	}
	if contractor != c.contractor {
		return Terms{}, fmt.Errorf("%w: %s is not the contractor", ErrNotParty, contractor)
	}
	return c.terms, nil
}

func (r *fakeReceiver) Head(id contract.ID) (ledger.Head, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.copyOf(id)
	if err != nil {
		return ledger.Head{}, err
	}
	return c.head(), nil
}

func (r *fakeReceiver) WithHistory(id contract.ID, fn func(ledger.History) error) error {
	r.mu.Lock()
	c, err := r.copyOf(id)
	var h *history
	if err == nil {
		h = historyOf(c.signed)
	}
	r.mu.Unlock()
	if err != nil {
		return err
	}
	return fn(h)
}

func (r *fakeReceiver) HasBlob(h ledger.ImageHash) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.blobs[h]
	return ok
}

// fakeStage keeps a batch's images in memory.
type fakeStage struct {
	mu sync.Mutex
	m  map[ledger.ImageHash][]byte
}

func (r *fakeReceiver) StageImages() ImageStage { return &fakeStage{m: map[ledger.ImageHash][]byte{}} }

func (s *fakeStage) Add(b []byte) (ledger.ImageHash, error) {
	h := sha256.Sum256(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[h] = bytes.Clone(b)
	return h, nil
}

func (s *fakeStage) Discard() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.m)
}

// Commit is all or nothing, and checks what a store must: the head did not
// move (ErrUnavailable when it did, as the interface says), and every
// image is what its name says.
func (r *fakeReceiver) Commit(id contract.ID, from ledger.Head, entries []ledger.Signed, refused []Refusal, images ImageStage) error {
	blobs := images.(*fakeStage).m
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.copyOf(id)
	if err != nil {
		return err
	}
	if c.head() != from {
		return fmt.Errorf("%w: copy at %s, batch after %s", ErrUnavailable, c.head(), from)
	}
	for h, b := range blobs {
		if sha256.Sum256(b) != h {
			return fmt.Errorf("%w: store got %x", ErrBadImage, h[:6])
		}
	}
	for h, b := range blobs {
		r.blobs[h] = b
	}
	c.signed = append(c.signed, entries...)
	c.refused = append(c.refused, refused...)
	r.commits++
	return nil
}

func (r *fakeReceiver) Refusals(id contract.ID) ([]Refusal, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.copyOf(id)
	if err != nil {
		return nil, err
	}
	return slices.Clone(c.refused), nil
}

func (r *fakeReceiver) Cosign(id contract.ID, note []byte) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.copyOf(id)
	if err != nil {
		return nil, err
	}
	cp, _, err := ledger.OpenCheckpoint(note, noteKey(c.terms.Contractor))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCheckpoint, err)
	}
	if cp.Size > uint64(len(c.signed)) {
		return nil, fmt.Errorf("%w: note has %d entries, copy %d", ErrCheckpoint, cp.Size, len(c.signed))
	}
	var entries [][]byte
	for _, s := range c.signed[:cp.Size] {
		entries = append(entries, s.Bytes)
	}
	if err := ledger.CheckCheckpoint(cp, ledger.LogIDOf(id, c.terms.Contractor), entries); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCheckpoint, err)
	}
	pub := r.key.Public().(ed25519.PublicKey)
	cosigned, err := ledger.Cosign(note, r.key, identity.PeerIDOf(pub).String())
	if err != nil {
		return nil, err
	}
	c.cosigned = cosigned
	if r.receipt != nil {
		return r.receipt(cosigned), nil
	}
	return cosigned, nil
}

func (r *fakeReceiver) Proposed(contract.ID) ([][]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.proposed, nil
}

func (r *fakeReceiver) RecordAcceptance(signed, _ []byte, _ peer.ID) (contract.ID, error) {
	if _, err := contract.DecodeAcceptance(signed); err != nil {
		return contract.ID{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return contract.ID{}, fmt.Errorf("%w: no open offer", ErrUnknown)
}

// snapshot is what the receiver holds of one contract.
type snapshot struct {
	head     ledger.Head
	entries  [][]byte
	blobs    int
	commits  int
	cosigned []byte
}

func (r *fakeReceiver) snapshot(id [32]byte) snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.copies[id]
	s := snapshot{head: c.head(), blobs: len(r.blobs), commits: r.commits, cosigned: c.cosigned}
	for _, e := range c.signed {
		s.entries = append(s.entries, e.Bytes)
	}
	return s
}

// orphans lists what breaks "images arrive with their entries": stored
// images no entry commits to, and images of stored entries (but refused
// ones) missing.
func (r *fakeReceiver) orphans(id [32]byte) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	want := map[[32]byte]bool{}
	refused := map[uint64]bool{}
	for _, rf := range r.copies[id].refused {
		refused[rf.Seq] = true
	}
	for _, s := range r.copies[id].signed {
		if refused[s.Entry.Seq] {
			continue // its images are never fetched
		}
		for _, img := range s.Entry.Images {
			want[img.SHA256] = true
		}
	}
	var out []string
	for h := range want {
		if _, ok := r.blobs[h]; !ok {
			out = append(out, fmt.Sprintf("missing %x", h[:6]))
		}
	}
	for h := range r.blobs {
		if !want[h] {
			out = append(out, fmt.Sprintf("stray %x", h[:6]))
		}
	}
	return out
}
