package node

import (
	"context"

	"github.com/workdiary/workdiary/internal/capture"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
)

// The ops: every operation a process can ask a node for, each declared
// once with its wire name, parameters, result and the node method that
// does the work. The owner answers them over the control socket; without
// an owner, Op.Do opens the folder and answers them itself, so a command's
// result is the same either way. Changes are announced by the node methods
// (OnChange), whoever called them.
//
// A new op is one line here and its method; the command line calls it with
// Op.Do and the desktop app with the method or Op.Run.
var (
	OpIdentityShow   = op("identity.show", func(n *Node, _ context.Context, _ None) (IdentityInfo, error) { return n.IdentityInfo() })
	OpIdentityCreate = op("identity.create", (*Node).createIdentityOp)

	OpContractOffer = op("contract.offer", func(n *Node, _ context.Context, p OfferParams) (OfferResult, error) { return n.OfferContract(p) })
	OpInvitePreview = op("contract.preview", func(n *Node, _ context.Context, p AcceptParams) (InvitePreview, error) {
		return n.PreviewInvite(p.Code)
	})
	OpContractAccept = op("contract.accept", func(n *Node, ctx context.Context, p AcceptParams) (AcceptResult, error) {
		return n.AcceptContract(ctx, p)
	})
	OpContractList     = op("contract.list", func(n *Node, _ context.Context, _ None) ([]contract.ListItem, error) { return n.ListContracts() })
	OpContractWithdraw = op("contract.withdraw", func(n *Node, _ context.Context, p WithdrawParams) (contract.ListItem, error) {
		return n.WithdrawOffer(p)
	})
	OpContractShow = op("contract.show", func(n *Node, _ context.Context, p ShowParams) (ContractDetail, error) { return n.ShowContract(p) })
	// The changes of a running contract (internal/node/lifecycle.go).
	OpContractEnd     = op("contract.end", func(n *Node, _ context.Context, p EndParams) (ContractDetail, error) { return n.EndContract(p) })
	OpContractPause   = op("contract.pause", func(n *Node, _ context.Context, p HoldParams) (ContractDetail, error) { return n.PauseContract(p) })
	OpContractResume  = op("contract.resume", func(n *Node, _ context.Context, p HoldParams) (ContractDetail, error) { return n.ResumeContract(p) })
	OpContractAmend   = op("contract.amend", func(n *Node, _ context.Context, p AmendParams) (ContractDetail, error) { return n.AmendContract(p) })
	OpContractDispute = op("contract.dispute", func(n *Node, _ context.Context, p DisputeParams) (ContractDetail, error) { return n.DisputeTime(p) })
	OpContractAnswer  = op("contract.answer", func(n *Node, _ context.Context, p AnswerParams) (ContractDetail, error) { return n.AnswerDispute(p) })
	OpContractWeeks   = op("contract.weeks", func(n *Node, _ context.Context, p WeeksParams) ([]WeekView, error) { return n.ContractWeeks(p) })
	OpDiaryList       = op("diary.list", func(n *Node, _ context.Context, p DiaryParams) ([]diary.View, error) { return n.Diary(p) })
	OpApprove         = op("diary.approve", func(n *Node, _ context.Context, p ApproveParams) (LogStatus, error) { return n.Approve(p) })
	OpDelete          = op("diary.delete", curateOp((*Node).DeleteSegments))
	OpDeleteWebcam    = op("diary.delete-webcam", curateOp((*Node).DeleteWebcam))
	OpBlur            = op("diary.blur", curateOp((*Node).BlurScreenshots))
	OpMemo            = op("diary.memo", curateOp((*Node).SetMemo))
	OpAddManual       = op("diary.add-manual", func(n *Node, _ context.Context, p ManualParams) (CurateResult, error) { return n.AddManual(p) })
	OpLogStatus       = op("log.status", func(n *Node, _ context.Context, p ApproveParams) (LogStatus, error) { return n.LogStatus(p.Contract) })
	OpLogExport       = op("log.export", func(n *Node, _ context.Context, p LogFileParams) (LogFileResult, error) { return n.ExportLogFile(p) })
	OpLogImport       = op("log.import", func(n *Node, _ context.Context, p LogFileParams) (LogFileResult, error) { return n.ImportLogFile(p) })
	OpTimesheetExport = op("timesheet.export", func(n *Node, _ context.Context, p TimesheetParams) (TimesheetResult, error) {
		return n.ExportTimesheet(p)
	})

	OpTeamList = op("team.list", func(n *Node, _ context.Context, _ None) ([]TeamRow, error) { return n.Team() })
	// OpOwnerStatus is what the owner of a folder (the desktop app or
	// `workdiary serve`) reports about itself: `workdiary serve status`.
	OpOwnerStatus = ownerOnly(op("owner.status", func(n *Node, _ context.Context, _ None) (OwnerStatus, error) { return n.OwnerStatus() }))

	OpSync       = op("sync.run", (*Node).syncOp)
	OpSyncStatus = op("sync.status", func(n *Node, _ context.Context, _ None) ([]SyncState, error) { return n.SyncStates() })
	OpNetcheck   = op("net.check", func(n *Node, ctx context.Context, p NetcheckParams) (NetReport, error) { return n.Netcheck(ctx, p) })

	OpConfigGet  = op("config.get", func(n *Node, _ context.Context, _ None) (Settings, error) { return n.Settings() })
	OpConfigSet  = op("config.set", func(n *Node, _ context.Context, p SettingParams) (SettingResult, error) { return n.SetSetting(p) })
	OpConfigApps = op("config.apps", func(n *Node, ctx context.Context, _ None) ([]capture.App, error) { return n.RunningApps(ctx) })

	OpWebcamCameras = op("webcam.cameras", func(n *Node, ctx context.Context, _ None) ([]capture.Camera, error) { return n.Cameras(ctx) })
	OpWebcamStatus  = op("webcam.status", func(n *Node, _ context.Context, p WebcamParams) (WebcamState, error) {
		return n.WebcamStatus(p.Contract)
	})
	OpWebcamSet = op("webcam.set", func(n *Node, _ context.Context, p WebcamParams) (WebcamState, error) { return n.SetWebcam(p) })

	// The tracking ops, so that `workdiary track` works while the desktop
	// app or `serve` owns the folder: the session runs in the owner.
	OpTrackStart  = ownerOnly(op("track.start", (*Node).trackStartOp))
	OpTrackStop   = op("track.stop", func(n *Node, _ context.Context, q TrackQuery) (TrackReport, error) { return n.StopTracking(q) })
	OpTrackStatus = op("track.status", func(n *Node, _ context.Context, q TrackQuery) (TrackReport, error) { return n.TrackReport(q) })

	// The resident agent gives the folder to a window that opens
	// (docs/architecture.md, "The resident agent").
	OpAgentHandover = ownerOnly(op("agent.handover", (*Node).handoverOp))
	OpAgentSettings = op("agent.settings", func(n *Node, _ context.Context, _ None) (AgentSettings, error) { return n.AgentSettings() })
	// The desktop app moves its data folder (internal/node/move.go).
	OpFolderMove       = ownerOnly(op("folder.move", (*Node).moveOp))
	OpAgentSettingsSet = op("agent.settings.set", func(n *Node, _ context.Context, p AgentSettings) (AgentSettings, error) {
		return n.SetAgentSettings(p)
	})
)

// None is the parameters of an op that takes none.
type None struct{}

// CreateIdentityParams are the parameters of OpIdentityCreate.
type CreateIdentityParams struct {
	Name string `json:"name"`
}

func (n *Node) createIdentityOp(_ context.Context, p CreateIdentityParams) (IdentityInfo, error) {
	id, err := n.CreateIdentity(p.Name)
	if err != nil {
		return IdentityInfo{}, err
	}
	return n.infoOf(id), nil
}

// syncOp runs a sync round, joining the network first when this node has
// not (a command that opened the folder for the call).
func (n *Node) syncOp(ctx context.Context, p SyncParams) ([]SyncResult, error) {
	if n.network() == nil {
		if err := n.StartNetwork(ctx, n.UserNetOptions(nil)); err != nil {
			return nil, err
		}
	}
	return n.Sync(ctx, p, nil)
}

func curateOp(f func(*Node, CurateParams) (CurateResult, error)) func(*Node, context.Context, CurateParams) (CurateResult, error) {
	return func(n *Node, _ context.Context, p CurateParams) (CurateResult, error) { return f(n, p) }
}

func ownerOnly[P, R any](o Op[P, R]) Op[P, R] {
	o.ownerOnly = true
	return o
}
