package workstation

import (
	"context"
	"crypto/x509"
	"time"

	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/trust"
)

// Training reports whether the journal is in the training mode (the
// built-in training SMEV node).
func (w *Workstation) Training(ctx context.Context) bool {
	v, _ := w.db.Setting(ctx, store.SettingTraining)
	return v == "1"
}

// Contour is the SMEV contour whose anchors the signatures of what comes
// from SMEV must chain to: training in the training mode, else the setting
// smev.contour (production unless it says test).
func (w *Workstation) Contour(ctx context.Context) trust.Contour {
	if w.Training(ctx) {
		return trust.Training
	}
	if v, _ := w.db.Setting(ctx, transport.SettingContour); v == string(trust.Test) {
		return trust.Test
	}
	return trust.Production
}

// ServiceOptions tune the SMEV service; zero values are the defaults.
type ServiceOptions struct {
	Contour      trust.Contour // "" is w.Contour
	Provider     bool          // take incoming requests too
	SendInterval time.Duration
	PollInterval time.Duration
	Backoff      transport.Backoff
	Log          func(format string, args ...any)
}

// NewService builds the SMEV service of this workstation: the one place a
// transport.Service is made, so the window and the commands send, poll and
// judge signatures alike — the journal, the calendar in force (an imported
// year is used at once), the catalogue, the trust store and its contour,
// the clock.
func (w *Workstation) NewService(ep transport.Endpoint, system keys.Key, o ServiceOptions) (*transport.Service, error) {
	return transport.NewService(w.serviceConfig(ep, system, o))
}

// serviceConfig is the service's wiring on either road.
func (w *Workstation) serviceConfig(ep transport.Endpoint, system keys.Key, o ServiceOptions) transport.ServiceConfig {
	if o.Contour == "" {
		o.Contour = w.Contour(context.Background())
	}
	return transport.ServiceConfig{
		DB: w.db, Endpoint: ep, SystemKey: system, Calendar: w, Catalogue: w.Catalogue(),
		Provider: o.Provider, SendInterval: o.SendInterval, PollInterval: o.PollInterval, Backoff: o.Backoff,
		Log: o.Log, Now: w.cfg.Now, Trust: w.trust, Contour: o.Contour,
	}
}

// TrustTraining makes the training node's CAs (node.Node.TrainingAnchors)
// anchors of the training contour for this run.
func (w *Workstation) TrustTraining(anchors []*x509.Certificate) {
	if w.trust == nil {
		return
	}
	for _, ca := range anchors {
		if err := w.trust.AddTrainingAnchor(ca); err != nil {
			w.cfg.Log.Error("training anchor not added", "err", err)
		}
	}
}
