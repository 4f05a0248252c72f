package regionsync

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// FuzzPushRequest: whatever a workstation sends, decoding and validation
// never panic, and what passes validation is well-formed.
func FuzzPushRequest(f *testing.F) {
	f.Add([]byte(`{"settlement":"46605101","after":0,"requests":[{"id":1,"direction":"out","templateTitle":"Выписка из ЕГРН","provider":"Росреестр","channel":"smev","createdAt":"2026-05-12T09:00:00Z","dueOn":"2026-05-20"}],` +
		`"events":[{"seq":1,"requestId":1,"at":"2026-05-12T09:00:00Z","actor":"outbox","to":"queued"},{"seq":2,"requestId":1,"at":"2026-05-12T09:00:00Z","actor":"outbox","from":"queued","to":"sent"}]}`))
	f.Add([]byte(`{"settlement":"46605101","after":0,"requests":[],"events":[]}`))
	f.Add([]byte(`{"settlement":"46605101","after":-1,"requests":[{"id":1}],"events":[{"seq":1,"requestId":1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p PushRequest
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if dec.Decode(&p) != nil {
			return
		}
		if p.Validate() != nil {
			return
		}
		prev := p.After
		for _, e := range p.Events {
			if e.Seq <= prev {
				t.Fatalf("valid batch with seq %d after %d", e.Seq, prev)
			}
			prev = e.Seq
		}
		if !ValidOKTMO(p.Settlement) || len(p.Events) == 0 || len(p.Events) > MaxBatchEvents {
			t.Fatal("invalid batch passed")
		}
	})
}

// FuzzVerifyUpdate: a mutated signed update never verifies and never
// panics.
func FuzzVerifyUpdate(f *testing.F) {
	now := time.Now()
	key, cert, err := NewUpdateKey("Тестовая область", now)
	if err != nil {
		f.Fatal(err)
	}
	good, _ := SignUpdate(KindCalendar, "2027.xml", []byte("<calendar year=\"2027\"/>"), now, key)
	f.Add(good)
	f.Add([]byte(`{"format":"mezhved-update/1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := VerifyUpdate(data, cert, now)
		if err == nil && !bytes.Equal(data, good) {
			// Only a re-encoding of the same signed content may pass.
			var a, b signedUpdate
			json.Unmarshal(data, &a)
			json.Unmarshal(good, &b)
			if a.Kind != b.Kind || a.Name != b.Name || a.Issued != b.Issued || !bytes.Equal(a.Payload, b.Payload) || u == nil {
				t.Fatalf("a different update verified: %+v", a)
			}
		}
	})
}
