// Command hostilepeer speaks Workdiary's sync, blob and pairing protocols
// badly on purpose against a running node (`workdiary serve`), to show that
// the node refuses every kind of abuse with a reason, stores nothing of it
// and keeps serving everyone else.
//
// It attacks in three roles: as a stranger, with a freshly generated
// identity that shares no contract with the node, and as a party, with the
// identity of a real contractor whose data folder (--party) holds an
// accepted contract with the node and some entries the node already has;
// or, against a contractor's node (--as employer), as the employer of one
// of its contracts, with the identity from the employer's data folder
// (--employer-party). The employer role makes the node push to it by
// running the command after `--` (`workdiary --home DIR sync --contract
// ID`, which asks the serving node to sync), then answers each round
// badly; a refusal counts only when that command reports the sync failed.
// That the node kept nothing of the attacks is for the caller to check
// with the folder's own commands (e2e/hostile_employer_test.go). It
// prints one JSON line per attack:
//
//	{"attack":"chain/gap","as":"party","refused":true,"code":"rejected","reason":"…","duration":"4ms"}
//
// and exits 0 when every attack was refused, 1 when one was not, 2 when the
// attacks could not be set up.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostilepeer:", err)
		os.Exit(2)
	}
	refused, err := run(ctx, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostilepeer:", err)
		os.Exit(2)
	}
	if !refused {
		os.Exit(1)
	}
}

// options are the command line.
type options struct {
	target   string // the node's multiaddr ending in /p2p/ID
	party    string // a contractor's data folder with an accepted contract with the target
	victim   string // a contract of the target that the party is not part of
	probe    string // an image hash of the victim contract, to ask for
	invite   string // an open offer of the target's, its pairing secret removed
	only     []string
	memory   bool   // also the attacks on the node's memory (near-cap first frames), which it must cut at the header
	as       string // "" (stranger and party), "stranger", "party" or "employer"
	rounds   int
	streams  int           // slow-loris streams per variant
	holdFor  time.Duration // how long a slow-loris stream is held before the node is called hung
	answerIn time.Duration // how long any other attack waits for the node's answer
	// employerParty is the employer's data folder of a contract with the
	// target (--as employer), and trigger the command that makes the
	// target sync.
	employerParty string
	trigger       []string
	refusedImage  string // an image of an entry of the employer's contract that its terms refuse
	servedImage   string // an image of an entry of the employer's contract that the target must serve
	slow          bool   // also the attacks that last as long as the target's write deadline
	closesDue     bool   // the target sends week closes with its checkpoint: answer them badly too
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("hostilepeer", flag.ContinueOnError)
	fs.StringVar(&o.target, "target", "", "the node to attack: a multiaddr ending in /p2p/PEER-ID (required)")
	fs.StringVar(&o.party, "party", "", "data folder of a contractor with an accepted contract with the target (required)")
	fs.StringVar(&o.employerParty, "employer-party", "", "with --as employer: data folder of the employer of a contract with the target, which is a contractor node (not in use while the attacks run)")
	fs.StringVar(&o.refusedImage, "refused-image", "", "with --as employer: hash of an image of an entry of the contract that its terms refuse, to ask the target for")
	fs.StringVar(&o.servedImage, "served-image", "", "with --as employer: hash of a (large) image of an entry of the contract that its terms allow, to ask the target for over and over on several streams at once")
	fs.BoolVar(&o.closesDue, "closes-due", false, "with --as employer: the target's clock is past a week's review window, so it sends week closes with its checkpoint; also answer those with closes it must not keep")
	fs.BoolVar(&o.slow, "slow", false, "with --as employer: also ask for images and never read the answers, which lasts the target's write deadline (30 s)")
	fs.StringVar(&o.victim, "victim-contract", "", "ID of a contract of the target that the party is not part of (required)")
	fs.StringVar(&o.probe, "probe-image", "", "hash of an image of the victim contract to ask the target for")
	fs.StringVar(&o.invite, "open-invite", "", "invite code of an open offer of the target's: the attacks use only its signed offer, as a stranger who saw the offer but not the invite would")
	only := fs.String("only", "", "comma-separated attack name prefixes to run (default: all)")
	fs.StringVar(&o.as, "as", "", "run only the attacks of one role: stranger, party or employer (employer: against a contractor node, with --employer-party and the sync command after --)")
	fs.BoolVar(&o.memory, "memory", false, "also send near-cap first frames as a stranger, which the node must cut at the frame's header")
	fs.IntVar(&o.rounds, "rounds", 1, "how many times to run the list of attacks (slow-loris runs once, alongside)")
	fs.IntVar(&o.streams, "slowloris-streams", 4, "streams each slow-loris variant holds open at once")
	fs.DurationVar(&o.holdFor, "slowloris-limit", 2*time.Minute, "how long to hold a slow-loris stream before calling the node hung")
	fs.DurationVar(&o.answerIn, "answer-within", time.Minute, "how long to wait for the node's answer to any other attack")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.trigger = fs.Args()
	switch {
	case o.as == asEmployer && (o.target == "" || o.employerParty == "" || o.victim == "" || len(o.trigger) == 0):
		fs.Usage()
		return o, fmt.Errorf("--as employer needs --target, --employer-party, --victim-contract and the sync command after --")
	case o.as != asEmployer && (o.target == "" || o.party == "" || o.victim == ""):
		fs.Usage()
		return o, fmt.Errorf("--target, --party and --victim-contract are required")
	case o.as != "" && o.as != asStranger && o.as != asParty && o.as != asEmployer:
		return o, fmt.Errorf("--as %q: want %s, %s or %s", o.as, asStranger, asParty, asEmployer)
	}
	if *only != "" {
		o.only = strings.Split(*only, ",")
	}
	if o.rounds < 1 || o.streams < 1 {
		return o, fmt.Errorf("--rounds and --slowloris-streams must be at least 1")
	}
	return o, nil
}

// wanted reports whether the options select attack a.
func (o options) wanted(a attack) bool {
	if o.as != "" && a.as != o.as {
		return false
	}
	if len(o.only) == 0 {
		return true
	}
	for _, p := range o.only {
		if strings.HasPrefix(a.name, strings.TrimSpace(p)) {
			return true
		}
	}
	return false
}
