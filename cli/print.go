package cli

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/mezhved/mezhved/printing"
	"github.com/mezhved/mezhved/reports"
	"github.com/mezhved/mezhved/store"
)

func init() {
	Register(&Command{
		Path:  "print register",
		Usage: "--from YYYY-MM-DD --to YYYY-MM-DD [--kind outgoing|incoming|overdue|quarterly] [--data-dir DIR] --out FILE",
		Short: "print a register of requests, the overdue list or the quarterly statistics to a PDF",
		Run:   printRegister,
	})
	Register(&Command{
		Path:  "print reply",
		Usage: "--message-id ID [--data-dir DIR] --out FILE",
		Short: "print an answer (by its MessageID or the request's) with the e-signature mark and its PDF attachments",
		Run:   printReply,
	})
}

func printReply(env *Env) int {
	fs := env.NewFlagSet("print reply")
	id := fs.String("message-id", "", "the MessageID of the answer or of our request")
	dataDir := fs.String("data-dir", "", "data directory")
	out := fs.String("out", "", "the PDF file to write")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	if *id == "" || *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(env.Stderr, "mezhved print reply: --message-id and --out are required")
		return 2
	}
	db, err := openJournal(env, *dataDir)
	if err != nil {
		return env.userError(err)
	}
	defer db.Close()
	doc, err := reports.ReplyDoc(context.Background(), db, *id, time.Now(), nil)
	if err != nil {
		return env.userError(err)
	}
	var buf bytes.Buffer
	res, err := printing.WriteReply(&buf, doc)
	if err != nil {
		return env.userError(err)
	}
	if err := writeFileAtomic(*out, buf.Bytes()); err != nil {
		return env.userError(err)
	}
	fmt.Fprintf(env.Stdout, "%s: %d pages", *out, res.Pages)
	if doc.Mark == nil {
		fmt.Fprint(env.Stdout, " (no valid signature: the printout says so)")
	}
	for _, a := range res.Failed() {
		fmt.Fprintf(env.Stdout, "; attachment %s not added: %v", a.Name, a.Err)
	}
	fmt.Fprintln(env.Stdout)
	return 0
}

func printRegister(env *Env) int {
	fs := env.NewFlagSet("print register")
	from := fs.String("from", "", "first day of the period, YYYY-MM-DD")
	to := fs.String("to", "", "last day of the period, YYYY-MM-DD")
	kind := fs.String("kind", reports.KindOutgoing, "outgoing, incoming, overdue or quarterly")
	dataDir := fs.String("data-dir", "", "data directory")
	out := fs.String("out", "", "the PDF file to write")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	if *from == "" || *to == "" || *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(env.Stderr, "mezhved print register: --from, --to and --out are required")
		return 2
	}
	db, err := openJournal(env, *dataDir)
	if err != nil {
		return env.userError(err)
	}
	defer db.Close()
	ctx := context.Background()
	settlement, err := db.Setting(ctx, store.SettingSettlement)
	if err != nil {
		return env.userError(err)
	}
	doc, err := reports.Build(ctx, db, reports.Params{Kind: *kind, From: *from, To: *to, Now: time.Now(), Settlement: settlement})
	if err != nil {
		return env.userError(err)
	}
	var buf bytes.Buffer
	var res *printing.Result
	switch d := doc.(type) {
	case printing.Register:
		res, err = printing.WriteRegister(&buf, d)
	case printing.Quarterly:
		res, err = printing.WriteQuarterly(&buf, d)
	}
	if err != nil {
		return env.userError(err)
	}
	if err := writeFileAtomic(*out, buf.Bytes()); err != nil {
		return env.userError(err)
	}
	fmt.Fprintf(env.Stdout, "%s: %d pages\n", *out, res.Pages)
	return 0
}
