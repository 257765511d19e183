package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"slices"
	"sync"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// scriptedLog is the party's side of the real sync protocol
// (syncp2p.Sender), serving whatever log an attack scripted instead of the
// folder's: the real entries followed by the attack's tail, and images
// that may not match their hashes. Using the protocol's own sender means
// every byte on the wire is well formed; only the content lies.
type scriptedLog struct {
	key  ed25519.PrivateKey
	name string // the note signer's name: the party's peer ID

	mu       sync.Mutex
	contract [32]byte
	entries  [][]byte
	images   map[[32]byte][]byte
	acked    uint64 // highest seq the node acknowledged in this script
	failure  error  // the attacker's own failure, which must not count as a refusal
	// closes are the week closes sent beside the checkpoint (a close
	// attack's), cosigned how many the node cosigned of them.
	closes   [][]byte
	cosigned int
}

// script replaces what is served.
func (l *scriptedLog) script(contract [32]byte, entries [][]byte, images map[[32]byte][]byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.contract, l.entries, l.images, l.acked, l.failure = contract, entries, images, 0, nil
	l.closes, l.cosigned = nil, 0
}

// scriptCloses sets the week closes the next push sends.
func (l *scriptedLog) scriptCloses(closes [][]byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closes = closes
}

// Closes implements syncp2p.WeekCloser with the scripted closes.
func (l *scriptedLog) Closes(contract.ID) ([][]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closes, nil
}

// ClosesCosigned counts the crafted closes the node cosigned: those of
// cosigned that extend a close sent. A close the node kept of a week it
// had closed before (its answer to a close at another size) cosigns
// nothing the attack sent.
func (l *scriptedLog) ClosesCosigned(_ contract.ID, sent, cosigned [][]byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cosigned = 0
	for _, c := range cosigned {
		if slices.ContainsFunc(sent, func(s []byte) bool { return bytes.HasPrefix(c, s) }) {
			l.cosigned++
		}
	}
	return nil
}

// outcome is what the node did with the script: the seq it acknowledged
// (0: none) and any failure on the attacker's side.
func (l *scriptedLog) outcome() (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.acked, l.failure
}

func (l *scriptedLog) fail(err error) error {
	l.failure = err
	return err
}

func (l *scriptedLog) SenderHead(id contract.ID, _ peer.ID) (ledger.Head, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if id != l.contract || len(l.entries) == 0 {
		return ledger.Head{}, fmt.Errorf("%w: nothing scripted for %x", syncp2p.ErrUnknown, id[:6])
	}
	last := l.entries[len(l.entries)-1]
	return ledger.Head{Seq: uint64(len(l.entries)), Hash: sha256.Sum256(last)}, nil
}

func (l *scriptedLog) Entries(id contract.ID, from, to uint64) ([][]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if id != l.contract || from < 1 || to < from || to > uint64(len(l.entries)) {
		return nil, l.fail(fmt.Errorf("the node asked for entries %d..%d, the script has %d", from, to, len(l.entries)))
	}
	return l.entries[from-1 : to], nil
}

func (l *scriptedLog) Blob(id contract.ID, hash ledger.ImageHash) ([]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.images[hash]; ok && id == l.contract {
		return b, nil
	}
	return nil, fmt.Errorf("%w: image %x is not in the script", syncp2p.ErrNotFound, hash[:6])
}

// Checkpoint signs the scripted log honestly: the attacks are in the
// entries, and a node that got this far has already taken them.
func (l *scriptedLog) Checkpoint(id contract.ID) ([]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	logID := ledger.LogIDOf(id, l.key.Public().(ed25519.PublicKey))
	note, err := ledger.SignCheckpoint(l.key, l.name, ledger.CheckpointFor(logID, l.entries))
	if err != nil {
		return nil, l.fail(err)
	}
	return note, nil
}

func (l *scriptedLog) Acked(_ contract.ID, seq uint64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.acked = max(l.acked, seq)
	return nil
}

func (l *scriptedLog) Receipt(contract.ID, []byte, []byte) error            { return nil }
func (l *scriptedLog) Refused(contract.ID, []syncp2p.Refusal) error         { return nil }
func (l *scriptedLog) PendingAcceptance(contract.ID) ([]byte, []byte, bool) { return nil, nil, false }
func (l *scriptedLog) AcceptanceDelivered(contract.ID) error                { return nil }
func (l *scriptedLog) Bind(contract.ID, [][]byte) error                     { return nil }
