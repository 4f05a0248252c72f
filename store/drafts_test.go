package store

import (
	"context"
	"testing"

	"github.com/mezhved/mezhved/domain"
)

func TestDraftsAndApplications(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	appID, err := db.SaveApplication(ctx, Application{Number: "З-17", Service: "Выдача выписки из похозяйственной книги",
		Applicant: "Петров Сергей Николаевич", DataJSON: `{"number":"З-17"}`, RegisteredOn: "2026-11-20"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV, Status: domain.StatusDraft,
		ApplicationID: appID, TemplateID: "egrn-object", Actor: "Иванова"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.UpdateDraft(ctx, id, Draft{FieldsJSON: `{"object.cadastral_number":"76:17:010101:15"}`,
		Applicant: "Петров Сергей Николаевич", SNILS: "112-233-445 95", Body: []byte("<a/>")}); err != nil {
		t.Fatal(err)
	}
	f, body, err := db.RequestContent(ctx, id)
	if err != nil || f != `{"object.cadastral_number":"76:17:010101:15"}` || string(body) != "<a/>" {
		t.Fatalf("%q %q %v", f, body, err)
	}
	if p, _ := db.ListRequests(ctx, domain.RequestFilter{Query: "11223344595"}); p.Total != 1 {
		t.Fatal("the updated draft is not found by СНИЛС")
	}
	reqs, err := db.ApplicationRequests(ctx, appID)
	if err != nil || len(reqs) != 1 || reqs[0].ApplicationID != appID {
		t.Fatalf("%+v %v", reqs, err)
	}
	// A signed request is frozen.
	db.SetStatus(ctx, id, domain.StatusSigned, "Иванова", "")
	err = db.UpdateDraft(ctx, id, Draft{FieldsJSON: `{}`})
	wantCode(t, err, domain.ECONFLICT)
	if f, _, _ := db.RequestContent(ctx, id); f == "{}" {
		t.Fatal("a refused update changed the request")
	}
	wantCode(t, db.UpdateDraft(ctx, 999, Draft{}), domain.ENOTFOUND)
	_, err = db.SaveApplication(ctx, Application{ID: 999, RegisteredOn: "2026-11-20"})
	wantCode(t, err, domain.ENOTFOUND)
	_, err = db.SaveApplication(ctx, Application{RegisteredOn: "вчера"})
	wantCode(t, err, domain.EINVALID)
	// A request cannot point at an application that does not exist.
	_, err = db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV, Status: domain.StatusDraft,
		ApplicationID: 4242, Actor: "Иванова"})
	wantCode(t, err, domain.ENOTFOUND)
}
