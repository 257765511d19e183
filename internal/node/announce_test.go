package node_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/node"
)

// topics collects what a node announces, as the desktop app's window
// would hear it.
type topics struct {
	mu   sync.Mutex
	seen []string
}

func (h *topics) tell(topic string, _ any) {
	h.mu.Lock()
	h.seen = append(h.seen, topic)
	h.mu.Unlock()
}

// take returns what was heard since the last take.
func (h *topics) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := h.seen
	h.seen = nil
	return out
}

// A change another process makes through the control socket (a command
// while the app owns the folder) is announced by the node to its observer,
// once, exactly as when the window makes it.
func TestChangesThroughTheSocketReachTheObserver(t *testing.T) {
	con, cid := contractorNode(t, "off", true)
	var window topics
	con.OnChange(window.tell)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go con.Serve(ctx)
	segs := []diary.Segment{addSegment(t, con, cid, monday, 10), addSegment(t, con, cid, monday.Add(diary.SegmentLength), 20)}
	ids := []string{segs[0].ID(), segs[1].ID()}

	steps := []struct {
		name string
		do   func() error
		want []string
	}{
		{"diary memo", func() error {
			_, err := node.OpMemo.Do(ctx, con.Home, "workdiary diary memo", node.CurateParams{IDs: ids[:1], Memo: "parser"})
			return err
		}, []string{node.TopicDiaryChanged}},
		{"diary add-manual", func() error {
			_, err := node.OpAddManual.Do(ctx, con.Home, "workdiary diary add-manual",
				node.ManualParams{Contract: cid, From: monday.Add(time.Hour), To: monday.Add(time.Hour + diary.SegmentLength), Memo: "call"})
			return err
		}, []string{node.TopicDiaryChanged}},
		{"approve", func() error {
			_, err := node.OpApprove.Do(ctx, con.Home, "workdiary approve", node.ApproveParams{Contract: cid, IDs: ids})
			return err
		}, []string{node.TopicDiaryChanged}},
		{"diary delete", func() error {
			_, err := node.OpDelete.Do(ctx, con.Home, "workdiary diary delete", node.CurateParams{IDs: ids[1:]})
			return err
		}, []string{node.TopicDiaryChanged}},
		{"diary list", func() error {
			_, err := node.OpDiaryList.Do(ctx, con.Home, "workdiary diary", node.DiaryParams{Contract: cid, From: monday, To: monday.Add(24 * time.Hour)})
			return err
		}, nil},
		{"contract offer", func() error {
			_, err := node.OpContractOffer.Do(ctx, con.Home, "workdiary contract offer", node.OfferParams{Title: "Docs", Rate: "20.00", Currency: "EUR"})
			return err
		}, []string{node.TopicContractsChanged}},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s through the socket: %v", s.name, err)
		}
		if got := window.take(); !slices.Equal(got, s.want) {
			t.Errorf("%s through the socket: the observer heard %q; want %q", s.name, got, s.want)
		}
	}
}
