package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/owner"
)

// Methods a process can ask a node for. The owner answers them over the
// control socket; without an owner, Do opens the folder and answers them
// itself, so a command's result is the same either way.
const (
	MethodIdentityShow     = "identity.show"
	MethodIdentityCreate   = "identity.create"
	MethodContractOffer    = "contract.offer"
	MethodInvitePreview    = "contract.preview"
	MethodContractAccept   = "contract.accept"
	MethodContractList     = "contract.list"
	MethodContractWithdraw = "contract.withdraw"
	MethodDiaryList        = "diary.list"
	MethodApprove          = "diary.approve"
	MethodDelete           = "diary.delete"
	MethodDeleteWebcam     = "diary.delete-webcam"
	MethodBlur             = "diary.blur"
	MethodMemo             = "diary.memo"
	MethodAddManual        = "diary.add-manual"
	MethodSync             = "sync.run"
	MethodSyncStatus       = "sync.status"
	MethodLogStatus        = "log.status"
	MethodTimesheet        = "timesheet.export"
	MethodLogExport        = "log.export"
	MethodLogImport        = "log.import"
	// The tracking methods are in tracking_ops.go.
)

// CreateIdentityParams are the parameters of MethodIdentityCreate.
type CreateIdentityParams struct {
	Name string `json:"name"`
}

// Handle runs one method on this node.
func (n *Node) Handle(ctx context.Context, method string, params json.RawMessage) (any, error) {
	switch method {
	case MethodIdentityShow:
		return n.IdentityInfo()
	case MethodIdentityCreate:
		var p CreateIdentityParams
		if err := decodeParams(params, &p); err != nil {
			return nil, err
		}
		id, err := n.CreateIdentity(p.Name)
		if err != nil {
			return nil, err
		}
		return n.infoOf(id), nil
	case MethodContractOffer:
		var p OfferParams
		if err := decodeParams(params, &p); err != nil {
			return nil, err
		}
		return n.OfferContract(p)
	case MethodInvitePreview, MethodContractAccept:
		var p AcceptParams
		if err := decodeParams(params, &p); err != nil {
			return nil, err
		}
		if method == MethodInvitePreview {
			return n.PreviewInvite(p.Code)
		}
		return n.AcceptContract(ctx, p)
	case MethodContractList:
		return n.ListContracts()
	case MethodContractWithdraw:
		var p WithdrawParams
		if err := decodeParams(params, &p); err != nil {
			return nil, err
		}
		return n.WithdrawOffer(p)
	case MethodDiaryList:
		var p DiaryParams
		if err := decodeParams(params, &p); err != nil {
			return nil, err
		}
		return n.Diary(p)
	case MethodApprove:
		var p ApproveParams
		if err := decodeParams(params, &p); err != nil {
			return nil, err
		}
		return n.Approve(p)
	case MethodAddManual:
		var p ManualParams
		if err := decodeParams(params, &p); err != nil {
			return nil, err
		}
		return n.AddManual(p)
	case MethodSync:
		var p SyncParams
		if err := decodeParams(params, &p); err != nil {
			return nil, err
		}
		if n.network() == nil {
			if err := n.StartNetwork(ctx, n.UserNetOptions(nil)); err != nil {
				return nil, err
			}
		}
		return n.Sync(ctx, p, nil)
	case MethodTimesheet:
		var p TimesheetParams
		if err := decodeParams(params, &p); err != nil {
			return nil, err
		}
		return n.ExportTimesheet(p)
	case MethodLogExport, MethodLogImport:
		var p LogFileParams
		if err := decodeParams(params, &p); err != nil {
			return nil, err
		}
		if method == MethodLogExport {
			return n.ExportLogFile(p)
		}
		return n.ImportLogFile(p)
	case MethodSyncStatus:
		return n.SyncStates()
	case MethodLogStatus:
		var p ApproveParams
		if err := decodeParams(params, &p); err != nil {
			return nil, err
		}
		return n.LogStatus(p.Contract)
	case MethodNetcheck:
		var p NetcheckParams
		if err := decodeParams(params, &p); err != nil {
			return nil, err
		}
		return n.Netcheck(ctx, p)
	case MethodTrackStart, MethodTrackStop, MethodTrackStatus:
		return n.handleTracking(ctx, method, params)
	case MethodDelete, MethodDeleteWebcam, MethodBlur, MethodMemo:
		var p CurateParams
		if err := decodeParams(params, &p); err != nil {
			return nil, err
		}
		return n.curate(method, p)
	}
	return nil, fmt.Errorf("unknown method %q (is the running Workdiary older than this command?)", method)
}

func decodeParams(raw json.RawMessage, v any) error {
	if len(raw) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("bad parameters: %w", err)
	}
	return nil
}

// Serve answers control requests until ctx ends.
func (n *Node) Serve(ctx context.Context) error {
	return n.lock.Serve(ctx, n.Handle)
}

// Do runs method against the data folder home: through its owner when one
// runs, otherwise by opening the folder for the length of the call. role
// names the caller in "folder in use" messages.
//
// The folder may be held without a socket for a moment: by an owner that
// is starting (it takes the lock before it listens) or by another command.
// Do then tries again, pausing longer each time, for up to owner.Patience.
func Do(ctx context.Context, home, role, method string, params, result any) error {
	deadline := time.Now().Add(owner.Patience)
	pause := 20 * time.Millisecond
	for {
		err := owner.Call(ctx, home, method, params, result)
		if !errors.Is(err, owner.ErrNoOwner) {
			return err
		}
		if method == MethodTrackStart {
			// A session lives as long as its owner: a command's own
			// opening of the folder would end it at once.
			return fmt.Errorf("%w of %s to track for: start the desktop app or `workdiary serve`, or run `workdiary track` in the foreground", owner.ErrNoOwner, home)
		}
		err = doLocally(ctx, home, role, method, params, result)
		if !errors.Is(err, owner.ErrBusy) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
		pause = min(2*pause, 250*time.Millisecond)
	}
}

func doLocally(ctx context.Context, home, role, method string, params, result any) error {
	n, err := Open(home, role, clock.Real{})
	if err != nil {
		return err
	}
	defer n.Close()
	raw, err := json.Marshal(params)
	if err != nil {
		return err
	}
	out, err := n.Handle(ctx, method, raw)
	if err != nil {
		return err
	}
	// Round-trip through JSON so the caller sees exactly what the owner
	// would have sent.
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	if result == nil {
		return nil
	}
	return json.Unmarshal(b, result)
}

func (n *Node) curate(method string, p CurateParams) (CurateResult, error) {
	switch method {
	case MethodDelete:
		return n.DeleteSegments(p)
	case MethodDeleteWebcam:
		return n.DeleteWebcam(p)
	case MethodBlur:
		return n.BlurScreenshots(p)
	}
	return n.SetMemo(p)
}
