package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/mezhved/mezhved/demo"
)

func init() {
	Register(&Command{
		Path:  "demo init",
		Usage: "[--data-dir DIR]",
		Short: "prepare a training journal (training mode, a settlement, sample requests); safe to run twice",
		Run: func(env *Env) int {
			fs := env.NewFlagSet("demo init")
			dataDir := fs.String("data-dir", "", "data directory")
			if ok, code := env.Parse(fs); !ok {
				return code
			}
			db, err := openJournal(env, *dataDir)
			if err != nil {
				return env.userError(err)
			}
			defer db.Close()
			n, err := demo.Seed(context.Background(), db, time.Now())
			if err != nil {
				return env.userError(err)
			}
			fmt.Fprintf(env.Stdout, "training journal ready in %s (%d sample requests added)\n", db.Dir(), n)
			return 0
		},
	})
}
