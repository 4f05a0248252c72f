package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	tradapter "github.com/mezhved/mezhved/training/adapter"
	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/transport/adapter"
	"github.com/mezhved/mezhved/trust"
	"github.com/mezhved/mezhved/workstation"
)

func init() {
	Register(&Command{
		Path:  "demo",
		Usage: "--headless [--requests N] [--via direct|adapter] [--dump-dir DIR] [--data-dir DIR] [--timeout 60s] [--stats] [--cpuprofile F] [--memprofile F]",
		Short: "run N requests from the built-in templates through the whole SMEV loop against the built-in node over loopback mutual TLS; exit 0 when all came back answered and verified",
		Run:   runDemo,
	})
}

func runDemo(env *Env) int {
	fs := env.NewFlagSet("demo")
	headless := fs.Bool("headless", false, "run without the window (required here)")
	n := fs.Int("requests", 13, "how many requests to send (the built-in templates in turn)")
	dumpDir := fs.String("dump-dir", "", "write every envelope the node received here, one file each")
	dataDir := fs.String("data-dir", "", "journal directory (default: a new temporary directory)")
	timeout := fs.Duration("timeout", 60*time.Second, "give up after this long")
	measure := demoMeasureFlags(fs)
	viaFlag := fs.String("via", "direct", "the road: direct (SMEV 3 itself) or adapter (through a training SMEV adapter of the region; every message checked against the adapter's schema)")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	if !*headless || fs.NArg() > 0 || *n < 1 || *n > 10000 {
		fmt.Fprintln(env.Stderr, "mezhved demo: want --headless, --requests 1..10000 and no arguments (the window's demo is `mezhved` with the training mode on)")
		return 2
	}
	via, err := workstation.ParseVia(*viaFlag)
	if err != nil {
		return env.userError(err)
	}
	dir, err := demoDir(*dataDir)
	if err != nil {
		return env.Fail(err)
	}
	ws, err := workstation.Open(workstation.Config{DataDir: dir, Log: quietLog})
	if err != nil {
		return env.userError(err)
	}
	defer ws.Close()
	db := ws.Journal()
	lb, err := node.StartLoopback(node.Options{DumpDir: *dumpDir, IncomingPerParticipant: 1, Statuses: true, RedeliverAfter: 20 * time.Second}, "", nil)
	if err != nil {
		return env.userError(err)
	}
	defer lb.Close()
	key, _, err := keys.NewDemoGOST(keys.DefaultDemoSubject, 24*time.Hour)
	if err != nil {
		return env.userError(err)
	}
	defer key.Close()
	ws.TrustTraining(lb.Node.TrainingAnchors())
	road, svc, stop, err := demoService(ws, lb, key, via, dir, *dumpDir)
	if err != nil {
		return env.userError(err)
	}
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	start := time.Now()
	if err := measure.begin(); err != nil {
		return env.Fail(err)
	}

	queue := &demoQueue{}
	answeredIn, err := demoRun(ctx, env, ws, svc, key, *n, queue)
	if err != nil {
		return env.userError(err)
	}
	svc.SendNow(context.Background()) // our answers to incoming requests
	if err := measure.end(env.Stdout, *n); err != nil {
		return env.Fail(err)
	}

	ok, verified, atts, err := demoOutcome(env, db, queue.all())
	if err != nil {
		return env.userError(err)
	}
	dumped := 0
	if *dumpDir != "" {
		files, _ := filepath.Glob(filepath.Join(*dumpDir, "*"))
		dumped = len(files)
	}
	fmt.Fprintf(env.Stdout, "demo: %d/%d answered and verified (%d attachments), %d incoming answered, %d envelopes dumped, %s, journal %s, %.1fs\n",
		min(ok, verified), *n, atts, answeredIn, dumped, road.Title(), dir, time.Since(start).Seconds())
	if ok != *n || verified != *n {
		return 1
	}
	return 0
}

// demoService is the SMEV service of the demo on its road; stop closes
// both.
func demoService(ws *workstation.Workstation, lb *node.Loopback, key keys.Key, via, dir, dumpDir string) (workstation.Road, *transport.Service, func(), error) {
	road, stopRoad, err := demoRoad(ws, lb, via, dir, dumpDir)
	if err != nil {
		return road, nil, nil, err
	}
	svc, err := ws.OpenRoad(road, key, workstation.ServiceOptions{Contour: trust.Training, Provider: true,
		Backoff: transport.Backoff{Base: 50 * time.Millisecond, Max: time.Second}})
	if err != nil {
		stopRoad()
		return road, nil, nil, err
	}
	return road, svc, func() { svc.Close(); stopRoad() }, nil
}

