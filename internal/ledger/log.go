package ledger

import (
	"crypto/ed25519"
	"fmt"
)

// Log is the contractor's writing end of one contract's log. It fills the
// chain fields from its head, and runs every new entry through the same
// Verifier the employer will use, so the contractor never signs an entry the
// other side would refuse. A Log is not safe for concurrent use.
type Log struct {
	key ed25519.PrivateKey
	v   *Verifier
}

// NewLog continues the log of contractID from head. earlier answers for the
// entries up to head (see History); it may be nil only for an empty log.
func NewLog(key ed25519.PrivateKey, contractID ContractID, head Head, earlier History) (*Log, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("new log: private key is %d bytes, want %d", len(key), ed25519.PrivateKeySize)
	}
	v, err := NewVerifier(contractID, key.Public().(ed25519.PublicKey), head, earlier)
	if err != nil {
		return nil, err
	}
	return &Log{key: key, v: v}, nil
}

// ID returns the log ID.
func (l *Log) ID() LogID { return l.v.logID }

// Head returns the last appended entry's seq and hash.
func (l *Log) Head() Head { return l.v.Head() }

// Append makes e the next entry: it sets the contract ID, log ID, seq and
// prev, signs, checks the chain rules and advances the head. On error the
// head stays where it was.
func (l *Log) Append(e Entry) (Signed, error) {
	h := l.v.Head()
	e.ContractID, e.LogID = l.v.contractID, l.v.logID
	e.Seq, e.Prev = h.Seq+1, h.Hash
	s, err := Sign(l.key, e)
	if err != nil {
		return Signed{}, err
	}
	if _, err := l.v.Next(s.Bytes); err != nil {
		return Signed{}, err
	}
	return s, nil
}
