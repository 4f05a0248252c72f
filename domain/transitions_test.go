package domain

import (
	"sort"
	"testing"
)

// allowed is the table written out by hand, pair by pair: a change to the
// table must be made here as well, on purpose.
var allowed = map[[2]Status]bool{
	{StatusDraft, StatusSigned}:    true,
	{StatusDraft, StatusQueued}:    true,
	{StatusDraft, StatusCancelled}: true,

	{StatusSigned, StatusQueued}:    true,
	{StatusSigned, StatusCancelled}: true,

	{StatusQueued, StatusSent}:       true,
	{StatusQueued, StatusAccepted}:   true,
	{StatusQueued, StatusAnswered}:   true,
	{StatusQueued, StatusRejected}:   true,
	{StatusQueued, StatusUnverified}: true,
	{StatusQueued, StatusError}:      true,
	{StatusQueued, StatusCancelled}:  true,

	{StatusSent, StatusAccepted}:   true,
	{StatusSent, StatusAnswered}:   true,
	{StatusSent, StatusRejected}:   true,
	{StatusSent, StatusUnverified}: true,
	{StatusSent, StatusError}:      true,
	{StatusSent, StatusCancelled}:  true,

	{StatusAccepted, StatusAnswered}:   true,
	{StatusAccepted, StatusRejected}:   true,
	{StatusAccepted, StatusUnverified}: true,
	{StatusAccepted, StatusError}:      true,
	{StatusAccepted, StatusCancelled}:  true,

	{StatusUnverified, StatusAnswered}:   true,
	{StatusUnverified, StatusRejected}:   true,
	{StatusUnverified, StatusUnverified}: true,
	{StatusUnverified, StatusError}:      true,
	{StatusUnverified, StatusCancelled}:  true,

	{StatusError, StatusSigned}:     true,
	{StatusError, StatusQueued}:     true,
	{StatusError, StatusSent}:       true,
	{StatusError, StatusAnswered}:   true,
	{StatusError, StatusRejected}:   true,
	{StatusError, StatusUnverified}: true,
	{StatusError, StatusCancelled}:  true,

	{StatusReceived, StatusQueued}:    true,
	{StatusReceived, StatusAnswered}:  true,
	{StatusReceived, StatusRejected}:  true,
	{StatusReceived, StatusCancelled}: true,
}

func allStatuses() []Status {
	var out []Status
	for s := range statusTitles {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func TestCanMoveEveryPair(t *testing.T) {
	all := allStatuses()
	if len(all) != 11 {
		t.Fatalf("%d statuses: a new status needs its row in transitions and here", len(all))
	}
	n := 0
	for _, from := range all {
		for _, to := range all {
			want := allowed[[2]Status{from, to}]
			if got := CanMove(from, to); got != want {
				t.Errorf("CanMove(%s, %s) = %v, want %v", from, to, got, want)
			}
			if want {
				n++
			}
		}
	}
	if n != len(allowed) {
		t.Fatalf("%d allowed pairs among the statuses, %d written down: a pair names an unknown status", n, len(allowed))
	}
}

func TestTransitionsTable(t *testing.T) {
	for _, s := range allStatuses() {
		if _, ok := transitions[s]; !ok {
			t.Errorf("status %s has no row in transitions", s)
		}
	}
	for from, tos := range transitions {
		if !from.Valid() {
			t.Errorf("row of an unknown status %q", from)
		}
		seen := map[Status]bool{}
		for _, to := range tos {
			if !to.Valid() || seen[to] {
				t.Errorf("row %s: unknown or repeated %q", from, to)
			}
			seen[to] = true
		}
		// A request that is over (not Open) never moves again.
		if !from.Open() && len(tos) > 0 {
			t.Errorf("closed status %s has moves %v", from, tos)
		}
	}
	// Creation and unknown statuses are no moves.
	for _, p := range [][2]Status{{"", StatusDraft}, {"", StatusQueued}, {StatusSent, "lost"}, {"lost", StatusSent}} {
		if CanMove(p[0], p[1]) {
			t.Errorf("CanMove(%q, %q) = true", p[0], p[1])
		}
	}
}
