package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Secret is a credential that never prints: logs, errors and %v show a
// placeholder.
type Secret string

func (s Secret) String() string { return "[redacted]" }

// LogValue keeps the secret out of slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// GoString keeps the secret out of %#v.
func (s Secret) GoString() string { return "[redacted]" }

// zeroTemperature makes every chat request carry "temperature": 0. The
// client library drops a zero temperature from the JSON (omitempty), and a
// server then uses its own default, which is not deterministic.
type zeroTemperature struct{ next http.RoundTripper }

func (z zeroTemperature) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Method != http.MethodPost || !strings.HasSuffix(req.URL.Path, "/chat/completions") {
		return z.next.RoundTrip(req)
	}
	body, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) == nil {
		if _, set := m["temperature"]; !set {
			m["temperature"] = json.RawMessage("0")
			if b, err := json.Marshal(m); err == nil {
				body = b
			}
		}
	}
	r2 := req.Clone(req.Context())
	r2.Body = io.NopCloser(bytes.NewReader(body))
	r2.ContentLength = int64(len(body))
	r2.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return z.next.RoundTrip(r2)
}

// retrying retries a request on 429, 5xx and connection errors, at most
// attempts times in all, waiting with exponential backoff and full jitter, or
// as long as the server's Retry-After asks (up to maxWait). Each attempt has
// its own timeout.
type retrying struct {
	next     http.RoundTripper
	attempts int
	timeout  time.Duration
	base     time.Duration
	maxWait  time.Duration
	sleep    func(ctx context.Context, d time.Duration) error
	rand     func() float64
}

// errAttemptTimeout marks an attempt that ran out of its own time.
var errAttemptTimeout = errors.New("llm: request timed out")

func (r retrying) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	var lastErr error
	for attempt := 1; ; attempt++ {
		ctx, cancel := context.WithTimeout(req.Context(), r.timeout)
		r2 := req.Clone(ctx)
		if body != nil {
			r2.Body = io.NopCloser(bytes.NewReader(body))
			r2.ContentLength = int64(len(body))
		}
		resp, err := r.next.RoundTrip(r2)
		if err == nil && !retryable(resp.StatusCode) {
			// The body is read after we return; keep the attempt's context
			// alive until then.
			resp.Body = cancelOnClose{resp.Body, cancel}
			return resp, nil
		}
		wait := r.backoff(attempt)
		if err != nil {
			cancel()
			if req.Context().Err() != nil {
				return nil, req.Context().Err()
			}
			if errors.Is(err, context.DeadlineExceeded) {
				err = errAttemptTimeout
			}
			lastErr = err
		} else {
			if ra, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				wait = min(ra, r.maxWait)
			}
			if attempt >= r.attempts {
				resp.Body = cancelOnClose{resp.Body, cancel}
				return resp, nil
			}
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			cancel()
			lastErr = errors.New("llm: server answered " + resp.Status)
		}
		if attempt >= r.attempts {
			return nil, lastErr
		}
		if err := r.sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

func (r retrying) backoff(attempt int) time.Duration {
	d := r.base << (attempt - 1)
	return time.Duration(r.rand() * float64(min(d, r.maxWait)))
}

// retryAfter reads a Retry-After header in seconds or as an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
