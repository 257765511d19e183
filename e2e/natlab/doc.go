// Package natlab builds a small simulated internet out of Linux network
// namespaces on one machine: a core router standing for the internet,
// public hosts in different /16 networks, and home or office networks
// behind NAT routers made with nftables, so that the real workdiary
// programs can be tested across NATs without any traffic leaving the
// machine.
//
// Nothing in the lab has a route out of it, and the machine's own
// namespace gets no address in it: every namespace, link and process the
// lab creates carries the lab's name prefix and is removed by Close.
package natlab