// demoDir is the demo's journal folder: the one named, else a new
// temporary one.
func demoDir(named string) (string, error) {
	if named != "" {
		return named, nil
	}
	return os.MkdirTemp("", "mezhved-demo-")
}

// demoRoad is the road of the demo: the training node itself, or a
// training adapter of the region in front of it (its messages dumped into
// dumpDir/adapter, its file store in the journal's folder).
func demoRoad(ws *workstation.Workstation, lb *node.Loopback, via, dir, dumpDir string) (workstation.Road, func(), error) {
	if via == workstation.ViaDirect {
		return workstation.Road{Via: via, Endpoint: lb.Endpoint}, func() {}, nil
	}
	files := filepath.Join(dir, "adapter-files")
	if err := os.MkdirAll(files, 0o700); err != nil {
		return workstation.Road{}, nil, err
	}
	adDump := ""
	if dumpDir != "" {
		adDump = filepath.Join(dumpDir, "adapter")
	}
	const itSystem = "MEZHVED_TRAINING"
	a, err := tradapter.New(tradapter.Options{Node: lb.Endpoint, ITSystem: itSystem, FilesDir: files, DumpDir: adDump,
		Checker: &transport.Checker{Trust: ws.Trust(), Contour: trust.Training}})
	if err != nil {
		return workstation.Road{}, nil, err
	}
	srv, err := tradapter.Listen(a, "", lb.PKI)
	if err != nil {
		a.Close()
		return workstation.Road{}, nil, err
	}
	road := workstation.Road{Via: via, Endpoint: srv.Endpoint,
		Adapter: adapter.Options{ITSystem: itSystem, Files: &adapter.Files{Dir: files}}}
	return road, func() { srv.Close() }, nil
}

// demoCards are the request cards, those on published schemas first: the
// demo loop runs on the real kinds of data.
func demoCards() []*templates.Template {
	var real, training []*templates.Template
	for _, t := range templates.Builtin().Requests() {
		if t.Training {
			training = append(training, t)
		} else {
			real = append(real, t)
		}
	}
	return append(real, training...)
}

// answerIncoming answers every incoming request the node sent with a
// training extract from the household book.
func answerIncoming(ctx context.Context, env *Env, ws *workstation.Workstation, svc *transport.Service, key keys.Key) int {
	page, err := ws.Journal().ListRequests(ctx, domain.RequestFilter{Direction: domain.Incoming, Statuses: []domain.Status{domain.StatusReceived}})
	if err != nil {
		return 0
	}
	n := 0
	for _, r := range page.Requests {
		reply := workstation.Reply{RequestID: r.ID, Values: map[string]string{"answer.found": "true",
			"answer.household": "Лицевой счёт № 112, похозяйственная книга № 3"}}
		if _, err := ws.Answer(ctx, svc, reply, key, keys.DefaultDemoSubject.CommonName); err != nil {
			fmt.Fprintf(env.Stderr, "mezhved demo: answer %d: %v\n", r.ID, err)
			continue
		}
		n++
	}
	return n
}

// demoOutcome counts the requests answered, the answers verified and
// acknowledged, and their attachments; each request not answered is named.
func demoOutcome(env *Env, db *store.DB, queued []*transport.Queued) (ok, verified, atts int, err error) {
	ctx := context.Background()
	for _, q := range queued {
		r, err := db.Request(ctx, q.RequestID)
		if err != nil {
			return 0, 0, 0, err
		}
		reps, err := db.Replies(ctx, q.RequestID)
		if err != nil {
			return 0, 0, 0, err
		}
		if r.Status == domain.StatusAnswered {
			ok++
		} else {
			fmt.Fprintf(env.Stderr, "mezhved demo: request %d (%s, %s): %s %s\n", r.ID, r.TemplateID, q.MessageID, r.Status, r.LastError)
		}
		for _, rep := range reps {
			if rep.Kind == store.ReplyResponse && !rep.AckedAt.IsZero() {
				verified++
				atts += len(rep.Files)
			}
		}
	}
	return ok, verified, atts, nil
}
