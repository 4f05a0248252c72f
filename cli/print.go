package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/mezhved/mezhved/reports"
	"github.com/mezhved/mezhved/workstation"
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
	ws, err := openWorkstation(env, *dataDir)
	if err != nil {
		return env.userError(err)
	}
	defer ws.Close()
	doc, err := ws.Print(context.Background(), workstation.PrintJob{MessageID: *id})
	if err != nil {
		return env.userError(err)
	}
	if err := writeFileAtomic(*out, doc.PDF); err != nil {
		return env.userError(err)
	}
	fmt.Fprintf(env.Stdout, "%s: %d pages", *out, doc.Pages)
	if doc.Unconfirmed {
		fmt.Fprint(env.Stdout, " (the signature is not confirmed: the printout says so, without the e-signature mark)")
	}
	for _, n := range doc.Notes {
		if !doc.Unconfirmed || !strings.HasPrefix(n, "Подпись ответа") {
			fmt.Fprint(env.Stdout, "; "+n)
		}
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
	ws, err := openWorkstation(env, *dataDir)
	if err != nil {
		return env.userError(err)
	}
	defer ws.Close()
	doc, err := ws.Print(context.Background(), workstation.PrintJob{Kind: *kind, From: *from, To: *to})
	if err != nil {
		return env.userError(err)
	}
	if err := writeFileAtomic(*out, doc.PDF); err != nil {
		return env.userError(err)
	}
	fmt.Fprintf(env.Stdout, "%s: %d pages\n", *out, doc.Pages)
	return 0
}
