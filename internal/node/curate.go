package node

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/workdiary/workdiary/internal/capture"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

// CurateParams name segments and what to do to them.
type CurateParams struct {
	IDs   []string `json:"ids"`
	Memo  string   `json:"memo,omitempty"`
	Image string   `json:"image,omitempty"` // blur: the screenshot's hash; "" = every screenshot
}

// ManualParams add manual time to a contract.
type ManualParams struct {
	Contract string    `json:"contract"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	Memo     string    `json:"memo"`
	// Corrects names the closed week (ISO, 2026-W48) this manual time
	// makes up for; it lies in a later week (docs/format.md §3.1).
	Corrects string `json:"corrects,omitempty"`
}

// CurateResult says what changed.
type CurateResult struct {
	Changed []string `json:"changed"`
	Voided  []uint64 `json:"voided,omitempty"` // seqs of void entries appended
}

// segmentFor loads a segment by ID and its contract, which must be this
// installation's contractor contract.
func (n *Node) segmentFor(id string) (diary.Segment, *contract.Contract, error) {
	cid, start, err := diary.ParseSegmentID(id)
	if err != nil {
		return diary.Segment{}, nil, err
	}
	c, err := n.contractorContract(cid)
	if err != nil {
		return diary.Segment{}, nil, err
	}
	s, err := diarydb.New(n.store).Get(c.ID().String(), start)
	return s, c, err
}

// DeleteSegments removes segments: a recorded one is gone with its images
// at once; an approved one is withdrawn by a void entry in the log (the
// signed past is never rewritten) and its local images are deleted.
func (n *Node) DeleteSegments(p CurateParams) (res CurateResult, err error) {
	defer n.diaryChanged(&res)
	for _, id := range p.IDs {
		s, c, err := n.segmentFor(id)
		if err != nil {
			return res, err
		}
		if s.State != diary.Recorded {
			seq, err := n.voidSegment(c, s)
			if err != nil {
				return res, err
			}
			res.Voided = append(res.Voided, seq)
		} else if err := n.store.Update(func(x *store.Txn) error { return diarydb.DeleteTxn(x, s.Contract, s.Start) }); err != nil {
			return res, err
		}
		if err := n.deleteImages(append(s.Screenshots, s.Webcam...), "", nil); err != nil {
			return res, err
		}
		res.Changed = append(res.Changed, id)
	}
	return res, nil
}

func (n *Node) voidSegment(c *contract.Contract, s diary.Segment) (uint64, error) {
	id, err := n.Identity()
	if err != nil {
		return 0, err
	}
	cid := c.ID()
	logID := ledger.LogIDOf(cid, id.PublicKey())
	var seq uint64
	err = n.store.Update(func(x *store.Txn) error {
		h := logdb.NewHistory(x, logID)
		target, ok := h.Entry(s.Entry)
		if !ok {
			return fmt.Errorf("segment %s: its log entry %d is missing", s.ID(), s.Entry)
		}
		head, err := logdb.Head(x, logID)
		if err != nil {
			return err
		}
		l, err := ledger.NewLog(id.PrivateKey(), cid, head, h)
		if err != nil {
			return err
		}
		signed, err := l.Append(ledger.Void(target, "deleted by the contractor", n.Clock.Now().Unix()))
		if err != nil {
			return err
		}
		seq = signed.Entry.Seq
		if err := logdb.Append(x, logID, []ledger.Signed{signed}); err != nil {
			return err
		}
		return diarydb.DeleteTxn(x, s.Contract, s.Start)
	})
	if err != nil {
		return 0, fmt.Errorf("void segment %s: %w", s.ID(), err)
	}
	_, err = n.signCheckpoint(c, logID)
	n.pushSoon(c)
	return seq, err
}

// editRecorded applies fn to recorded segments; approved ones are refused
// because an approved entry is immutable.
func (n *Node) editRecorded(ids []string, fn func(*diary.Segment, *contract.Contract) error) (res CurateResult, err error) {
	defer n.diaryChanged(&res)
	for _, id := range ids {
		s, c, err := n.segmentFor(id)
		if err != nil {
			return res, err
		}
		if s.State != diary.Recorded {
			return res, fmt.Errorf("segment %s is %s: approved time is signed and cannot change (delete it to void it)", id, s.State)
		}
		if err := fn(&s, c); err != nil {
			return res, fmt.Errorf("segment %s: %w", id, err)
		}
		if err := diarydb.New(n.store).Put(s); err != nil {
			return res, err
		}
		res.Changed = append(res.Changed, id)
	}
	return res, nil
}

// diaryChanged tells the observer when segments changed, even when a later
// one failed: those before it stay changed.
func (n *Node) diaryChanged(res *CurateResult) {
	if len(res.Changed) > 0 {
		n.announce(TopicDiaryChanged, nil)
	}
}

// SetMemo changes the memo of recorded segments.
func (n *Node) SetMemo(p CurateParams) (CurateResult, error) {
	memo := strings.TrimSpace(p.Memo)
	if memo == "" {
		return CurateResult{}, errors.New("the memo cannot be empty")
	}
	return n.editRecorded(p.IDs, func(s *diary.Segment, _ *contract.Contract) error { s.Memo = memo; return nil })
}

// DeleteWebcam removes the webcam photos of segments; the time stays.
func (n *Node) DeleteWebcam(p CurateParams) (CurateResult, error) {
	return n.editRecorded(p.IDs, func(s *diary.Segment, _ *contract.Contract) error {
		gone := s.Webcam
		s.Webcam = nil
		return n.deleteImages(gone, s.ID(), s.Screenshots)
	})
}

// BlurScreenshots blurs screenshots of segments where the contract allows
// it; the sharp originals are deleted from disk.
func (n *Node) BlurScreenshots(p CurateParams) (CurateResult, error) {
	return n.editRecorded(p.IDs, func(s *diary.Segment, c *contract.Contract) error {
		if c.Offer.Blur == contract.BlurOff {
			return errors.New("this contract does not allow blurring screenshots")
		}
		for i, img := range s.Screenshots {
			if (p.Image != "" && img.Hash != p.Image) || img.Blurred || img.Redacted {
				continue
			}
			b, err := n.blurred(img)
			if err != nil {
				return err
			}
			s.Screenshots[i] = b
			if err := n.deleteImages([]diary.Image{img}, s.ID(), append(s.Screenshots, s.Webcam...)); err != nil {
				return err
			}
		}
		return nil
	})
}

func (n *Node) blurred(img diary.Image) (diary.Image, error) {
	h, err := store.ParseHash(img.Hash)
	if err != nil {
		return img, err
	}
	full, err := n.store.Blobs.Get(h)
	if err != nil {
		return img, err
	}
	shot, err := capture.Blur(full)
	if err != nil {
		return img, err
	}
	fh, err := n.store.Blobs.Put(shot.Full)
	if err != nil {
		return img, err
	}
	th, err := n.store.Blobs.Put(shot.Thumb)
	if err != nil {
		return img, err
	}
	img.Hash, img.Thumb, img.Bytes, img.Blurred = fh.String(), th.String(), len(shot.Full), true
	img.Width, img.Height = shot.Width, shot.Height
	return img, nil
}

// deleteImages removes images (and thumbnails) from disk unless another
// segment still uses the same bytes: content addressing shares identical
// images, so a blob goes only with its last user. The segment being edited
// (ignore) counts only with the images it keeps (still).
func (n *Node) deleteImages(imgs []diary.Image, ignore string, still []diary.Image) error {
	if len(imgs) == 0 {
		return nil
	}
	inUse, err := n.imagesInUse(ignore)
	if err != nil {
		return err
	}
	for _, img := range still {
		inUse[img.Hash], inUse[img.Thumb] = true, true
	}
	for _, img := range imgs {
		for _, hs := range []string{img.Hash, img.Thumb} {
			if hs == "" || inUse[hs] {
				continue
			}
			h, err := store.ParseHash(hs)
			if err != nil {
				return err
			}
			if err := n.store.Blobs.Delete(h); err != nil {
				return err
			}
		}
	}
	return nil
}

func (n *Node) imagesInUse(ignore string) (map[string]bool, error) {
	segs, err := diarydb.New(n.store).Range("", time.Unix(0, 0), time.Unix(1<<40, 0))
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	for _, s := range segs {
		if s.ID() == ignore {
			continue
		}
		for _, img := range append(s.Screenshots, s.Webcam...) {
			used[img.Hash], used[img.Thumb] = true, true
		}
	}
	return used, nil
}
