// Package relocate owns moving a data folder to another place without
// losing anything: a rename on the same file system, else a copy that is
// synced and read back file by file before the old folder is removed. It
// knows nothing of what the folder holds; the caller closes it first.
package relocate
