package printing_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/printing"
)

func ExampleWriteReply() {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 10, 0, 0, 0, time.Local) }
	var out bytes.Buffer // or the *os.File of «Сохранить PDF»
	res, err := printing.WriteReply(&out, printing.Reply{
		Request: printing.Request{
			Number: "15", Date: day(1), MessageID: "2f1c9a7e-5b3d-11f1-9a2b-0242ac120002",
			Provider: "Росреестр", TemplateTitle: "Выписка из ЕГРН", Settlement: "Администрация Кривоборского сельского поселения",
		},
		Received: day(3),
		Sections: []printing.Section{{Title: "Объект", Fields: []printing.Field{{Label: "Кадастровый номер", Value: "36:25:6945001:123"}}}},
		Mark: &printing.SignatureMark{Serial: "7C0012AB34CD", Owner: "Управление Росреестра по Воронежской области",
			ValidFrom: day(1).AddDate(-1, 0, 0), ValidTo: day(1).AddDate(1, 0, 0)},
	})
	if err != nil {
		fmt.Println(domain.ErrorMessage(err)) // Russian, for the clerk
		return
	}
	fmt.Printf("%d page(s), the mark on page %d, failed attachments: %d\n", res.Pages, res.MarkPage, len(res.Failed()))
	// Output: 1 page(s), the mark on page 1, failed attachments: 0
}

func ExampleWriteRegister() {
	_, err := printing.WriteRegister(new(bytes.Buffer), printing.Register{
		Kind: printing.Outgoing,
		From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.Local),
		To:   time.Date(2026, 3, 31, 0, 0, 0, 0, time.Local),
	})
	fmt.Println(domain.ErrorCode(err), "—", domain.ErrorMessage(err))
	// Output: not_found — Реестр исходящих межведомственных запросов: за период с 01.01.2026 по 31.03.2026 записей нет, печатать нечего.
}
