package regionsync

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
)

func calendarFixture(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../../calendar/testdata/fixture-2028.xml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUpdateSignedByTheRegionVerifies(t *testing.T) {
	now := time.Now()
	key, cert, err := NewUpdateKey("Тестовая область", now)
	if err != nil {
		t.Fatal(err)
	}
	payload := calendarFixture(t)
	data, err := SignUpdate(KindCalendar, "2028.xml", payload, now, key)
	if err != nil {
		t.Fatal(err)
	}
	u, err := VerifyUpdate(data, cert, now)
	if err != nil {
		t.Fatal(err)
	}
	if u.Kind != KindCalendar || u.Name != "2028.xml" || string(u.Payload) != string(payload) {
		t.Fatalf("update %+v", u)
	}
	dir := t.TempDir()
	msg, err := u.Apply(ApplyOptions{DataDir: dir})
	if err != nil || !strings.Contains(msg, "2028") {
		t.Fatalf("apply: %q %v", msg, err)
	}
	cal, err := calendar.Load(CalendarDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if ys := cal.Years(); ys[len(ys)-1] != 2028 {
		t.Fatalf("years %v", ys)
	}
}

func TestUpdateTamperedOrForeignRejected(t *testing.T) {
	now := time.Now()
	key, cert, _ := NewUpdateKey("Тестовая область", now)
	otherKey, _, _ := NewUpdateKey("Чужая область", now)
	payload := calendarFixture(t)
	good, _ := SignUpdate(KindCalendar, "2028.xml", payload, now, key)

	var su signedUpdate
	json.Unmarshal(good, &su)
	mutate := func(f func(*signedUpdate)) []byte {
		c := su
		c.Payload = append([]byte(nil), su.Payload...)
		c.Signature = append([]byte(nil), su.Signature...)
		f(&c)
		b, _ := json.Marshal(c)
		return b
	}
	foreign, _ := SignUpdate(KindCalendar, "2028.xml", payload, now, otherKey)
	cases := map[string][]byte{
		"payload changed":     mutate(func(c *signedUpdate) { c.Payload[100] ^= 1 }),
		"signature changed":   mutate(func(c *signedUpdate) { c.Signature[5] ^= 1 }),
		"kind swapped":        mutate(func(c *signedUpdate) { c.Kind = KindTemplate }),
		"name swapped":        mutate(func(c *signedUpdate) { c.Name = "2027.xml" }),
		"date changed":        mutate(func(c *signedUpdate) { c.Issued = now.Add(-time.Hour).UTC().Format(time.RFC3339) }),
		"signed by other key": foreign,
		"not an update":       []byte("<calendar/>"),
		"empty":               nil,
	}
	for name, data := range cases {
		u, err := VerifyUpdate(data, cert, now)
		if u != nil || domain.ErrorCode(err) != domain.ESIGNATURE || !strings.HasPrefix(domain.ErrorMessage(err), "Обновление от региона отклонено") {
			t.Errorf("%s: %v %v", name, u, err)
		}
	}
	if _, err := VerifyUpdate(good, cert, now.AddDate(6, 0, 0)); domain.ErrorCode(err) != domain.ESIGNATURE {
		t.Errorf("expired certificate: %v", err)
	}
	if _, err := VerifyUpdate(good, nil, now); domain.ErrorCode(err) != domain.ESIGNATURE {
		t.Errorf("no trusted certificate: %v", err)
	}
	if _, err := VerifyUpdate(good, cert, now); err != nil {
		t.Fatalf("the good update: %v", err)
	}
}
