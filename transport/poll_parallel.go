package transport

import (
	"context"

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
	onEveryCore(len(group), func(i int) { replies[i], oks[i] = p.reply(ctx, group[i]) })
	return replies, oks
}
