package printing

import (
	"io"
	"os"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time (user + system, all threads) the process has used.
// The benchmarks report it per operation next to the wall time, because the
// shared 2-core machine is often loaded by other work and wall time then
// measures the queue, not the code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkRegister100Pages: target ≤ 1 s per 100-page register.
func BenchmarkRegister100Pages(b *testing.B) {
	reg := testRegister(Outgoing, 1200)
	res, err := WriteRegister(io.Discard, reg)
	if err != nil {
		b.Fatal(err)
	}
	if res.Pages < 100 {
		b.Fatalf("only %d pages", res.Pages)
	}
	start := cpuTime()
	for b.Loop() {
		if _, err := WriteRegister(io.Discard, reg); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
	b.ReportMetric(float64(res.Pages), "pages")
}

// BenchmarkReply: target ≤ 100 ms per reply printout.
func BenchmarkReply(b *testing.B) {
	r := testReply()
	start := cpuTime()
	for b.Loop() {
		if _, err := WriteReply(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

// BenchmarkReplyWithPDFAttachment: the same with a 2-page PDF appended.
func BenchmarkReplyWithPDFAttachment(b *testing.B) {
	data, err := os.ReadFile("testdata/attachment-2pages.pdf")
	if err != nil {
		b.Fatal(err)
	}
	r := testReply()
	r.Attachments = []Attachment{{Name: "План.pdf", Data: data}}
	start := cpuTime()
	for b.Loop() {
		if _, err := WriteReply(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

// Printouts may be made from several goroutines at once (the window and a
// CLI call share nothing but the font metrics).
func TestConcurrentPrintouts(t *testing.T) {
	errs := make(chan error, 8)
	for i := 0; i < 4; i++ {
		go func() {
			r := testReply()
			r.Sections[0].Fields[0].Value = "日本 ∑ ★" // runes outside the fast table
			_, err := WriteReply(io.Discard, r)
			errs <- err
		}()
		go func() {
			_, err := WriteRegister(io.Discard, testRegister(Incoming, 30))
			errs <- err
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
