package region

import (
	"context"
	"crypto/x509"
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/mezhved/mezhved/region/regionsync"
)

// updatesPage is how many updates one listing holds.
const updatesPage = 20

func (s *Server) updates(w http.ResponseWriter, r *http.Request, id regionsync.Identity) {
	after, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if r.URL.Query().Get("after") == "" {
		after, err = 0, nil
	}
	if err != nil || after < 0 {
		refuse(w, http.StatusBadRequest, "invalid", "Неверный параметр after.")
		return
	}
	list, err := s.cfg.Store.UpdatesAfter(r.Context(), after, updatesPage)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

// updateWriteTimeout is how long the download of one update may take: a
// CRL of tens of MiB over a settlement's slow line outlasts the listener's
// write timeout.
const updateWriteTimeout = 30 * time.Minute

// updateFile serves the signed file of one update as it is stored.
func (s *Server) updateFile(w http.ResponseWriter, r *http.Request, id regionsync.Identity) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n <= 0 {
		refuse(w, http.StatusBadRequest, "invalid", "Неверный номер обновления.")
		return
	}
	data, ok, err := s.files.get(r.Context(), n, s.cfg.Store.UpdateFile)
	if err != nil {
		s.fail(w, err)
		return
	}
	if !ok {
		refuse(w, http.StatusNotFound, "not-found", "Обновление не найдено.")
		return
	}
	// Not every ResponseWriter has deadlines; then the listener's stay.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(updateWriteTimeout))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

// AddUpdate stores a signed update for the workstations. It is verified
// first, so that a wrongly signed file never goes down.
func (s *Store) AddUpdate(ctx context.Context, data []byte, trusted *x509.Certificate) (*regionsync.Update, error) {
	u, err := regionsync.VerifyUpdate(data, trusted, s.now())
	if err != nil {
		return nil, err
	}
	_, err = s.exec(ctx, `INSERT INTO updates (kind, name, data, created_at) VALUES ($1, $2, $3, $4)`, u.Kind, u.Name, data, fmtT(s.now()))
	return u, internal(err, "region.AddUpdate")
}

// UpdatesAfter lists stored updates with id > after, oldest first; files
// larger than regionsync.MaxUpdateBytes are left out (Data nil, Size set).
func (s *Store) UpdatesAfter(ctx context.Context, after int64, limit int) ([]regionsync.UpdateInfo, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, kind, name, CASE WHEN length(data) <= $2 THEN data END, length(data)
		FROM updates WHERE id > $1 ORDER BY id LIMIT $3`), after, regionsync.MaxUpdateBytes, limit)
	if err != nil {
		return nil, internal(err, "region.UpdatesAfter")
	}
	defer rows.Close()
	out := []regionsync.UpdateInfo{}
	for rows.Next() {
		var u regionsync.UpdateInfo
		if err := rows.Scan(&u.ID, &u.Kind, &u.Name, &u.Data, &u.Size); err != nil {
			return nil, internal(err, "region.UpdatesAfter")
		}
		out = append(out, u)
	}
	return out, internal(rows.Err(), "region.UpdatesAfter")
}

// UpdateFile returns the signed file of update id; ok is false when there
// is none.
func (s *Store) UpdateFile(ctx context.Context, id int64) (data []byte, ok bool, err error) {
	err = s.queryRow(ctx, `SELECT data FROM updates WHERE id = $1`, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, internal(err, "region.UpdateFile")
	}
	return data, true, nil
}

// fileCacheBytes bounds the memory the server keeps update files in.
const fileCacheBytes = 256 << 20

// fileCache keeps the files of recently fetched updates in memory, shared
// by every download: stored updates never change, and a region's hundreds
// of workstations fetch the same CRL, which must not be read from the
// database (tens of MiB) once per workstation at a time.
type fileCache struct {
	mu    sync.Mutex // held while a file is loaded: one load at a time
	max   int
	size  int
	items map[int64][]byte
	order []int64 // oldest first
}

func newFileCache(max int) *fileCache {
	return &fileCache{max: max, items: map[int64][]byte{}}
}

// get returns the file of update id from the cache, else from load (kept
// when it fits, the oldest files making room).
func (c *fileCache) get(ctx context.Context, id int64, load func(context.Context, int64) ([]byte, bool, error)) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := c.items[id]; ok {
		return b, true, nil
	}
	b, ok, err := load(ctx, id)
	if err != nil || !ok || len(b) > c.max {
		return b, ok, err
	}
	for c.size+len(b) > c.max && len(c.order) > 0 {
		old := c.order[0]
		c.order = c.order[1:]
		c.size -= len(c.items[old])
		delete(c.items, old)
	}
	c.items[id] = b
	c.order = append(c.order, id)
	c.size += len(b)
	return b, true, nil
}
