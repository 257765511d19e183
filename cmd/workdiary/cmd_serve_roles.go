package main

import (
	"errors"
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/workdiary/workdiary/internal/node"
)

// serveRoles are the infrastructure parts `serve` plays besides being an
// installation's node, from its flags; nil when it plays none.
func serveRoles(public, relay bool, relayFor []string) (*node.ReachOptions, error) {
	if !public && !relay {
		if len(relayFor) > 0 {
			return nil, errors.New("--relay-for needs --relay")
		}
		return nil, nil
	}
	if public && relay {
		return nil, errors.New("choose --public (a limited relay for anyone) or --relay (an unlimited one for your own installations), not both")
	}
	r := &node.ReachOptions{Helper: public}
	if relay {
		if len(relayFor) == 0 {
			return nil, errors.New("--relay needs --relay-for PEER_ID: the installations it relays for (run `workdiary id` on each)")
		}
		for _, s := range relayFor {
			p, err := peer.Decode(s)
			if err != nil {
				return nil, fmt.Errorf("--relay-for %q is not a peer ID: %v", s, err)
			}
			r.RelayFor = append(r.RelayFor, p)
		}
	}
	return r, nil
}

// helperOptions turn a node's network options into a helper's or a
// relay's. Such a node is public and announces nothing; a helper's
// folder needs no `init`: it gets an identity of its own at first start.
func helperOptions(n *node.Node, o node.NetOptions, roles *node.ReachOptions) (node.NetOptions, error) {
	if _, err := n.Identity(); err != nil {
		if !roles.Helper {
			return o, err
		}
		if _, err := n.CreateIdentity("public helper"); err != nil {
			return o, err
		}
	}
	o.MDNS, o.UPnP = false, false
	if o.Reach != nil {
		roles.Bootstrap = o.Reach.Bootstrap
	}
	o.Reach = roles
	return o, nil
}
