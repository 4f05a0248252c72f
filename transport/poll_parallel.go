package transport

import (
	"context"
	"runtime"
	"sync"

	"github.com/mezhved/mezhved/store"
)

// replyAll judges a group of fetched answers (their signatures, the
// signatures of their files) on every core: it is pure CPU, and the
// verdicts come out in the group's order, so what is committed and
// acknowledged, and in which order, is what reply one by one gave.
// The Checker and its trust store are safe for concurrent use.
func (p *Poller) replyAll(ctx context.Context, group []*Response) ([]store.NewReply, []bool) {
	replies := make([]store.NewReply, len(group))
	oks := make([]bool, len(group))
	workers := min(runtime.GOMAXPROCS(0), len(group))
	if workers <= 1 {
		for i, r := range group {
			replies[i], oks[i] = p.reply(ctx, r)
		}
		return replies, oks
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				replies[i], oks[i] = p.reply(ctx, group[i])
			}
		})
	}
	for i := range group {
		next <- i
	}
	close(next)
	wg.Wait()
	return replies, oks
}
