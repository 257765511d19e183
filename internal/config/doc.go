// Package config owns where a Workdiary installation keeps its data and the
// settings stored there: the data folder, the node's listen port (chosen
// once at init), idle threshold, exclusion list and network switches.
package config
