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

// LogFileResult says what a log file carried.
type LogFileResult struct {
	Contract string `json:"contract"`
	Entries  int    `json:"entries"`
	Images   int    `json:"images"`
	Receipt  string `json:"receipt,omitempty"` // import: the cosigned checkpoint
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

// logFileMember is the most bytes a member of a log file may unpack to.
func logFileMember(name string) uint64 {
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
// and a freshly signed checkpoint that pins all of it.
func (n *Node) ExportLogFile(p LogFileParams) (LogFileResult, error) {
	c, err := n.contractorContract(p.Contract)
	if err != nil {
		return LogFileResult{}, err
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
	res := LogFileResult{Contract: c.ID().String(), Entries: len(entries)}
	written := map[ledger.ImageHash]bool{} // entries may share an image: one member each, no name twice
	put := func(name string, b []byte) error {
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err == nil {
			_, err = w.Write(b)
		}
		return err
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
	if err := z.Close(); err != nil {
		return res, err
	}
	return res, f.Sync()
}

// ImportLogFile applies a contractor's log file on the employer's side,
// with the same checks as an online sync, and returns the receipt.
func (n *Node) ImportLogFile(p LogFileParams) (LogFileResult, error) {
	lf, images, closeFile, err := readLogFile(p.File)
	if err != nil {
		return LogFileResult{}, err
	}
	defer closeFile()
	receipt, err := syncp2p.ImportLog(n.side, n.Clock.Now(), lf)
	if err != nil {
		return LogFileResult{}, fmt.Errorf("import %s: %w", p.File, err)
	}
	n.noteSync(lf.Contract, uint64(len(lf.Entries)), nil)
	n.noteReached(lf.Contract, p2p.PathFile)
	res := LogFileResult{Contract: hex.EncodeToString(lf.Contract[:]), Entries: len(lf.Entries), Images: images,
		Receipt: string(receipt)}
	if c, err := n.Contracts().Get(lf.Contract); err == nil {
		res.Refused = n.standingRefusals(c)
	}
	return res, nil
}

// readLogFile reads a log file's directory within logFileLimits, and its
// acceptance, entries and checkpoint; images stay in the file, read as
// the import needs them, until closeFile.
func readLogFile(name string) (lf syncp2p.LogFile, images int, closeFile func(), err error) {
	f, err := os.Open(name)
	if err != nil {
		return lf, 0, nil, fmt.Errorf("import: %w", err)
	}
	fail := func(err error) (syncp2p.LogFile, int, func(), error) {
		f.Close()
		return lf, 0, nil, fmt.Errorf("%s is not a log file Workdiary can import: %w", name, err)
	}
	fi, err := f.Stat()
	if err != nil {
		return fail(err)
	}
	z, err := archive.Open(f, fi.Size(), logFileLimits)
	if errors.Is(err, archive.ErrDuplicate) {
		// Earlier releases wrote an image shared by two entries twice.
		return fail(fmt.Errorf("%w (if the contractor's Workdiary is older than yours, ask for the file again after an update)", err))
	}
	if err != nil {
		return fail(err)
	}
	entries, imgs := map[string][]byte{}, map[store.Hash]*zip.File{}
	var entryBytes uint64
	for _, zf := range z.Files {
		dir, base := path.Split(zf.Name)
		switch {
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
			entries[base] = b
		}
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
	return lf, len(imgs), func() { f.Close() }, nil
}

func decodeAcceptanceContract(b []byte) (contract.ID, error) {
	a, err := contract.DecodeAcceptance(b)
	if err != nil {
		return contract.ID{}, fmt.Errorf("acceptance: %w", err)
	}
	return a.ContractID, nil
}
