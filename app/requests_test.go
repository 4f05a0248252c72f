package app

import (
	"context"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/domain"
)

func TestDraftFromEveryTemplate(t *testing.T) {
	a := started(t)
	R(a.Settings.SaveIdentity(Identity{Settlement: "Берёзовское сельское поселение", Clerk: "Иванова Мария Петровна",
		OKTMO: "46608404", Position: "специалист администрации"}))
	list := R(a.Templates.List("")).Data.([]TemplateInfo)
	if len(list) < 10 {
		t.Fatalf("catalogue has %d templates", len(list))
	}
	for _, info := range list {
		r := R(a.Requests.NewDraft(info.ID, 0, ""))
		if !r.OK {
			t.Fatalf("%s: %+v", info.ID, r)
		}
		v := r.Data.(DraftView)
		if v.Complete || v.Request.Status != domain.StatusDraft {
			t.Fatalf("%s: an empty draft is complete", info.ID)
		}
		r = R(a.Requests.SaveDraft(v.Request.ID, v.Template.Examples()))
		v = r.Data.(DraftView)
		if !r.OK || !v.Complete || len(v.Problems) != 0 || !strings.HasPrefix(v.XML, "<") || len(v.Readable) == 0 {
			t.Fatalf("%s: examples do not complete the form: %+v", info.ID, v.Problems)
		}
	}
}

func TestDraftProblemsAndApplicationReuse(t *testing.T) {
	a := started(t)
	r := R(a.Requests.NewDraft("sfr-snils-check", 0, ""))
	v := r.Data.(DraftView)
	values := v.Template.Examples()
	values["applicant.snils"] = "112-233-445 96"
	r = R(a.Requests.SaveDraft(v.Request.ID, values))
	v = r.Data.(DraftView)
	if !r.OK || v.Complete || len(v.Problems) == 0 || v.XML != "" {
		t.Fatalf("a wrong СНИЛС passed: %+v", v.Problems)
	}
	found := false
	for _, p := range v.Problems {
		if p.Field == "applicant.snils" && strings.Contains(p.Message, "контрольн") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no СНИЛС problem in %+v", v.Problems)
	}
	// What was typed is kept, wrong as it is.
	if got := R(a.Requests.Draft(v.Request.ID)).Data.(DraftView).Values["applicant.snils"]; got != "112-233-445 96" {
		t.Fatalf("typed value lost: %q", got)
	}
	values["applicant.snils"] = "112-233-445 95"
	R(a.Requests.SaveDraft(v.Request.ID, values))

	// The next request of the same application starts with the applicant.
	r = R(a.Requests.NewDraft("egrn-rights-person", v.Request.ApplicationID, ""))
	next := r.Data.(DraftView)
	if d := next.Values["application.date"]; len(d) != 10 || d[2] != '.' || d[5] != '.' {
		t.Fatalf("the application date is not ДД.ММ.ГГГГ: %q", d)
	}
	if !r.OK || next.Request.ApplicationID != v.Request.ApplicationID || next.Values["applicant.snils"] != values["applicant.snils"] {
		t.Fatalf("applicant not reused: %+v", next.Values)
	}
	// A signed request is frozen.
	db, _ := a.journal()
	db.SetStatus(context.Background(), v.Request.ID, domain.StatusSigned, "t", "")
	if r := R(a.Requests.SaveDraft(v.Request.ID, values)); r.OK || r.Code != domain.ECONFLICT {
		t.Fatalf("%+v", r)
	}
	if r := R(a.Requests.NewDraft("no-such-template", 0, "")); r.OK || r.Code != domain.ENOTFOUND {
		t.Fatalf("%+v", r)
	}
	if r := R(a.Templates.List("росреестр егрн")); len(r.Data.([]TemplateInfo)) == 0 {
		t.Fatal("search by words found nothing")
	}
}
