// Command smev-node runs Mezhved's SMEV 3 training node: the SMEV 3
// operations over mutual TLS on the given address, one queue per
// participant, simulated providers for the built-in templates.
//
//	smev-node --listen 127.0.0.1:8443 [--dump-dir DIR] [--pki-dir DIR] [--plain-http]
//
// The node's CA and a client certificate are written to --pki-dir (made
// on first start, reused later): give ca.pem, client.pem and client.key to
// the agent (settings smev.ca, smev.tls_cert, smev.tls_key).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/transport"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, nil)) }

// run starts the node and serves until a signal (or stop is closed).
func run(args []string, stdout, stderr io.Writer, stop <-chan struct{}) int {
	fs := flag.NewFlagSet("smev-node", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8443", "address to listen on")
	dump := fs.String("dump-dir", "", "write every envelope received here, one file each")
	pkiDir := fs.String("pki-dir", "", "directory of the node's CA and certificates (default: smev-node-pki in the user's config directory)")
	plain := fs.Bool("plain-http", false, "serve plain HTTP (no TLS): only inside a protected network")
	delay := fs.Duration("delay", 2*time.Second, "how long simulated providers take to answer")
	noData := fs.Float64("no-data-rate", 0.1, "share of requests answered NO_DATA")
	faults := fs.Float64("fault-rate", 0, "share of SendRequest calls refused with SMEVFailure")
	outage := fs.Float64("outage-rate", 0, "share of calls answered 503")
	incoming := fs.Int("incoming", 2, "requests from other authorities queued for every new participant")
	redeliver := fs.Duration("redeliver-after", time.Minute, "a delivered message not acknowledged is given again after this long")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "smev-node: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	n, err := node.New(node.Options{DumpDir: *dump, Delay: *delay, NoDataRate: *noData, FaultRate: *faults, OutageRate: *outage,
		IncomingPerParticipant: *incoming, Statuses: true, RedeliverAfter: *redeliver, Seed: uint64(time.Now().UnixNano()),
		Log: func(f string, a ...any) { fmt.Fprintf(stderr, f+"\n", a...) }})
	if err != nil {
		fmt.Fprintf(stderr, "smev-node: %v\n", err)
		return 2
	}
	var srv *node.Server
	if *plain {
		srv, err = node.Listen(n, *listen, nil)
		if err == nil {
			fmt.Fprintln(stderr, "smev-node: WARNING: plain HTTP, the channel is not encrypted")
		}
	} else {
		dir := *pkiDir
		if dir == "" {
			cfg, cerr := os.UserConfigDir()
			if cerr != nil {
				cfg = os.TempDir()
			}
			dir = filepath.Join(cfg, "mezhved", "smev-node-pki")
		}
		pki, perr := transport.ReadPKI(dir)
		if perr != nil {
			if pki, err = transport.NewLoopbackPKI(365 * 24 * time.Hour); err == nil {
				if err = os.MkdirAll(dir, 0o700); err == nil {
					err = pki.Write(dir)
				}
			}
		}
		if err == nil {
			var lb *node.Loopback
			if lb, err = node.ServeLoopback(n, *listen, pki); err == nil {
				srv = lb.Server
				fmt.Fprintf(stderr, "smev-node: client files: %s (ca.pem, client.pem, client.key)\n", dir)
			}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "smev-node: %v\n", err)
		return 2
	}
	defer srv.Close()
	fmt.Fprintln(stdout, srv.URL)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	select {
	case <-sig:
	case <-stop:
	}
	return 0
}
