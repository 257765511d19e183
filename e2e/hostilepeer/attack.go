package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/protocol"
)

// attack is one way of misusing the protocols, run as one role.
type attack struct {
	name string
	as   string
	run  func(ctx context.Context, k *kit) verdict
}

// verdict is the node's answer to an attack.
type verdict struct {
	Refused bool
	// Answered: the attack asks for what the node must give (a flood of
	// requests for an image it serves), and it gave exactly that.
	Answered bool
	Code     string // the node's wire code, when it sent a reject
	Reason   string // the node's reason, or what this side saw
	Ended    bool   // the node ended the stream rather than answer
}

// report is one output line.
type report struct {
	Attack   string `json:"attack"`
	As       string `json:"as"`
	Refused  bool   `json:"refused"`
	Answered bool   `json:"answered,omitempty"`
	Code     string `json:"code,omitempty"`
	Reason   string `json:"reason"`
	Duration string `json:"duration"`
}

// reporter prints reports as they come, one JSON object a line.
type reporter struct {
	mu         sync.Mutex
	enc        *json.Encoder
	refusedAll bool // every attack so far was refused (or answered as it must be)
}

func newReporter() *reporter { return &reporter{enc: json.NewEncoder(os.Stdout), refusedAll: true} }

func (r *reporter) print(a attack, v verdict, took time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refusedAll = r.refusedAll && (v.Refused || v.Answered)
	_ = r.enc.Encode(report{Attack: a.name, As: a.as, Refused: v.Refused, Answered: v.Answered, Code: v.Code, Reason: v.Reason,
		Duration: took.Round(time.Millisecond).String()})
}

func (r *reporter) allRefused() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refusedAll
}

// run starts the hosts, runs the slow-loris attacks in the background and
// every other attack in order meanwhile, and reports each.
func run(ctx context.Context, o options) (bool, error) {
	scratch, err := os.MkdirTemp("", "hostilepeer-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(scratch)
	k, err := newKit(ctx, o, scratch)
	if err != nil {
		return false, err
	}
	defer k.close()
	if o.as == asEmployer {
		return runEmployer(ctx, k, o)
	}
	if k.baseline, err = k.partyCopy(ctx); err != nil {
		return false, fmt.Errorf("ask the node where its copy of the party's log stands: %w", err)
	}
	out := newReporter()
	var slow sync.WaitGroup
	for _, a := range slowLorisAttacks() {
		if o.wanted(a) {
			slow.Go(func() { k.attempt(ctx, a, out) })
		}
	}
	list := attacksInOrder()
	if o.memory {
		list = append(list, memoryAttacks()...)
	}
	for range o.rounds {
		for _, a := range list {
			if o.wanted(a) {
				k.attempt(ctx, a, out)
			}
		}
	}
	slow.Wait()
	return out.allRefused(), ctx.Err()
}

func (k *kit) attempt(ctx context.Context, a attack, out *reporter) {
	start := time.Now()
	v := a.run(ctx, k)
	took := time.Since(start)
	if v.Refused {
		v = k.storedNothing(ctx, v)
	}
	out.print(a, v, took)
}

// storedNothing turns a refusal into a failure when the node's copy of
// the party's log moved all the same: a refusal that kept part of a batch.
// The new position becomes the one to keep, so that only the attack that
// moved it is blamed.
func (k *kit) storedNothing(ctx context.Context, v verdict) verdict {
	now, err := k.partyCopy(ctx)
	if err != nil {
		return verdict{Reason: fmt.Sprintf("after refusing (%s) the node no longer tells the party where its copy stands: %v", v.Reason, err)}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if was := k.baseline; now != was {
		k.baseline = now
		return verdict{Reason: fmt.Sprintf("the node refused (%s) but its copy of the party's log moved from %s to %s", v.Reason, was, now)}
	}
	return v
}

// runEmployer runs the employer's attacks in order (each makes the target
// push, so they cannot overlap), and the slow ones alongside.
func runEmployer(ctx context.Context, k *kit, o options) (bool, error) {
	out := newReporter()
	var slow sync.WaitGroup
	if o.slow {
		for _, a := range employerSlowAttacks() {
			if o.wanted(a) {
				slow.Go(func() {
					start := time.Now()
					out.print(a, a.run(ctx, k), time.Since(start))
				})
			}
		}
	}
	for range o.rounds {
		for _, a := range employerAttacks(k) {
			if o.wanted(a) {
				start := time.Now()
				v := a.run(ctx, k)
				out.print(a, v, time.Since(start))
			}
		}
	}
	slow.Wait()
	return out.allRefused(), ctx.Err()
}

// attacksInOrder is every attack but the slow-loris ones, in the order
// they run.
func attacksInOrder() []attack {
	var all []attack
	all = append(all, strangerAttacks()...)
	all = append(all, notPartyAttacks()...)
	all = append(all, forgedLogAttacks()...)
	all = append(all, closeAttacks()...)
	all = append(all, handWrittenAttacks()...)
	all = append(all, frameAttacks()...)
	return all
}

// exchange opens proto as role and runs talk on it. A stranger whose
// connection the node refuses is refused; a party that cannot reach the
// node never got to attack.
func exchange(role string, proto protocol.ID, talk func(*kit, *conv) verdict) func(context.Context, *kit) verdict {
	return func(ctx context.Context, k *kit) verdict {
		ctx, cancel := context.WithTimeout(ctx, k.opts.answerIn)
		defer cancel()
		c, refused := k.openAs(ctx, role, proto)
		if refused != nil {
			return *refused
		}
		defer c.st.Reset()
		return unlessHung(ctx, talk(k, c))
	}
}

// unlessHung overrules a verdict reached because ctx ended: a stream this
// side gave up on looks reset, but the node never answered.
func unlessHung(ctx context.Context, v verdict) verdict {
	if ctx.Err() != nil {
		return verdict{Reason: fmt.Sprintf("no answer in time: the node neither refused nor ended the stream (%v)", ctx.Err())}
	}
	return v
}
