package domain

// transitions is the life of a request: for each status, the statuses that
// may follow it. It is written down from what the journal does (package
// store); every change of status there is checked against it.
//
// A request enters the journal in the status it is created with (a draft, a
// queued request, a received one, a paper request registered as sent): that
// first event is not a move. A status that does not change (the same news
// delivered again) is not a move either: the journal changes nothing and
// writes no event, whatever the table says. A move the table does not list
// is refused, except where the news comes from SMEV or the outbox after the
// request has gone further (an answer after the answer, a status after a
// cancellation): such late news changes nothing and is not an error, since
// SMEV's message must still be taken and acknowledged.
var transitions = map[Status][]Status{
	// A draft is signed: QueueRequest records the signing as its own step
	// before the request is queued. It may be put into the queue at once
	// (its signed envelope committed to the outbox in one step), or be
	// cancelled by SMEV's «cancelled» for its MessageID.
	StatusDraft: {StatusSigned, StatusQueued, StatusCancelled},

	// A signed request goes into the outbox (QueueRequest), or is
	// cancelled by SMEV.
	StatusSigned: {StatusQueued, StatusCancelled},

	// A queued message (our request, or our answer to an incoming one):
	//   - sent: the outbox's confirmation that SMEV has our request;
	//   - answered: the confirmation that our answer went out, or an answer
	//     to our request that came before the confirmation was recorded;
	//   - accepted: SMEV's status «принят», before the confirmation;
	//   - rejected, unverified: a refusal, or an answer whose signatures
	//     failed the check, before the confirmation;
	//   - error: a final fault at sending, or SMEV rejected the request;
	//   - cancelled: SMEV's «cancelled».
	StatusQueued: {StatusSent, StatusAccepted, StatusAnswered, StatusRejected, StatusUnverified, StatusError, StatusCancelled},

	// A sent request is accepted by SMEV (GetStatus), answered (the data,
	// through SMEV or on paper: «ответ получен по почте / по факсу»),
	// rejected (the provider's refusal: NO_DATA, ACCESS_DENIED…), gets an
	// answer whose signatures failed (unverified), fails (SMEV rejected it,
	// or an answer without content) or is cancelled: by SMEV, or withdrawn
	// by the clerk (the same move; the event says who).
	StatusSent: {StatusAccepted, StatusAnswered, StatusRejected, StatusUnverified, StatusError, StatusCancelled},

	// An accepted request waits for its answer: the same outcomes as sent.
	StatusAccepted: {StatusAnswered, StatusRejected, StatusUnverified, StatusError, StatusCancelled},

	// «Ответ не прошёл проверку подписи»: an answer came whose signatures
	// failed (it is kept with its reasons, never as data). The request
	// still waits for a real answer: answered, rejected, another answer
	// that fails (unverified again), error or cancelled.
	StatusUnverified: {StatusAnswered, StatusRejected, StatusUnverified, StatusError, StatusCancelled},

	// An error waits for the clerk: an outgoing request is signed and queued
	// again (QueueRequest), our answer to an incoming one is queued again
	// (EnqueueResponse). A message may still have got through: the outbox
	// confirms it (sent; answered for our answer), an answer comes (answered,
	// rejected, unverified), or SMEV cancels it.
	StatusError: {StatusSigned, StatusQueued, StatusSent, StatusAnswered, StatusRejected, StatusUnverified, StatusCancelled},

	// An incoming request is answered by queuing our answer
	// (EnqueueResponse); the outbox then moves it on as any queued message.
	// One that did not come through SMEV (registered by hand) is answered
	// or refused outside SMEV, by post, fax or in person (answered,
	// rejected); the authority that asked may withdraw it (cancelled).
	StatusReceived: {StatusQueued, StatusAnswered, StatusRejected, StatusCancelled},

	// The end: the answer came (ours went out), the provider refused (we
	// refused), SMEV cancelled the request or it was withdrawn. Nothing
	// follows. (A draft is not withdrawn but deleted: it never left.)
	StatusAnswered:  nil,
	StatusRejected:  nil,
	StatusCancelled: nil,
}

// CanMove reports whether a request in status from may move to status to
// (see transitions). A status to itself is allowed only where the table says
// so (unverified); callers treat an unchanged status as no move at all.
func CanMove(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}
