package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/workdiary/workdiary/internal/node"
)

func runInit(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "init", "--name NAME [--json]")
	name := fs.String("name", "", "your name, shown to the people you work with")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		fs.Usage()
		return fmt.Errorf("init needs --name NAME")
	}
	info, err := do(ctx, e, "workdiary init", node.OpIdentityCreate, node.CreateIdentityParams{Name: *name})
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(info)
	}
	fmt.Fprintf(e.stdout, "Created the identity of %s in %s\n", info.Name, info.DataFolder)
	printIdentity(e, info)
	return nil
}

func runID(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "id", "[--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	info, err := do(ctx, e, "workdiary id", node.OpIdentityShow, node.None{})
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(info)
	}
	printIdentity(e, info)
	return nil
}

func printIdentity(e *env, info node.IdentityInfo) {
	fmt.Fprintf(e.stdout, "name         %s\n", info.Name)
	fmt.Fprintf(e.stdout, "peer ID      %s\n", info.PeerID)
	fmt.Fprintf(e.stdout, "fingerprint  %s\n", info.Fingerprint)
	for _, a := range info.Addrs {
		fmt.Fprintf(e.stdout, "address      %s/p2p/%s\n", a, info.PeerID)
	}
	fmt.Fprintf(e.stdout, "OpenSSH key  %s\n", info.SSHPublicKey)
}
