package natlab

import (
	"fmt"
	"net"
	"os"
	"strings"
	"time"
)

// The lab checks itself with a small probe: the test binary, started again
// inside a namespace with EnvProbe set, either answers every UDP or TCP
// packet with the address it came from, or asks such answerers from one
// local port and prints what they saw.
const EnvProbe = "NATLAB_PROBE"

// RunProbe runs the probe when the process was started as one, and
// reports whether it was; call it first in TestMain.
func RunProbe() bool {
	spec := os.Getenv(EnvProbe)
	if spec == "" {
		return false
	}
	if err := probe(spec); err != nil {
		fmt.Fprintln(os.Stderr, "probe:", err)
		os.Exit(1)
	}
	os.Exit(0)
	return true
}

// probe runs "echo PORT" or "ask LOCALPORT HOST:PORT…".
func probe(spec string) error {
	f := strings.Fields(spec)
	switch {
	case len(f) == 2 && f[0] == "echo":
		return echo(f[1])
	case len(f) >= 3 && f[0] == "ask":
		return ask(f[1], f[2:])
	}
	return fmt.Errorf("unknown probe %q", spec)
}

// echo answers UDP datagrams and TCP connections on port with the
// sender's address, until killed.
func echo(port string) error {
	pc, err := net.ListenPacket("udp4", ":"+port)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp4", ":"+port)
	if err != nil {
		return err
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			fmt.Fprintln(c, c.RemoteAddr())
			c.Close()
		}
	}()
	// IPv6 too, where the host has it; apart, so that IPv4 senders are
	// not shown as mapped IPv6 addresses.
	if pc6, err := net.ListenPacket("udp6", ":"+port); err == nil {
		go answer(pc6)
	}
	fmt.Println("ready")
	return answer(pc)
}

// answer tells each datagram's sender the address it came from.
func answer(pc net.PacketConn) error {
	buf := make([]byte, 64)
	for {
		_, from, err := pc.ReadFrom(buf)
		if err != nil {
			return err
		}
		_, _ = pc.WriteTo([]byte(from.String()), from)
	}
}

// ask sends one datagram from local port to each target and prints, per
// target, the address it saw us come from ("-" when no answer came).
func ask(local string, targets []string) error {
	socks := map[string]net.PacketConn{}
	defer func() {
		for _, pc := range socks {
			pc.Close()
		}
	}()
	buf := make([]byte, 64)
	for _, t := range targets {
		family := "udp4"
		if strings.HasPrefix(t, "[") {
			family = "udp6"
		}
		pc := socks[family]
		if pc == nil {
			var err error
			if pc, err = net.ListenPacket(family, ":"+local); err != nil {
				return err
			}
			socks[family] = pc
		}
		to, err := net.ResolveUDPAddr(family, t)
		if err != nil {
			return err
		}
		seen := "-"
		for try := 0; try < 3 && seen == "-"; try++ {
			_, _ = pc.WriteTo([]byte("?"), to)
			_ = pc.SetReadDeadline(time.Now().Add(time.Second))
			if n, _, err := pc.ReadFrom(buf); err == nil {
				seen = string(buf[:n])
			}
		}
		fmt.Println(t, seen)
	}
	return nil
}
