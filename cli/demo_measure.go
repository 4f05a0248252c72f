package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// demoMeasure is the demo's measurement flags (issue 18): a CPU profile of
// the loop, a heap profile at its end, and a line with the rate and the
// memory, so a benchmark script can read them.
type demoMeasure struct {
	cpu, mem *string
	stats    *bool
	cpuFile  *os.File
	start    time.Time
}

func demoMeasureFlags(fs *flag.FlagSet) *demoMeasure {
	return &demoMeasure{
		cpu:   fs.String("cpuprofile", "", "write a CPU profile of the loop to this file (go tool pprof)"),
		mem:   fs.String("memprofile", "", "write a heap profile at the end of the loop to this file"),
		stats: fs.Bool("stats", false, "print requests per second, the Go heap in use and the peak resident memory"),
	}
}

// begin starts the clock (and the CPU profile) of the loop.
func (m *demoMeasure) begin() error {
	m.start = time.Now()
	if *m.cpu == "" {
		return nil
	}
	f, err := os.Create(*m.cpu)
	if err != nil {
		return err
	}
	m.cpuFile = f
	return pprof.StartCPUProfile(f)
}

// end stops the profiles and prints the figures of n requests.
func (m *demoMeasure) end(w io.Writer, n int) error {
	elapsed := time.Since(m.start)
	if m.cpuFile != nil {
		pprof.StopCPUProfile()
		if err := m.cpuFile.Close(); err != nil {
			return err
		}
		m.cpuFile = nil
	}
	if *m.mem != "" {
		f, err := os.Create(*m.mem)
		if err != nil {
			return err
		}
		runtime.GC()
		if err := pprof.WriteHeapProfile(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	if *m.stats {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		fmt.Fprintf(w, "demo-stats: requests %d, seconds %.3f, per-second %.1f, heap-inuse-mb %.1f, max-rss-mb %.1f\n",
			n, elapsed.Seconds(), float64(n)/elapsed.Seconds(), float64(ms.HeapInuse)/(1<<20), maxRSSMB())
	}
	return nil
}
