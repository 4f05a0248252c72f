package store

import "context"

// OpenOutgoingVia lists the message ids of our requests that went by a
// road (ViaAdapter, ViaDirect) and still wait for their answer (sent,
// accepted, or with an answer not verified), oldest first, at most limit:
// the adapter channel looks them up by Find, so that an answer taken from
// the adapter's queue by a process that died before its commit is found
// again.
func (s *DB) OpenOutgoingVia(ctx context.Context, via string, limit int) ([]string, error) {
	v, err := viaOrDirect(via)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT message_id FROM requests
		WHERE via = ? AND direction = 'out' AND status IN ('sent', 'accepted', 'unverified') AND message_id IS NOT NULL
		ORDER BY id LIMIT ?`, v, limit)
	if err != nil {
		return nil, classify(err, "store.OpenOutgoingVia")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, classify(err, "store.OpenOutgoingVia")
		}
		out = append(out, id)
	}
	return out, classify2(rows.Err(), "store.OpenOutgoingVia")
}
