package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// ReplayWindow is how far a request's timestamp may be from now: Slack's
// documented five minutes, so a captured request cannot be replayed later.
const ReplayWindow = 5 * time.Minute

// Verification failures. They are logged, never shown: the caller is not
// Slack, or not now.
var (
	ErrNoSignature  = errors.New("slack request: missing signature or timestamp header")
	ErrStale        = errors.New("slack request: timestamp outside the replay window")
	ErrBadSignature = errors.New("slack request: signature does not match")
)

// Verifier checks Slack's request signatures (HMAC-SHA256 of
// "v0:timestamp:body" under the signing secret). It takes its clock as a
// field rather than reading the real one, so the check can be tested at a
// known instant.
type Verifier struct {
	Secret string
	Now    func() time.Time
}

// Verify returns nil when header and body carry a valid signature made
// within the replay window.
func (v Verifier) Verify(h http.Header, body []byte) error {
	ts, sig := h.Get("X-Slack-Request-Timestamp"), h.Get("X-Slack-Signature")
	if ts == "" || sig == "" {
		return ErrNoSignature
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrNoSignature
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	age := now().Sub(time.Unix(secs, 0))
	if age > ReplayWindow || age < -ReplayWindow {
		return ErrStale
	}
	// The comparison is on bytes of equal meaning in constant time, so the
	// time taken says nothing about how much of a forged signature matched.
	if !hmac.Equal([]byte(sig), []byte(Sign(v.Secret, ts, body))) {
		return ErrBadSignature
	}
	return nil
}

// Sign computes the X-Slack-Signature value for a timestamp and body.
func Sign(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}
