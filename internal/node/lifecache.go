package node

import (
	"sync"

	"github.com/workdiary/workdiary/internal/contract"
)

// lifeCache keeps each contract as the registry last had it, for the
// tracker's check before every minute it records (recordingAllowed). Reading
// the registry is a store transaction, a hash of the stored record (to find
// its verification in contract's cache, or verify the offer, acceptance and
// every bound record again) and a copy of the contract and its lifecycle: a
// cost worth paying when something changed, not sixty times an hour while
// nothing does.
//
// Every change of a contract in this folder goes through this node (the
// owner holds the folder while a session runs) and is announced as
// TopicContractsChanged, which empties the cache; the node's own bindings
// empty it too, before they are announced. A read that raced a change
// (it began before the change and ends after) is not kept: gen tells.
type lifeCache struct {
	mu   sync.Mutex // a leaf: held for map operations alone
	gen  uint64     // bumped by every forget
	byID map[contract.ID]*contract.Contract
	// load reads a contract from the registry (Registry.Get); tests wrap
	// it to count the reads.
	load func(contract.ID) (*contract.Contract, error)
}

// get returns the contract id as last read, reading the registry only
// after a change or on first use. The contract returned is shared: callers
// only read it.
func (l *lifeCache) get(id contract.ID) (*contract.Contract, error) {
	l.mu.Lock()
	c, ok := l.byID[id]
	gen := l.gen
	l.mu.Unlock()
	if ok {
		return c, nil
	}
	c, err := l.load(id)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.gen == gen {
		if l.byID == nil {
			l.byID = map[contract.ID]*contract.Contract{}
		}
		l.byID[id] = c
	}
	return c, nil
}

// forget drops every kept contract: one of them changed.
func (l *lifeCache) forget() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.gen++
	clear(l.byID)
}
