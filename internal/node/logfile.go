package node

import (
	"archive/zip"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/workdiary/workdiary/internal/archive"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/p2p"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// LogFileParams name a contract and a file for the offline transport.
type LogFileParams struct {
	Contract string `json:"contract,omitempty"`
	File     string `json:"file"`
}

// LogFileResult says what a log file or a reply carried.
type LogFileResult struct {
	// Kind is "log" (the contractor's log, for the employer) or "reply"
	// (the employer's answer, for the contractor).
	Kind     string `json:"kind"`
	Contract string `json:"contract"`
	Entries  int    `json:"entries"`
	Images   int    `json:"images"`
	Receipt  string `json:"receipt,omitempty"` // import: the cosigned checkpoint
	// Closes are week closes: a log export's awaiting the employer, a log
	// import's cosigned, a reply export's carried, a reply import's newly
	// kept (weeks both parties have now closed).
	Closes int `json:"closes"`
	// ClosesLeft (log import) are the closes carried that this copy did
	// not cosign (the log says why); they come again in the next file.
	ClosesLeft int `json:"closesLeft,omitempty"`
	// Changes are the contract records that took effect with the import
	// (or, for a reply export, that the reply carries), by kind: "end",
	// "pause", "resume", "amendment", "dispute", "answer".
	Changes map[string]int `json:"changes,omitempty"`
	// Refused (import) are the entries refused for breaking the
	// contract's terms that no void has withdrawn yet.
	Refused []RefusedEntry `json:"refused,omitempty"`
}

// Limits on what an imported log file may make us read (docs/security.md):
// it holds the whole log and the images of its live entries, so the
// limits leave room for years of work and no more.
const (
	maxLogFileMembers = 1 << 21
	maxLogFileBytes   = 16 << 30 // unpacked, all members; images go to disk one at a time
	// maxLogFileEntryBytes bounds the entries, which are read into memory
	// together (a year of full-time work is about 10 MB).
	maxLogFileEntryBytes = 256 << 20
	maxAcceptanceFile    = 64 << 10
)

var logFileLimits = archive.Limits{Members: maxLogFileMembers, Total: maxLogFileBytes, Member: logFileMember}

// logFileMember is the most bytes a member of a log file or a reply may
// unpack to.
func logFileMember(name string) uint64 {
	if max := syncp2p.ReplyMemberSize(name); max > 0 {
		return max
	}
	switch dir, _ := path.Split(name); {
	case dir == "entries/":
		return ledger.MaxEntrySize
	case dir == "images/":
		return ledger.MaxImageSize
	case name == "checkpoint.note":
		return ledger.MaxCheckpointSize
	}
	return maxAcceptanceFile
}

// ExportLogFile writes the contractor's log of a contract to one file:
// acceptance, every entry as signed, the images live entries commit to,
// a freshly signed checkpoint that pins all of it and the closes of the
// weeks due, signed at that checkpoint. On the employer's side it writes
// the reply instead (exportReply).
func (n *Node) ExportLogFile(p LogFileParams) (LogFileResult, error) {
	c, err := n.Contracts().Resolve(p.Contract)
	if err != nil {
		return LogFileResult{}, err
	}
	if c.Role == contract.RoleEmployer {
		return n.exportReply(c, p.File)
	}
	id := c.ID()
	me, _ := n.Identity()
	logID := ledger.LogIDOf(id, me.PublicKey())
	st, err := n.signCheckpoint(c, logID)
	if err != nil {
		return LogFileResult{}, err
	}
	side := n.side
	entries, err := side.Entries(id, 1, st.Seq)
	if err != nil {
		return LogFileResult{}, err
	}
	f, err := os.Create(p.File)
	if err != nil {
		return LogFileResult{}, fmt.Errorf("export: %w", err)
	}
	defer f.Close()
	z := zip.NewWriter(f)
	closes, err := side.Closes(id)
	if err != nil {
		return LogFileResult{}, err
	}
	res := LogFileResult{Kind: "log", Contract: c.ID().String(), Entries: len(entries)}
	written := map[ledger.ImageHash]bool{} // entries may share an image: one member each, no name twice
	put := func(name string, b []byte) error {
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err == nil {
			_, err = w.Write(b)
		}
		return err
	}
	if err := put(syncp2p.FormatMember, []byte(syncp2p.FormatLog+"\n")); err != nil {
		return res, err
	}
	if proof := n.pairingProof(c.ID()); proof != nil {
		if err := put("pairing.proof", proof); err != nil {
			return LogFileResult{}, err
		}
	}
	if err := put("acceptance.cose", c.Acceptance.Signed()); err != nil {
		return res, err
	}
	for i, e := range entries {
		if err := put(fmt.Sprintf("entries/%08d.cose", i+1), e); err != nil {
			return res, err
		}
		s, err := ledger.OpenEntry(e)
		if err != nil {
			return res, err
		}
		for _, img := range s.Entry.Images {
			if written[img.SHA256] {
				continue
			}
			b, err := side.Blob(id, img.SHA256)
			if err != nil {
				continue // deleted with a voided entry: the void travels instead
			}
			if err := put("images/"+hex.EncodeToString(img.SHA256[:]), b); err != nil {
				return res, err
			}
			written[img.SHA256] = true
			res.Images++
		}
	}
	if err := put("checkpoint.note", []byte(st.Checkpoint)); err != nil {
		return res, err
	}
	for _, note := range closes {
		// Signed at the head: if the log grew since the checkpoint, the
		// closes wait for the next file.
		if w, err := ledger.PeekWeekClose(note); err != nil || w.Size != st.Seq {
			break
		}
		res.Closes++
		if err := put(syncp2p.CloseMember(res.Closes), note); err != nil {
			return res, err
		}
	}
	if err := z.Close(); err != nil {
		return res, err
	}
	return res, f.Sync()
}

// ImportLogFile applies a contractor's log file on the employer's side,
// with the same checks as an online sync, and returns the receipt; or the
// employer's reply on the contractor's side (importReply).
func (n *Node) ImportLogFile(p LogFileParams) (LogFileResult, error) {
	lf, images, reply, closeFile, err := readLogFile(p.File)
	if err != nil {
		return LogFileResult{}, err
	}
	defer closeFile()
	if reply != nil {
		return n.importReply(p.File, reply)
	}
	before := n.lifeCounts(lf.Contract)
	imp, err := syncp2p.ImportLog(n.side, n.Clock.Now(), lf)
	if err != nil {
		return LogFileResult{}, fmt.Errorf("import %s: %w", p.File, err)
	}
	n.noteSync(lf.Contract, uint64(len(lf.Entries)), nil)
	n.noteReached(lf.Contract, p2p.PathFile)
	res := LogFileResult{Kind: "log", Contract: hex.EncodeToString(lf.Contract[:]), Entries: len(lf.Entries), Images: images,
		Receipt: string(imp.Receipt), Closes: len(imp.Cosigned), ClosesLeft: len(lf.Closes) - len(imp.Cosigned),
		Changes: changes(before, n.lifeCounts(lf.Contract))}
	if c, err := n.Contracts().Get(lf.Contract); err == nil {
		res.Refused = n.standingRefusals(c)
	}
	return res, nil
}

// readLogFile reads a log file's directory within logFileLimits, and its
// acceptance, entries, checkpoint and closes; images stay in the file,
// read as the import needs them, until closeFile. A reply's members are
// returned whole instead (reply non-nil).
func readLogFile(name string) (lf syncp2p.LogFile, images int, reply []syncp2p.Member, closeFile func(), err error) {
	f, err := os.Open(name)
	if err != nil {
		return lf, 0, nil, nil, fmt.Errorf("import: %w", err)
	}
	fail := func(err error) (syncp2p.LogFile, int, []syncp2p.Member, func(), error) {
		f.Close()
		return lf, 0, nil, nil, fmt.Errorf("%s is not a log file Workdiary can import: %w", name, err)
	}
	fi, err := f.Stat()
	if err != nil {
		return fail(err)
	}
	z, err := archive.Open(f, fi.Size(), logFileLimits)
	if errors.Is(err, archive.ErrDuplicate) && strings.Contains(err.Error(), "images/") {
		// Earlier releases wrote an image shared by two entries twice.
		return fail(fmt.Errorf("%w (if the contractor's Workdiary is older than yours, ask for the file again after an update)", err))
	}
	if err != nil {
		return fail(err)
	}
	kind, err := fileKind(z)
	if err != nil {
		return fail(err)
	}
	if kind == syncp2p.FormatReply {
		members, err := readAll(z)
		if err != nil {
			return fail(err)
		}
		return lf, 0, members, func() { f.Close() }, nil
	}
	entries, imgs, closes := map[string][]byte{}, map[store.Hash]*zip.File{}, map[string][]byte{}
	var entryBytes uint64
	for _, zf := range z.Files {
		dir, base := path.Split(zf.Name)
		switch {
		case zf.Name == syncp2p.FormatMember:
			continue
		case dir == syncp2p.ClosesDir:
		case dir == "images/":
			h, err := store.ParseHash(base)
			if err != nil {
				return fail(fmt.Errorf("image %q is not named by its hash", base))
			}
			imgs[h] = zf
			continue
		case dir == "entries/" && strings.HasSuffix(base, ".cose"):
			if entryBytes += zf.UncompressedSize64; entryBytes > maxLogFileEntryBytes {
				return fail(fmt.Errorf("%w: the entries unpack to more than %d bytes", archive.ErrTooBig, maxLogFileEntryBytes))
			}
		case zf.Name != "acceptance.cose" && zf.Name != "checkpoint.note" && zf.Name != "pairing.proof":
			return fail(fmt.Errorf("unexpected file %q", zf.Name))
		}
		b, err := z.Read(zf)
		if err != nil {
			return fail(err)
		}
		switch zf.Name {
		case "acceptance.cose":
			lf.Acceptance = b
		case "pairing.proof":
			lf.Proof = b
		case "checkpoint.note":
			lf.Checkpoint = b
		default:
			if dir == syncp2p.ClosesDir {
				closes[zf.Name] = b
			} else {
				entries[base] = b
			}
		}
	}
	if lf.Closes, err = syncp2p.Numbered(closes, syncp2p.CloseMember, syncp2p.MaxClosesPerRound); err != nil {
		return fail(err)
	}
	for i := 1; i <= len(entries); i++ {
		b, ok := entries[fmt.Sprintf("%08d.cose", i)]
		if !ok {
			return fail(fmt.Errorf("entry %d is missing", i))
		}
		lf.Entries = append(lf.Entries, b)
	}
	if lf.Contract, err = decodeAcceptanceContract(lf.Acceptance); err != nil {
		return fail(err)
	}
	lf.Image = func(h ledger.ImageHash) ([]byte, bool, error) {
		zf, ok := imgs[store.Hash(h)]
		if !ok {
			return nil, false, nil
		}
		b, err := z.Read(zf)
		return b, err == nil, err
	}
	return lf, len(imgs), nil, func() { f.Close() }, nil
}

// fileKind reads the archive's format member, if it has one.
func fileKind(z *archive.Reader) (string, error) {
	for _, zf := range z.Files {
		if zf.Name == syncp2p.FormatMember {
			b, err := z.Read(zf)
			if err != nil {
				return "", err
			}
			return syncp2p.FileKind(b)
		}
	}
	return syncp2p.FileKind(nil)
}

// readAll reads every member of a reply, which is small (logFileMember
// bounds each, syncp2p.DecodeReply their number).
func readAll(z *archive.Reader) ([]syncp2p.Member, error) {
	if len(z.Files) > 2+syncp2p.MaxReplyCloses+syncp2p.MaxRecords+2 {
		return nil, fmt.Errorf("%w: %d files in a reply", archive.ErrTooMany, len(z.Files))
	}
	out := make([]syncp2p.Member, 0, len(z.Files))
	for _, zf := range z.Files {
		b, err := z.Read(zf)
		if err != nil {
			return nil, err
		}
		out = append(out, syncp2p.Member{Name: zf.Name, Data: b})
	}
	return out, nil
}

func decodeAcceptanceContract(b []byte) (contract.ID, error) {
	a, err := contract.DecodeAcceptance(b)
	if err != nil {
		return contract.ID{}, fmt.Errorf("acceptance: %w", err)
	}
	return a.ContractID, nil
}
