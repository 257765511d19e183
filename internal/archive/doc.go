// Package archive owns reading zip archives that another party made (a
// timesheet bundle, a log file carried by hand) within limits: how many
// members, how many bytes once unpacked, in all and per member, and no
// name twice. A small crafted file can otherwise claim millions of
// members or unpack to gigabytes; every limit is checked before the
// bytes it protects are read, and each has its own error.
package archive
