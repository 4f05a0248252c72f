package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"

	"github.com/mezhved/mezhved/region/regionsync"
	"github.com/mezhved/mezhved/store"
)

func init() {
	Register(&Command{
		Path:  "sync",
		Usage: "[--data-dir DIR] [--region URL] [--json]",
		Short: "send the journal's events to the regional server and load its signed updates",
		Run:   syncCmd,
	})
}

// syncCmd sends what waits and applies the region's updates. The
// workstation's kit (certificate, key, the region's certificates) is in
// <data-dir>/region/; the URL comes from --region, else the setting
// sync.region, else region/region-url.txt. Exit 0 done, 1 when an update
// was refused (bad signature), 2 on errors (the region unreachable
// included: the events wait for the next sync).
func syncCmd(env *Env) int {
	fs := env.NewFlagSet("sync")
	dataDir := fs.String("data-dir", "", "data directory (default: $MEZHVED_DATA_DIR or the OS data folder)")
	regionURL := fs.String("region", "", "the regional server, https://host:port")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "mezhved sync: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	db, err := openJournal(env, *dataDir)
	if err != nil {
		return env.userError(err)
	}
	defer db.Close()
	url := *regionURL
	if url == "" {
		if url, err = db.Setting(ctx, store.SettingSyncRegion); err != nil {
			return env.userError(err)
		}
	}
	cfg, err := regionsync.LoadEnrollment(db.Dir(), url)
	if err != nil {
		return env.userError(err)
	}
	personal, err := db.Setting(ctx, store.SettingSyncPersonal)
	if err != nil {
		return env.userError(err)
	}
	cfg.Personal = personal == "1"
	c, err := regionsync.NewClient(cfg)
	if err != nil {
		return env.userError(err)
	}
	res, err := c.Sync(ctx, db, func(p regionsync.Progress) {
		if p.Total > 0 && !*asJSON {
			fmt.Fprintf(env.Stderr, "\rsent %d of %d events", p.Sent, p.Total)
		}
	})
	if !*asJSON {
		fmt.Fprintln(env.Stderr)
	}
	if err != nil {
		return env.userError(err)
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.Encode(res)
	} else {
		fmt.Fprintf(env.Stdout, "Sent %d events; the region has stored up to event %d; %d waiting.\n", res.Sent, res.Stored, res.Waiting)
		for _, u := range res.Updates {
			fmt.Fprintf(env.Stdout, "Update: %s\n", u)
		}
		for _, u := range res.Rejected {
			fmt.Fprintf(env.Stdout, "REFUSED update %s\n", u)
		}
	}
	if len(res.Rejected) > 0 {
		return 1
	}
	return 0
}
