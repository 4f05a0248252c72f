package domain

import (
	"testing"
	"time"
)

func TestTitleFor(t *testing.T) {
	for _, c := range []struct {
		d    Direction
		s    Status
		want string
	}{
		{Incoming, StatusAnswered, "Ответ отправлен"},
		{Incoming, StatusRejected, "Отказ отправлен"},
		{Outgoing, StatusAnswered, "Ответ получен"},
		{Outgoing, StatusRejected, "Отказ"},
		{Incoming, StatusReceived, "Поступил"},
	} {
		if got := TitleFor(c.d, c.s); got != c.want {
			t.Errorf("TitleFor(%s, %s) = %q, want %q", c.d, c.s, got, c.want)
		}
	}
	r := &Request{Direction: Incoming, Status: StatusRejected}
	if r.StatusTitle() != "Отказ отправлен" {
		t.Error(r.StatusTitle())
	}
}

func TestRussian(t *testing.T) {
	for in, want := range map[string]string{
		"valid until 2027-12-03":                                  "действителен до 03.12.2027",
		"Иванов, expired 2020-01-31":                              "Иванов, срок действия истёк 31.01.2020",
		"СМЭВ: requestIsAcceptedBySmev: Запрос принят":            "СМЭВ: запрос принят СМЭВ: Запрос принят",
		"Отказ поставщика: Сведения не найдены (NO_DATA)":         "Отказ поставщика: Сведения не найдены",
		"Отказ: ACCESS_DENIED":                                    "Отказ: доступ к сведениям запрещён",
		"СМЭВ не ответила за 60s":                                 "СМЭВ не ответила за 60 секунд",
		"повтор через 1m30s":                                      "повтор через 1 минуту 30 секунд",
		"дата рождения 1985-02-01, срок 2026-12-03":               "дата рождения 01.02.1985, срок 03.12.2026",
		"получен 2026-03-02T10:15:00Z":                            "получен 02.03.2026 10:15",
		"MessageID 2f1c9a7e-5b3d-11f1-9a2b-0242ac120002 остаётся": "MessageID 2f1c9a7e-5b3d-11f1-9a2b-0242ac120002 остаётся",
		"": "",
	} {
		if got := Russian(in); got != want {
			t.Errorf("Russian(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValueAndWords(t *testing.T) {
	for in, want := range map[string]string{"FOUND": "сведения найдены", "NO_DATA": "Сведения не найдены", "1985-02-01": "01.02.1985",
		"true": "да", "Иванова": "Иванова", "2026-03-02T10:15:00+03:00": "02.03.2026 10:15"} {
		if got := Value(in); got != want {
			t.Errorf("Value(%q) = %q, want %q", in, got, want)
		}
	}
	if got := DurationWords(2*time.Hour + time.Minute); got != "2 часа 1 минуту" {
		t.Error(got)
	}
	if got := DurationWords(21 * time.Second); got != "21 секунду" {
		t.Error(got)
	}
	if ActorTitle("outbox") != "очередь отправки" || ActorTitle("smev") != "СМЭВ" || ActorTitle("Иванова М. П.") != "Иванова М. П." {
		t.Error("actors")
	}
	if RejectTitle("NO_DATA") != "Сведения не найдены" || RejectTitle("X") != "" {
		t.Error("reject titles")
	}
	for in, want := range map[string]string{"Социальный фонд России": "Социального фонда России",
		"Отделение СФР по Ярославской области": "Отделения СФР по Ярославской области", "ОСФР по Ярославской области": "ОСФР по Ярославской области"} {
		if got := Genitive(in); got != want {
			t.Errorf("Genitive(%q) = %q", in, got)
		}
	}
}
