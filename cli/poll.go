package cli

import (
	"context"
	"fmt"
)

func init() {
	Register(&Command{
		Path:  "poll",
		Usage: "[--data-dir DIR] [connection flags] [--key KEYFILE] [--no-send]",
		Short: "send what the outbox holds, then take answers, statuses and incoming requests from SMEV (each verified, committed, then acknowledged)",
		Run:   runPoll,
	})
}

func runPoll(env *Env) int {
	fs := env.NewFlagSet("poll")
	var sf smevFlags
	sf.register(fs)
	noSend := fs.Bool("no-send", false, "only take messages, do not send the outbox")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "mezhved poll: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	ws, svc, key, err := sf.open(env)
	if err != nil {
		return env.userError(err)
	}
	defer ws.Close()
	defer key.Close()
	defer svc.Close()
	ctx := context.Background()
	var sent, retried, failed int
	if !*noSend {
		res, err := svc.SendNow(ctx)
		if err != nil {
			return env.userError(err)
		}
		sent, retried, failed = res.Sent, res.Retried, res.Failed
	}
	pr, err := svc.PollNow(ctx)
	if err != nil {
		return env.userError(err)
	}
	fmt.Fprintf(env.Stdout, "sent %d, to retry %d, failed %d; replies %d, delivered again %d, refused (bad signature) %d, statuses %d, incoming %d\n",
		sent, retried, failed, pr.Replies, pr.Duplicates, pr.Rejected, pr.Statuses, pr.Incoming)
	return 0
}
