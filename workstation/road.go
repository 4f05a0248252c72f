package workstation

import (
	"context"
	"fmt"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/transport/adapter"
)

// The roads to SMEV: SMEV 3 itself, or the region's SMEV adapter, which
// signs ЭП-ОВ with the body's key and speaks SMEV 3 for the settlement.
// Both are one transport.Service to the faces: queue, send, poll, answer.
const (
	ViaDirect  = adapter.ChannelDirect
	ViaAdapter = adapter.ChannelAdapter
)

// Road is how this workstation reaches SMEV, as its settings say.
type Road struct {
	Via      string             // ViaDirect or ViaAdapter
	Endpoint transport.Endpoint // SMEV's node, or the adapter's web service
	Adapter  adapter.Options    // the adapter's itSystem, node id and file store
}

// Title says the road in Russian.
func (r Road) Title() string { return transport.ViaTitle(r.Via) }

// ReadVia returns the road the settings choose (smev.channel): direct
// unless "adapter" is set; anything else is refused.
func (w *Workstation) ReadVia(ctx context.Context) (string, error) {
	v, err := w.db.Setting(ctx, adapter.SettingChannel)
	if err != nil {
		return "", err
	}
	return ParseVia(v)
}

// ParseVia checks a road's name ("" is direct).
func ParseVia(v string) (string, error) {
	switch v {
	case "", ViaDirect:
		return ViaDirect, nil
	case ViaAdapter:
		return ViaAdapter, nil
	}
	return "", domain.Errorf(domain.EINVALID, "Неизвестный способ связи со СМЭВ %q: «direct» (СМЭВ 3 напрямую) или «adapter» (через адаптер СМЭВ региона).", v)
}

// ReadRoad reads the road via (ReadVia when "") and its connection
// settings from the journal's settings.
func (w *Workstation) ReadRoad(ctx context.Context, via string) (Road, error) {
	var err error
	if via == "" {
		if via, err = w.ReadVia(ctx); err != nil {
			return Road{}, err
		}
	} else if via, err = ParseVia(via); err != nil {
		return Road{}, err
	}
	get := func(k string) (string, error) { return w.db.Setting(ctx, k) }
	r := Road{Via: via}
	if via == ViaAdapter {
		s, err := adapter.ReadSettings(get)
		if err != nil {
			return Road{}, err
		}
		if s.ITSystem == "" {
			return Road{}, domain.Errorf(domain.EINVALID, "Не задана мнемоника информационной системы, которую выдал регион для адаптера СМЭВ (настройка %s).", adapter.SettingITSystem)
		}
		if r.Endpoint, err = s.Endpoint(); err != nil {
			return Road{}, err
		}
		r.Adapter = s.Options()
		return r, nil
	}
	cs, err := transport.ReadChannelSettings(get)
	if err != nil {
		return Road{}, err
	}
	if r.Endpoint, err = cs.Endpoint(); err != nil {
		return Road{}, err
	}
	return r, nil
}

// OpenRoad builds the SMEV service on road r. system is the ЭП-ОВ key: on
// the direct road it signs every message; on the adapter's the adapter
// signs ЭП-ОВ, and the key (may be nil there) signs files and stands in for
// the official's ЭП-СП in the training mode.
func (w *Workstation) OpenRoad(r Road, system keys.Key, o ServiceOptions) (*transport.Service, error) {
	switch r.Via {
	case ViaDirect, "":
		return w.NewService(r.Endpoint, system, o)
	case ViaAdapter:
		return adapter.NewService(w.serviceConfig(r.Endpoint, system, o), r.Adapter)
	}
	return nil, fmt.Errorf("workstation: unknown road %q", r.Via)
}

// OtherVia is the road that is not via.
func OtherVia(via string) string {
	if via == ViaAdapter {
		return ViaDirect
	}
	return ViaAdapter
}

// Owed reports whether road via still owes something: messages in its
// outbox, or requests sent by it still waiting for their answer. After a
// switch of roads, the old one is polled until it owes nothing, so no
// answer is lost.
func (w *Workstation) Owed(ctx context.Context, via string) (bool, error) {
	n, err := w.db.OutboxPendingVia(ctx, via)
	if err != nil || n > 0 {
		return n > 0, err
	}
	open, err := w.db.OpenOutgoingVia(ctx, via, 1)
	return len(open) > 0, err
}
