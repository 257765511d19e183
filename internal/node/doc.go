// Package node owns a running Workdiary installation: the data folder it
// owns, its store, identity and settings, and the operations other
// processes ask it for through the control socket. The desktop app, the CLI
// and the headless server all run the same Node.
package node
