package node

import (
	"archive/zip"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

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

// Limits on what an imported file may make us read.
const (
	maxLogFileEntries = 1 << 20
	maxLogFileImage   = 16 << 20
)

// ExportLogFile writes the contractor's log of a contract to one file:
// acceptance, every entry as signed, the images live entries commit to,
// and a freshly signed checkpoint that pins all of it.
func (n *Node) ExportLogFile(p LogFileParams) (LogFileResult, error) {
	c, err := n.contractorContract(p.Contract)
	if err != nil {
		return LogFileResult{}, err
	}
	id := [32]byte(c.ID())
	me, _ := n.Identity()
	logID := ledger.LogID(id, me.PublicKey())
	st, err := n.signCheckpoint(c, logID)
	if err != nil {
		return LogFileResult{}, err
	}
	side := syncSide{n}
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
			b, err := side.Blob(id, img.SHA256)
			if err != nil {
				continue // deleted with a voided entry: the void travels instead
			}
			if err := put("images/"+hex.EncodeToString(img.SHA256[:]), b); err != nil {
				return res, err
			}
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
	lf, err := readLogFile(p.File)
	if err != nil {
		return LogFileResult{}, err
	}
	receipt, err := syncp2p.ImportLog(syncSide{n}, n.Clock.Now(), lf)
	if err != nil {
		return LogFileResult{}, fmt.Errorf("import %s: %w", p.File, err)
	}
	n.noteSync(lf.Contract, uint64(len(lf.Entries)), nil)
	n.noteReached(contract.ID(lf.Contract), p2p.PathFile)
	res := LogFileResult{Contract: hex.EncodeToString(lf.Contract[:]), Entries: len(lf.Entries), Images: len(lf.Images),
		Receipt: string(receipt)}
	if c, err := n.Contracts().Get(contract.ID(lf.Contract)); err == nil {
		res.Refused = n.standingRefusals(c)
	}
	return res, nil
}

func readLogFile(name string) (syncp2p.LogFile, error) {
	lf := syncp2p.LogFile{Images: map[[32]byte][]byte{}}
	z, err := zip.OpenReader(name)
	if err != nil {
		return lf, fmt.Errorf("%s is not a Workdiary log file: %w", name, err)
	}
	defer z.Close()
	entries := map[string][]byte{}
	for _, f := range z.File {
		b, err := readCapped(f, maxLogFileImage)
		if err != nil {
			return lf, err
		}
		dir, base := path.Split(f.Name)
		switch {
		case f.Name == "acceptance.cose":
			lf.Acceptance = b
		case f.Name == "pairing.proof":
			lf.Proof = b
		case f.Name == "checkpoint.note":
			lf.Checkpoint = b
		case dir == "entries/" && strings.HasSuffix(base, ".cose") && len(entries) < maxLogFileEntries:
			entries[base] = b
		case dir == "images/":
			h, err := store.ParseHash(base)
			if err != nil {
				return lf, fmt.Errorf("%s: image %q is not named by its hash", name, base)
			}
			lf.Images[h] = b
		default:
			return lf, fmt.Errorf("%s: unexpected file %q", name, f.Name)
		}
	}
	for i := 1; i <= len(entries); i++ {
		b, ok := entries[fmt.Sprintf("%08d.cose", i)]
		if !ok {
			return lf, fmt.Errorf("%s: entry %d is missing", name, i)
		}
		lf.Entries = append(lf.Entries, b)
	}
	acc, err := decodeAcceptanceContract(lf.Acceptance)
	if err != nil {
		return lf, fmt.Errorf("%s: %w", name, err)
	}
	lf.Contract = acc
	return lf, nil
}

func readCapped(f *zip.File, max int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(max) {
		return nil, fmt.Errorf("%s is %d bytes, over the %d limit", f.Name, f.UncompressedSize64, max)
	}
	r, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, max+1))
}

func decodeAcceptanceContract(b []byte) ([32]byte, error) {
	a, err := contract.DecodeAcceptance(b)
	if err != nil {
		return [32]byte{}, fmt.Errorf("acceptance: %w", err)
	}
	return [32]byte(a.ContractID), nil
}
